"""Playing a real backend into key points of a clip whose frames carry their index, and
reading which frame it settled on (shared by tests/media and bench/)."""

from __future__ import annotations

import random
import time
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import av
from clipmatrix import BITS, HEIGHT, WIDTH, shown
from PySide6.QtCore import QCoreApplication, QEventLoop
from PySide6.QtGui import QColor, QImage

from casebook_player.media.player import MediaPlayer


@dataclass(frozen=True)
class Landing:
    key_ms: int
    at: int  # position in the file of the frame on screen at the key point
    due: int  # the source frame index that frame carries
    settled: int | None  # index of the frame the player settled on (None: no picture)
    latest: int  # the latest frame index shown while playing into it

    @property
    def frames_early(self) -> int | None:
        return None if self.settled is None else self.due - self.settled


def in_media_time(path: Path) -> list[tuple[float, int]]:
    """Each frame's time (s) from the start of the media (its earliest stream), and code."""
    with av.open(str(path)) as container:
        origin = (container.start_time or 0) / av.time_base
    return [(t - origin, code) for t, code in shown(path)]


def index_in(image: QImage) -> int:
    """The source frame index drawn in a picture (eight squares across the middle band)."""
    y = int(image.height() * 24 / HEIGHT)
    square = WIDTH / BITS
    bits = [
        QColor(image.pixel(int(image.width() * (b + 0.5) * square / WIDTH), y)).lightness() > 128
        for b in range(BITS)
    ]
    return sum(1 << b for b, on in enumerate(bits) if on)


def wait_until(condition: Callable[[], bool], timeout_ms: int) -> None:
    """Run the event loop until ``condition`` holds; TimeoutError after ``timeout_ms``."""
    deadline = time.monotonic() + timeout_ms / 1000
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"not within {timeout_ms} ms")
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 10)
        time.sleep(0.002)


def settle(ms: int) -> None:
    end = time.monotonic() + ms / 1000
    while time.monotonic() < end:
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 10)
        time.sleep(0.002)


def play_into_key_points(
    player: MediaPlayer, path: Path, frames_of: list[tuple[float, int]], keys: int, seed: str
) -> tuple[list[float], list[int], list[Landing]]:
    """Arm ``keys`` random key points (seeded) one by one, play into each from 200 ms before,
    and report where the player settled; also the frames' times (ms) and codes."""
    times = [round(1000 * t, 3) for t, _ in frames_of]  # as exact as the player reads them
    codes = [code for _, code in frames_of]
    frames: list[int] = []
    landed: list[int] = []
    player.frame_ready.connect(lambda image: frames.append(index_in(image)))
    player.paused_at.connect(landed.append)
    player.open(path)
    wait_until(lambda: player.duration() > 0 and bool(frames), 5000)
    first = int(times[0]) + 300
    points = random.Random(seed).sample(range(first, player.duration() - 100), keys)
    landings = []
    for ms in sorted(points):
        player.seek(ms - 200)
        player.pause_at(ms)
        wait_until(lambda: not player.is_playing(), 2000)
        frames.clear()
        landed.clear()
        player.play()
        wait_until(lambda: bool(landed), 3000)
        settle(150)
        at = bisect_right(times, ms) - 1
        settled = frames[-1] if frames else None
        landings.append(Landing(ms, at, codes[at], settled, max(frames, default=-1)))
    player.close()
    return times, codes, landings
