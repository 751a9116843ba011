"""`auto` at run time: a file the preferred backend cannot decode plays on the next one.

Qt Multimedia on some machines loads a file and never decodes a picture (AV1 without a
decoder) or reports it undecodable, where libvlc plays it. `FallbackPlayer` plays every file
on the first backend and, when that one reports an error for a file that exists, opens the
same file on the next, where it was (position, pause point, playing or not); only when every
backend has failed is the error passed on, naming each one's reason. The next file starts
on the first backend again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QObject

from casebook_player.media.player import (
    BackendUnavailable,
    MediaPlayer,
    PlayerSignals,
    missing_file_message,
)

_log = logging.getLogger(__name__)

Factory = Callable[[], MediaPlayer]


class FallbackPlayer(PlayerSignals):
    """A MediaPlayer over backends in order of preference; `name` is the one playing."""

    def __init__(
        self, first: MediaPlayer, others: Sequence[Factory], parent: QObject | None = None
    ):
        super().__init__(parent)
        self._players: list[MediaPlayer | Factory] = [first, *others]
        self._index = 0
        self._failures: list[str] = []
        self._path: Path | None = None
        self._loop = False
        self._volume: float | None = None
        self._view: tuple[int, int] | None = None
        self._armed: int | None = None
        self._connect(first)

    @property
    def name(self) -> str:
        return self._current.name

    @property
    def _current(self) -> MediaPlayer:
        player = self._players[self._index]
        assert isinstance(player, MediaPlayer)
        return player

    # -- commands: passed on, and remembered for the next backend ---------------------------

    def open(self, path: Path) -> None:
        self._switch(0)
        self._path, self._armed, self._failures = path, None, []
        self._current.open(path)

    def close(self) -> None:
        self._path, self._armed = None, None
        self._current.close()

    def play(self) -> None:
        self._current.play()

    def pause(self) -> None:
        self._current.pause()

    def seek(self, ms: int) -> None:
        self._current.seek(ms)

    def step(self, frames: int) -> None:
        self._current.step(frames)

    def pause_at(self, ms: int | None) -> None:
        self._armed = ms
        self._current.pause_at(ms)

    def position(self) -> int:
        return self._current.position()

    def duration(self) -> int:
        return self._current.duration()

    def is_playing(self) -> bool:
        return self._current.is_playing()

    def set_loop(self, loop: bool) -> None:
        self._loop = loop
        self._current.set_loop(loop)

    def set_volume(self, volume: float) -> None:
        self._volume = volume
        self._current.set_volume(volume)

    def set_view_size(self, width: int, height: int) -> None:
        self._view = (width, height)
        self._current.set_view_size(width, height)

    # -- falling back -----------------------------------------------------------------------

    def _on_error(self, message: str) -> None:
        path = self._path
        last = self._index + 1 >= len(self._players)
        if path is None or last or missing_file_message(path) is not None:
            reasons = [*self._failures, message] if self._failures else [message]
            self.error.emit("; ".join(reasons))
            return
        self._failures.append(f"{self._current.name}: {message}")
        position, playing = self._current.position(), self._current.is_playing()
        try:
            self._switch(self._index + 1)
        except BackendUnavailable as exc:
            self.error.emit(f"{message}; {exc}")
            return
        _log.warning("%s; playing it with the %s backend", message, self.name)
        player = self._current
        player.open(path)
        if position > 0:
            player.seek(position)
        player.pause_at(self._armed)
        if playing:
            player.play()

    def _switch(self, index: int) -> None:
        if index == self._index:
            return
        entry = self._players[index]
        if not isinstance(entry, MediaPlayer):
            entry = entry()  # may raise BackendUnavailable: then nothing has changed
            self._players[index] = entry
        self._disconnect(self._current)
        self._current.close()
        self._index = index
        player = self._current
        player.set_loop(self._loop)
        if self._volume is not None:
            player.set_volume(self._volume)
        if self._view is not None:
            player.set_view_size(*self._view)
        self._connect(player)

    def _connect(self, player: MediaPlayer) -> None:
        for name in _FORWARDED:
            getattr(player, name).connect(getattr(self, name))
        player.error.connect(self._on_error)

    def _disconnect(self, player: MediaPlayer) -> None:
        for name in _FORWARDED:
            getattr(player, name).disconnect(getattr(self, name))
        player.error.disconnect(self._on_error)


_FORWARDED = (
    "position_changed",
    "duration_changed",
    "frame_ready",
    "playing_changed",
    "paused_at",
    "ended",
)

_: type[MediaPlayer] = FallbackPlayer  # mypy checks it against the MediaPlayer protocol
