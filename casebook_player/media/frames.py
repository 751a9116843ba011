"""Which frame is on screen at a time, and back: by the file's own frame times.

A file whose frames were read (`read_frame_times`) is timed by its presentation timestamps,
so variable frame rates and timescales that are no multiple of the rate land on the frame
that is really due. Otherwise frames lie on a constant grid of the reported rate.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from dataclasses import dataclass
from pathlib import Path

from casebook_player.core.case.probe import frame_table

DEFAULT_FPS = 25.0
# A time rounded up from a frame start (see FrameTimes.start) still falls in that frame.
_EPSILON = 1e-6


@dataclass(frozen=True)
class FrameTimes:
    """Frame n covers [starts[n], starts[n+1]) ms, or [n·d, (n+1)·d) on a grid of `fps`."""

    fps: float = DEFAULT_FPS
    starts: tuple[float, ...] = ()  # the file's frame times in ms, sorted; empty: the grid
    origin: float = 0.0  # ms from timestamp 0 to the start of the media (0 for most files)

    @property
    def frame_ms(self) -> float:
        """Duration of one frame on the grid (falls back to 25 fps for an unknown rate)."""
        return 1000.0 / (self.fps if self.fps > 0 else DEFAULT_FPS)

    def at(self, ms: float) -> int:
        """Index of the frame on screen at `ms`."""
        if self.starts:
            return max(0, bisect_right(self.starts, ms + _EPSILON) - 1)
        return max(0, math.floor(ms / self.frame_ms + _EPSILON))

    def time(self, index: int) -> float:
        """When frame `index` starts, in ms (the table's first or last beyond its ends)."""
        if self.starts:
            return self.starts[max(0, min(index, len(self.starts) - 1))]
        return max(0, index) * self.frame_ms

    def start(self, index: int) -> int:
        """First whole ms that shows frame `index` (rounded up, so never in index-1)."""
        return max(0, math.ceil(self.time(index) - _EPSILON))

    def length(self, index: int) -> float:
        """How long frame `index` is on screen, in ms (the last one: as long as the one before)."""
        starts = self.starts
        if len(starts) < 2:
            return self.frame_ms
        index = max(0, min(index, len(starts) - 2))
        return starts[index + 1] - starts[index]

    def step(self, position: int, frames: int, duration: int) -> int:
        """Where a step of `frames` from `position` lands, kept inside the media."""
        target = self.start(self.at(position) + frames)
        if duration > 0:
            target = min(target, self.start(self.at(max(0, duration - 1))))
        return max(0, target)


def read_frame_times(path: Path, fps: float = DEFAULT_FPS) -> FrameTimes:
    """`path`'s own frame times; the grid of `fps` where they cannot be read (no video)."""
    table = frame_table(path)
    return FrameTimes(fps, table.starts, table.origin)
