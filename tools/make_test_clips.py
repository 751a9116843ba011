"""Generate the small media files the media tests play (needs numpy and ffmpeg on PATH).

    .venv/bin/python tools/make_test_clips.py [--out tests/data]

frames.mp4  160×96, 25 fps, 2 s (50 frames), H.264 yuv420p, every frame a keyframe so any
            seek lands exactly. Each frame shows its own number twice: as 8 big black/white
            blocks (binary, most significant bit left) across the top band, for tests to read
            back from pixels, and as three seven-segment digits below, for people.
frames_gop.mp4  the same frames encoded like typical clips: a keyframe every 25 frames and
            B-frames (x264 defaults), where seeking needs decoding from a keyframe.
tone.m4a    1 s 440 Hz sine, AAC mono, for audio-only tests.

The outputs are committed (CI has no ffmpeg); rerun this only to change them. The block layout
is read back by tests/media/framecode.py: keep the two in step.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

import numpy as np
import numpy.typing as npt

WIDTH, HEIGHT = 160, 96
FPS = 25
FRAMES = 50
BITS = 8
BAND_HEIGHT = 40  # the binary code band; each block is WIDTH // BITS wide
BACKGROUND = 128  # mid grey below the band, so digits stand out from both block colours

# Seven-segment patterns (a, b, c, d, e, f, g) for 0-9.
# fmt: off
SEGMENTS = {
    0: "abcdef", 1: "bc", 2: "abdeg", 3: "abcdg", 4: "bcfg",
    5: "acdfg", 6: "acdefg", 7: "abc", 8: "abcdefg", 9: "abcdfg",
}
# fmt: on
DIGIT_W, DIGIT_H, STROKE = 24, 44, 5

Frame = npt.NDArray[np.uint8]


def draw_digit(img: Frame, digit: int, x: int, y: int) -> None:
    """Draw one seven-segment digit in black with its top-left corner at (x, y)."""
    half = DIGIT_H // 2
    boxes = {
        "a": (x, y, DIGIT_W, STROKE),
        "b": (x + DIGIT_W - STROKE, y, STROKE, half),
        "c": (x + DIGIT_W - STROKE, y + half, STROKE, half),
        "d": (x, y + DIGIT_H - STROKE, DIGIT_W, STROKE),
        "e": (x, y + half, STROKE, half),
        "f": (x, y, STROKE, half),
        "g": (x, y + half - STROKE // 2, DIGIT_W, STROKE),
    }
    for seg in SEGMENTS[digit]:
        bx, by, bw, bh = boxes[seg]
        img[by : by + bh, bx : bx + bw] = 0


def make_frame(number: int) -> Frame:
    """One grey-scale frame (HEIGHT × WIDTH) that shows `number` in binary and in digits."""
    img = np.full((HEIGHT, WIDTH), BACKGROUND, dtype=np.uint8)
    block = WIDTH // BITS
    for bit in range(BITS):
        on = (number >> (BITS - 1 - bit)) & 1
        img[:BAND_HEIGHT, bit * block : (bit + 1) * block] = 255 if on else 0
    text = f"{number:03d}"
    gap = 8
    x0 = (WIDTH - (len(text) * DIGIT_W + (len(text) - 1) * gap)) // 2
    y0 = BAND_HEIGHT + (HEIGHT - BAND_HEIGHT - DIGIT_H) // 2
    for i, ch in enumerate(text):
        draw_digit(img, int(ch), x0 + i * (DIGIT_W + gap), y0)
    return img


INTRA = ["-g", "1", "-bf", "0"]  # every frame a keyframe: seeks are exact in every backend
LONG_GOP = ["-g", "25"]  # x264's default B-frames (3, pyramid), like ordinary clips


def write_video(path: Path, gop: list[str]) -> None:
    """Pipe raw grey frames into ffmpeg → H.264 MP4 with the given GOP options."""
    # Option/value pairs read better side by side.
    # fmt: off
    cmd = [
        "ffmpeg", "-v", "error", "-y",
        "-f", "rawvideo", "-pix_fmt", "gray", "-s", f"{WIDTH}x{HEIGHT}", "-r", str(FPS),
        "-i", "-",
        "-c:v", "libx264", "-preset", "veryslow", "-crf", "30", *gop,
        "-pix_fmt", "yuv420p", "-movflags", "+faststart",
        # No encoder tag: the file stays byte-identical across runs.
        "-map_metadata", "-1", "-fflags", "+bitexact", "-flags:v", "+bitexact",
        str(path),
    ]
    # fmt: on
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE)
    assert proc.stdin is not None
    for n in range(FRAMES):
        proc.stdin.write(make_frame(n).tobytes())
    proc.stdin.close()
    if proc.wait() != 0:
        raise SystemExit(f"ffmpeg failed for {path}")


def write_tone(path: Path) -> None:
    """A 1 s 440 Hz sine as AAC in an .m4a container."""
    # fmt: off
    cmd = [
        "ffmpeg", "-v", "error", "-y",
        "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=22050:duration=1",
        "-c:a", "aac", "-b:a", "32k", "-ac", "1",
        "-map_metadata", "-1", "-fflags", "+bitexact", "-flags:a", "+bitexact",
        str(path),
    ]
    # fmt: on
    subprocess.run(cmd, check=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default_out = Path(__file__).resolve().parent.parent / "tests" / "data"
    parser.add_argument("--out", type=Path, default=default_out)
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    write_video(args.out / "frames.mp4", INTRA)
    write_video(args.out / "frames_gop.mp4", LONG_GOP)
    write_tone(args.out / "tone.m4a")
    for name in ("frames.mp4", "frames_gop.mp4", "tone.m4a"):
        print(f"{args.out / name}: {(args.out / name).stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
