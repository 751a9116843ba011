"""The interface every media backend implements (`MediaPlayer`), and its error type.

`MediaPlayer` is a Protocol, so mypy tells when a backend lacks a method or has one with the
wrong signature. A backend subclasses `PlayerSignals` for the Qt signals it emits and
implements the methods itself; each backend module checks itself against the Protocol.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol, runtime_checkable

from PySide6.QtCore import QObject, Signal, SignalInstance
from PySide6.QtGui import QImage

VIDEO_SUFFIXES = frozenset({".mp4", ".webm", ".mkv", ".mov"})


class BackendUnavailable(RuntimeError):
    """A media backend was asked for but cannot run here; the message says how to fix it."""


class PlayerSignals(QObject):
    """The Qt signals of a `MediaPlayer`, declared once; every backend subclasses this.

    What each signal means is part of the contract: see `MediaPlayer`.
    """

    position_changed = Signal(int)
    duration_changed = Signal(int)
    frame_ready = Signal(QImage)
    playing_changed = Signal(bool)
    paused_at = Signal(int)
    ended = Signal()
    error = Signal(str)


@runtime_checkable
class MediaPlayer(Protocol):
    """Plays one media file at a time and reports what it shows.

    Backends subclass `PlayerSignals` and implement every method below. All methods are
    called from the GUI thread and every signal is delivered on it. Times are integer
    milliseconds.
    """

    @property
    def name(self) -> str:
        """The backend playing: "qt" | "vlc" | "fake" (a class attribute in each backend)."""

    # Signals (a `PlayerSignals` subclass provides them); the arguments in brackets.
    position_changed: SignalInstance  # (int) ms; at least every ~50 ms while playing
    duration_changed: SignalInstance  # (int) ms
    frame_ready: SignalInstance  # (QImage) each new video frame (never for audio-only media)
    playing_changed: SignalInstance  # (bool)
    paused_at: SignalInstance  # (int) an armed pause_at(ms) has landed; arg = ms (exact)
    ended: SignalInstance  # () reached the end of the media (not emitted while looping)
    error: SignalInstance  # (str) human-readable: file missing, cannot be decoded, ...

    def open(self, path: Path) -> None:
        """Load `path`, paused at 0; the first frame is emitted when it is video.

        A missing or undecodable file emits `error` (during this call or later), never raises.
        """

    def close(self) -> None:
        """Release the current source; the player can open another file afterwards."""

    def play(self) -> None:
        """Start or resume playback; after the end, play restarts from 0."""

    def pause(self) -> None:
        """Pause where playback is; the position stays readable."""

    def seek(self, ms: int) -> None:
        """Jump to `ms`; while paused, the frame at `ms` is emitted."""

    def step(self, frames: int) -> None:
        """Move `frames` video frames forward (or back if negative), pausing first."""

    def pause_at(self, ms: int | None) -> None:
        """Arm a one-shot pause: when playback reaches `ms`, pause showing that frame.

        Emits `paused_at(ms)` on landing. The frame at `ms` is the one on screen at `ms`;
        no later frame is emitted. `None` disarms. Arming again replaces the previous point.
        """

    def position(self) -> int:
        """Current position in ms."""

    def duration(self) -> int:
        """Duration of the open media in ms (0 while unknown or nothing is open)."""

    def is_playing(self) -> bool:
        """True while playing (not paused, stopped or ended)."""

    def set_loop(self, loop: bool) -> None:
        """Loop forever from the end back to 0; `ended` is then never emitted."""

    def set_volume(self, volume: float) -> None:
        """Audio volume from 0.0 to 1.0 (clamped)."""

    def set_view_size(self, width: int, height: int) -> None:
        """Frames are shown at most this large (device pixels); 0 means no limit.

        A hint for memory: a backend may then deliver smaller frames, the video's picture
        scaled down to fit, its aspect kept; never larger than the video. It may apply from
        the next file or seek on. A backend may ignore it.
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
