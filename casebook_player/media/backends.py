"""Choosing a media backend: Qt Multimedia first, libvlc as the fallback, a fake for tests.

Backend modules are imported only when asked for, so a machine without QtMultimedia's
system libraries or without libvlc can still use the other one.
"""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QCoreApplication, QObject

from casebook_player.media.fallback import FallbackPlayer
from casebook_player.media.player import BackendUnavailable, MediaPlayer

REAL_BACKENDS = ("qt", "vlc")  # in order of preference for "auto"
QT_HINT = "apt-get install libpulse0, and pip install PySide6-Addons"

_probed: dict[str, str | None] = {}  # backend → None if usable, else why not


def create_player(
    backend: str = "auto", parent: QObject | None = None, *, audio: bool = True
) -> MediaPlayer:
    """A new player of `backend` ("auto", "qt", "vlc" or "fake"); `.name` tells which.

    "auto" takes qt and falls back to vlc when Qt Multimedia cannot be imported or started,
    and, where both work, also for each file qt cannot decode (see fallback.py).
    `audio=False` plays silently without needing a sound device (tests, CI).
    Raises BackendUnavailable, with what to install, for an unknown or unusable backend.
    """
    if backend == "auto":
        reasons = []
        for index, name in enumerate(REAL_BACKENDS):
            try:
                player = create_player(name, parent, audio=audio)
            except BackendUnavailable as exc:
                reasons.append(f"{name}: {exc}")
                continue
            later = [n for n in REAL_BACKENDS[index + 1 :] if unavailable_reason(n) is None]
            if not later:
                return player
            return FallbackPlayer(
                player,
                [partial(create_player, n, parent, audio=audio) for n in later],
                parent,
            )
        raise BackendUnavailable("No media backend works here. " + "; ".join(reasons))
    if backend == "qt":
        return _qt_player(parent, audio)
    if backend == "vlc":
        from casebook_player.media.vlc_player import VlcPlayer

        return VlcPlayer(parent, audio=audio)
    if backend == "fake":
        from casebook_player.media.fake_player import FakePlayer

        return FakePlayer(parent=parent)
    raise BackendUnavailable(
        f"Unknown media backend {backend!r}: use auto, {', '.join(REAL_BACKENDS)} or fake"
    )


def available_backends() -> list[str]:
    """The real backends that work here, in order of preference ("fake" always works too).

    The answer is probed once per process. Qt Multimedia is only probed fully (a player is
    created) once a QCoreApplication exists; before that, importing it must succeed.
    """
    return [name for name in REAL_BACKENDS if unavailable_reason(name) is None]


def unavailable_reason(backend: str) -> str | None:
    """Why `backend` cannot be used here, or None if it can."""
    if backend not in _probed:
        reason: str | None = None
        try:
            if backend == "qt":
                _probe_qt()
            elif backend == "vlc":
                _probe_vlc()
            elif backend != "fake":
                reason = f"unknown media backend {backend!r}"
        except BackendUnavailable as exc:
            reason = str(exc)
        if backend == "qt" and reason is None and QCoreApplication.instance() is None:
            return None  # not conclusive yet: probe again once an application exists
        _probed[backend] = reason
    return _probed[backend]


def _qt_player(parent: QObject | None, audio: bool) -> MediaPlayer:
    try:
        from casebook_player.media.qt_player import QtPlayer
    except ImportError as exc:  # e.g. libpulse.so.0 missing
        raise BackendUnavailable(f"Qt Multimedia cannot be imported ({exc}): {QT_HINT}") from exc
    return QtPlayer(parent, audio=audio)


def _probe_qt() -> None:
    try:
        from PySide6.QtMultimedia import QMediaPlayer
    except ImportError as exc:
        raise BackendUnavailable(f"Qt Multimedia cannot be imported ({exc}): {QT_HINT}") from exc
    if QCoreApplication.instance() is not None:
        # A player that never plays is safe to create and delete (only stop() deadlocks).
        player = QMediaPlayer()
        try:
            if not player.isAvailable():
                raise BackendUnavailable(f"Qt Multimedia has no working backend: {QT_HINT}")
        finally:
            player.deleteLater()


def _probe_vlc() -> None:
    from casebook_player.media.vlc_callbacks import vlc_instance
    from casebook_player.media.vlc_player import player_args

    vlc_instance(player_args(audio=False))
