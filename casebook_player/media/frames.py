"""Frame arithmetic shared by the backends: which frame is on screen at a time, and back."""

from __future__ import annotations

import math

DEFAULT_FPS = 25.0


def frame_ms(fps: float) -> float:
    """Duration of one frame in ms (falls back to 25 fps for an unknown rate)."""
    return 1000.0 / (fps if fps > 0 else DEFAULT_FPS)


def frame_at(ms: int, fps: float) -> int:
    """Index of the frame on screen at `ms` (frame n covers [n·d, (n+1)·d))."""
    # The epsilon keeps a time rounded up from a frame start (see frame_start) in that frame.
    return max(0, math.floor(ms / frame_ms(fps) + 1e-6))


def frame_start(index: int, fps: float) -> int:
    """First whole ms that shows frame `index` (rounded up, so it never falls in index-1)."""
    return max(0, math.ceil(index * frame_ms(fps) - 1e-6))


def step_target(position: int, frames: int, fps: float, duration: int) -> int:
    """Where a step of `frames` from `position` lands, kept inside the media."""
    target = frame_start(frame_at(position, fps) + frames, fps)
    if duration > 0:
        last = frame_start(frame_at(max(0, duration - 1), fps), fps)
        target = min(target, last)
    return max(0, target)
