"""The Qt Multimedia backend meets the player contract."""

from __future__ import annotations

from contract import PlayerContract

from casebook_player.media.player import MediaPlayer
from casebook_player.media.qt_player import QtPlayer


class TestQtPlayer(PlayerContract):
    backend = "qt"

    def make_player(self) -> MediaPlayer:
        return QtPlayer(audio=False)
