"""FakePlayer: a MediaPlayer driven by hand, for tests of the code that uses a player.

Nothing moves until the test calls `advance(ms)`; every signal is emitted synchronously, so
tests need no event loop and no media files beyond empty ones.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import ClassVar

from PySide6.QtCore import QObject
from PySide6.QtGui import QColor, QImage

from casebook_player.media.frames import FrameTimes
from casebook_player.media.player import (
    MediaPlayer,
    PlayerSignals,
    clamp_volume,
    is_video_path,
    missing_file_message,
)

DEFAULT_DURATION_MS = 60_000
FRAME_SIZE = (32, 18)


class FakePlayer(PlayerSignals):
    """A player with a controllable clock that records every call.

    - `duration_for(path)` gives each file's duration (default 60 000 ms for any file).
    - A missing file, or one in `fail_paths`, emits `error` on open.
    - `.mp4 .webm .mkv .mov` count as video: a small grey frame is emitted on open, seek,
      step, landing and after each `advance`; other files are audio-only.
    - `calls` lists every API call, e.g. `("open", path)`, `("seek", 1200)`, `("play",)`.
    """

    name: ClassVar[str] = "fake"

    def __init__(
        self,
        duration_for: Callable[[Path], int] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.calls: list[tuple[object, ...]] = []
        self.fail_paths: set[Path] = set()
        self.tick_ms = 40  # position_changed granularity inside advance()
        self.volume = 1.0
        self.loop = False
        self.path: Path | None = None  # the open file
        self._duration_for = duration_for
        self._duration = 0
        self._position = 0
        self._playing = False
        self._video = False
        self._key: int | None = None
        self._before = False  # a pause point lands only when playback crosses it

    # -- the test's clock -------------------------------------------------------------------

    def advance(self, ms: int) -> None:
        """Let `ms` of playback pass (only while playing), emitting what a backend would."""
        remaining = max(0, int(ms))
        while remaining > 0 and self._playing:
            step = min(remaining, max(1, self.tick_ms))
            target = self._position + step
            if self._key is not None and self._before and target >= self._key:
                self._land(self._key)
                return
            if target >= self._duration:
                used = self._duration - self._position
                if self.loop and self._duration > 0:
                    remaining -= max(1, used)
                    self._position = 0
                    self._before = self._key is not None and self._key > 0
                    self.position_changed.emit(0)
                    continue
                self._end()
                return
            self._position = target
            remaining -= step
            self.position_changed.emit(target)
        if self._playing:
            self._emit_frame()

    # -- MediaPlayer ------------------------------------------------------------------------

    def open(self, path: Path) -> None:
        self.calls.append(("open", path))
        self._reset()
        message = missing_file_message(path)
        if message is None and Path(path) in {Path(p) for p in self.fail_paths}:
            message = f"Cannot play {Path(path).name}: the file cannot be decoded (fake)"
        if message is not None:
            self.error.emit(message)
            return
        self.path = path
        self._video = is_video_path(path)
        duration = self._duration_for(path) if self._duration_for else DEFAULT_DURATION_MS
        self._duration = max(0, int(duration))
        self.duration_changed.emit(self._duration)
        self.position_changed.emit(0)
        self._emit_frame()

    def close(self) -> None:
        self.calls.append(("close",))
        self._reset()

    def play(self) -> None:
        self.calls.append(("play",))
        if self.path is None or self._playing:
            return
        if self._position >= self._duration:
            self._position = 0  # after the end, play starts over
            self._before = self._key is not None and self._key > 0
            self.position_changed.emit(0)
        self._set_playing(True)

    def pause(self) -> None:
        self.calls.append(("pause",))
        self._set_playing(False)

    def seek(self, ms: int) -> None:
        self.calls.append(("seek", ms))
        self._seek(ms)

    def step(self, frames: int) -> None:
        self.calls.append(("step", frames))
        if self.path is None:
            return
        self._set_playing(False)
        self._seek(FrameTimes().step(self._position, frames, self._duration))

    def pause_at(self, ms: int | None) -> None:
        self.calls.append(("pause_at", ms))
        self._key = ms
        self._before = ms is not None and self._position < ms

    def position(self) -> int:
        return self._position

    def duration(self) -> int:
        return self._duration

    def is_playing(self) -> bool:
        return self._playing

    def set_loop(self, loop: bool) -> None:
        self.calls.append(("set_loop", loop))
        self.loop = loop

    def set_volume(self, volume: float) -> None:
        self.calls.append(("set_volume", volume))
        self.volume = clamp_volume(volume)

    def set_view_size(self, width: int, height: int) -> None:
        self.calls.append(("set_view_size", width, height))

    # -- helpers ----------------------------------------------------------------------------

    def call_names(self) -> list[str]:
        """Just the method names from `calls`, in order."""
        return [str(call[0]) for call in self.calls]

    def _seek(self, ms: int) -> None:
        if self.path is None:
            return
        self._position = max(0, min(int(ms), self._duration))
        self._before = self._key is not None and self._position < self._key
        self.position_changed.emit(self._position)
        self._emit_frame()

    def _land(self, key: int) -> None:
        self._key = None
        self._before = False
        self._position = key
        self.position_changed.emit(key)
        self._set_playing(False)
        self._emit_frame()
        self.paused_at.emit(key)

    def _end(self) -> None:
        self._position = self._duration
        self.position_changed.emit(self._duration)
        self._set_playing(False)
        self.ended.emit()

    def _reset(self) -> None:
        self._set_playing(False)
        self.path = None
        self._video = False
        self._key = None
        self._before = False
        self._duration = 0
        self._position = 0

    def _set_playing(self, playing: bool) -> None:
        if playing != self._playing:
            self._playing = playing
            self.playing_changed.emit(playing)

    def _emit_frame(self) -> None:
        if self.path is not None and self._video:
            image = QImage(*FRAME_SIZE, QImage.Format.Format_RGB32)
            image.fill(QColor(128, 128, 128))
            self.frame_ready.emit(image)


_: type[MediaPlayer] = FakePlayer  # mypy checks FakePlayer against the MediaPlayer protocol
