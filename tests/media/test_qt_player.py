"""The Qt Multimedia backend meets the player contract."""

from __future__ import annotations

import time
from typing import Any

from contract import PlayerContract
from framecode import TONE, TONE_MS

from casebook_player.media.player import MediaPlayer
from casebook_player.media.qt_player import QtPlayer


class TestQtPlayer(PlayerContract):
    backend = "qt"

    def make_player(self) -> MediaPlayer:
        return QtPlayer(audio=False)


def test_audio_only_keeps_real_time_when_sound_is_wanted(qtbot: Any) -> None:
    player = QtPlayer(audio=True)
    player.set_volume(0.0)
    player.open(TONE)
    qtbot.waitUntil(lambda: player.duration() > 0, timeout=3000)
    started = time.monotonic()
    with qtbot.waitSignal(player.ended, timeout=4000):
        player.play()
    assert time.monotonic() - started >= 0.8 * TONE_MS / 1000
    player.close()
