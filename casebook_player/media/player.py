"""The one interface every media backend implements, and its error type."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QImage

VIDEO_SUFFIXES = frozenset({".mp4", ".webm", ".mkv", ".mov"})


class BackendUnavailable(RuntimeError):
    """A media backend was asked for but cannot run here; the message says how to fix it."""


class MediaPlayer(QObject):
    """Plays one media file at a time and reports what it shows.

    Backends subclass this and implement every method. All methods are called from the GUI
    thread and every signal is delivered on it. Times are integer milliseconds.
    """

    position_changed = Signal(int)  # ms; at least every ~50 ms while playing
    duration_changed = Signal(int)  # ms
    frame_ready = Signal(QImage)  # each new video frame (never for audio-only media)
    playing_changed = Signal(bool)
    paused_at = Signal(int)  # an armed pause_at(ms) has landed; arg = ms (exact)
    ended = Signal()  # reached the end of the media (not emitted while looping)
    error = Signal(str)  # human-readable: file missing, cannot be decoded, ...

    name: ClassVar[str]  # "qt" | "vlc" | "fake"

    def open(self, path: Path) -> None:
        """Load `path`, paused at 0; the first frame is emitted when it is video.

        A missing or undecodable file emits `error` (during this call or later), never raises.
        """
        raise NotImplementedError

    def close(self) -> None:
        """Release the current source; the player can open another file afterwards."""
        raise NotImplementedError

    def play(self) -> None:
        """Start or resume playback; after the end, play restarts from 0."""
        raise NotImplementedError

    def pause(self) -> None:
        """Pause where playback is; the position stays readable."""
        raise NotImplementedError

    def seek(self, ms: int) -> None:
        """Jump to `ms`; while paused, the frame at `ms` is emitted."""
        raise NotImplementedError

    def step(self, frames: int) -> None:
        """Move `frames` video frames forward (or back if negative), pausing first."""
        raise NotImplementedError

    def pause_at(self, ms: int | None) -> None:
        """Arm a one-shot pause: when playback reaches `ms`, pause showing that frame.

        Emits `paused_at(ms)` on landing. The frame at `ms` is the one on screen at `ms`;
        no later frame is emitted. `None` disarms. Arming again replaces the previous point.
        """
        raise NotImplementedError

    def position(self) -> int:
        """Current position in ms."""
        raise NotImplementedError

    def duration(self) -> int:
        """Duration of the open media in ms (0 while unknown or nothing is open)."""
        raise NotImplementedError

    def is_playing(self) -> bool:
        """True while playing (not paused, stopped or ended)."""
        raise NotImplementedError

    def set_loop(self, loop: bool) -> None:
        """Loop forever from the end back to 0; `ended` is then never emitted."""
        raise NotImplementedError

    def set_volume(self, volume: float) -> None:
        """Audio volume from 0.0 to 1.0 (clamped)."""
        raise NotImplementedError

    def set_view_size(self, width: int, height: int) -> None:
        """Frames are shown at most this large (device pixels); 0 means no limit.

        A hint for memory: a backend may then deliver smaller frames, the video's picture
        scaled down to fit, its aspect kept; never larger than the video. It may apply from
        the next file or seek on. The default ignores it.
        """


def missing_file_message(path: Path) -> str | None:
    """The error text for a path that cannot be opened at all, or None if it is a file."""
    if not path.exists():
        return f"Media file not found: {path}"
    if not path.is_file():
        return f"Not a media file: {path}"
    return None


def is_video_path(path: Path) -> bool:
    """Whether the file name says video (used where the backend cannot look inside)."""
    return path.suffix.lower() in VIDEO_SUFFIXES


def clamp_volume(volume: float) -> float:
    """Volume limited to 0.0..1.0."""
    return min(1.0, max(0.0, float(volume)))
