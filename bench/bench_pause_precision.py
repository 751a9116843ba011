"""Key-point pause precision with each real media backend, read from the pixels.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_pause_precision.py \\
        [--backends qt vlc] [--keys 100] [--mode through|seek] [--gop 50] [--seed 1]

A 60 s, 25 fps clip whose every frame shows its own number as 12 black/white blocks is made
with ffmpeg in a temp folder (H.264, a keyframe every --gop frames, like a narration video).
On each backend, --keys key points at random (seeded) times are armed with pause_at and the
clip played into them: "through" plays on from one key point to the next, as a narration does;
"seek" jumps 0.3-2 s before each key point first. For each key point the frame shown once the
picture has settled is read from the frame_ready images and compared with the key point's
frame; "past" counts key points where any frame after the key point's was emitted at all.
Targets: the exact frame on 100/100 with Qt Multimedia, within 1 frame with libvlc, never past.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from benchlib import format_distribution, header, histogram, require

FPS = 25
FRAME_MS = 1000 // FPS
SECONDS = 60
BITS = 12  # up to 4095 frames
WIDTH, HEIGHT, BAND = 384, 96, 48  # 32-pixel blocks in the top band


def make_clip(path: Path, gop: int) -> None:
    """SECONDS of FPS frames, each showing its number in binary across the top band."""
    import numpy as np

    ffmpeg = require("ffmpeg")
    # fmt: off
    command = [
        ffmpeg, "-v", "error", "-y",
        "-f", "rawvideo", "-pix_fmt", "gray", "-s", f"{WIDTH}x{HEIGHT}", "-r", str(FPS),
        "-i", "-",
        "-c:v", "libx264", "-preset", "veryfast", "-crf", "28", "-g", str(gop),
        "-pix_fmt", "yuv420p", "-movflags", "+faststart", str(path),
    ]
    # fmt: on
    process = subprocess.Popen(command, stdin=subprocess.PIPE)
    assert process.stdin is not None
    block = WIDTH // BITS
    for number in range(SECONDS * FPS):
        image = np.full((HEIGHT, WIDTH), 128, dtype=np.uint8)
        for bit in range(BITS):
            on = (number >> (BITS - 1 - bit)) & 1
            image[:BAND, bit * block : (bit + 1) * block] = 255 if on else 0
        process.stdin.write(image.tobytes())
    process.stdin.close()
    if process.wait() != 0:
        raise SystemExit("ffmpeg could not make the clip")


def frame_number(image: object) -> int:
    """The number drawn into a frame (the same layout as make_clip, at any scale)."""
    from PySide6.QtGui import QColor, QImage

    assert isinstance(image, QImage)
    y = int(image.height() * (BAND / 2) / HEIGHT)
    number = 0
    for bit in range(BITS):
        x = int(image.width() * (bit + 0.5) / BITS)
        number = number * 2 + (QColor(image.pixel(x, y)).lightness() > 127)
    return number


def key_times(rng: random.Random, count: int, duration_ms: int, gap_ms: int) -> list[int]:
    """`count` sorted random times inside the clip, at least `gap_ms` apart. Half are whole
    tenths of a second, as item writers write them (`at: 12.4`); those on a whole 200 ms
    fall exactly on a frame start at 25 fps."""
    margin, spread = 600, gap_ms + 100  # rounding to 100 ms moves a key point by <= 50 ms
    free = duration_ms - 2 * margin - spread * (count - 1)
    if free < 0:
        raise SystemExit(f"{count} key points do not fit {gap_ms} ms apart in the clip")
    points = sorted(rng.randrange(free) for _ in range(count))
    keys = [margin + point + i * spread for i, point in enumerate(points)]
    return [key if i % 2 else round(key, -2) for i, key in enumerate(keys)]


class Trial:
    """Drives one backend through every key point and records what it showed."""

    def __init__(self, backend: str, clip: Path, settle_ms: int) -> None:
        from PySide6.QtWidgets import QApplication

        from casebook_player.media.backends import create_player

        self.app = QApplication.instance() or QApplication(sys.argv[:1])
        self.player = create_player(backend, audio=False)
        self.settle_ms = settle_ms
        self.frames: list[int] = []
        self.landed: list[int] = []
        self.player.frame_ready.connect(lambda image: self.frames.append(frame_number(image)))
        self.player.paused_at.connect(self.landed.append)
        self.player.open(clip)
        if not self.wait(lambda: self.player.duration() > 0 and self.frames, 10):
            raise SystemExit(f"{backend}: the clip did not open")

    def wait(self, condition: Callable[[], object], timeout_s: float) -> bool:
        """Run the event loop until `condition()` holds; False after `timeout_s`."""
        from PySide6.QtCore import QEventLoop, QTimer

        if condition():
            return True
        deadline = time.monotonic() + timeout_s
        loop = QEventLoop()
        poll = QTimer()
        poll.timeout.connect(
            lambda: loop.quit() if condition() or time.monotonic() > deadline else None
        )
        poll.start(5)
        loop.exec()
        poll.stop()
        return bool(condition())

    def settle(self, ms: int) -> None:
        end = time.monotonic() + ms / 1000
        self.wait(lambda: time.monotonic() >= end, ms / 1000 + 1)

    def pause_into(self, key: int, lead_ms: int | None) -> tuple[int | None, int | None, float]:
        """Play into `key`; (frame shown once settled, latest frame emitted, seconds played)."""
        if lead_ms is not None:
            self.frames.clear()
            self.player.seek(max(0, key - lead_ms))
            self.wait(lambda: self.frames, 3)
            self.settle(100)
        self.player.pause_at(key)
        self.frames.clear()
        self.landed.clear()
        started = time.monotonic()
        ahead_s = max(0, key - self.player.position()) / 1000
        self.player.play()
        if not self.wait(lambda: self.landed, ahead_s + 5):
            self.player.pause()
            return None, max(self.frames, default=None), time.monotonic() - started
        played = time.monotonic() - started
        self.settle(self.settle_ms)
        shown = self.frames[-1] if self.frames else None
        return shown, max(self.frames, default=None), played


def run_backend(
    backend: str, clip: Path, keys: list[int], mode: str, settle_ms: int, rng: random.Random
) -> None:
    from casebook_player.media.backends import unavailable_reason

    trial = Trial(backend, clip, settle_ms) if unavailable_reason(backend) is None else None
    if trial is None:
        print(f"\n{backend}: not available here ({unavailable_reason(backend)})")
        return
    offsets: list[int] = []
    at_frame_start: list[int] = []  # offsets for key points exactly on a frame's first ms
    overshoot: list[int] = []
    missed = past = 0
    started = time.monotonic()
    for key in keys:
        lead = rng.randrange(300, 2000) if mode == "seek" else None
        shown, latest, _ = trial.pause_into(key, lead)
        expected = key // FRAME_MS
        if shown is None:
            missed += 1
            continue
        offsets.append(shown - expected)
        if key % FRAME_MS == 0:
            at_frame_start.append(shown - expected)
        if latest is not None:
            overshoot.append(latest - expected)
            past += latest > expected
    elapsed = time.monotonic() - started
    trial.player.close()
    exact = sum(1 for o in offsets if o == 0)
    within_one = sum(1 for o in offsets if abs(o) <= 1)
    print(
        f"\n{backend} ({trial.player.name}), mode {mode}: {len(keys)} key points in {elapsed:.0f} s"
    )
    print(histogram(offsets, "frame shown − key-point frame (once settled):"))
    print(histogram(overshoot, "latest frame emitted − key-point frame (> 0 means past):"))
    print(f"  exact frame:        {exact}/{len(keys)}")
    print(f"  within ±1 frame:    {within_one}/{len(keys)}")
    print(f"  past the key point: {past}/{len(keys)}  (any frame after it emitted)")
    print(f"  did not pause:      {missed}/{len(keys)}")
    exact_start = sum(1 for o in at_frame_start if o == 0)
    print(f"  exact, key point on a frame's first ms: {exact_start}/{len(at_frame_start)}")
    print(format_distribution("  |offset|", [abs(o) for o in offsets], "frames"))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--backends", nargs="+", default=["qt", "vlc"], choices=["qt", "vlc"])
    parser.add_argument("--keys", type=int, default=100, help="key points per backend (100)")
    parser.add_argument("--mode", choices=["through", "seek"], default="through")
    parser.add_argument("--gop", type=int, default=50, help="frames between keyframes (50)")
    parser.add_argument("--settle", type=int, default=400, help="ms to let the picture settle")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    header(f"pause precision: {args.keys} key points per backend, mode {args.mode}")
    with tempfile.TemporaryDirectory(prefix="casebook-pause-") as tmp:
        clip = Path(tmp) / "numbered.mp4"
        make_clip(clip, args.gop)
        print(
            f"   clip: {WIDTH}x{HEIGHT}, {FPS} fps, {SECONDS} s, H.264 keyframe every "
            f"{args.gop} frames, {clip.stat().st_size // 1024} KiB; settle {args.settle} ms"
        )
        rng = random.Random(args.seed)
        keys = key_times(rng, args.keys, SECONDS * 1000, 200)
        for backend in args.backends:
            run_backend(backend, clip, keys, args.mode, args.settle, random.Random(args.seed))


if __name__ == "__main__":
    main()
