"""The libvlc backend meets the player contract (skipped only where libvlc is absent)."""

from __future__ import annotations

import time
from typing import Any

import pytest
from contract import PlayerContract, vlc_missing
from framecode import TONE, TONE_MS

from casebook_player.media.player import MediaPlayer
from casebook_player.media.vlc_player import VlcPlayer

MISSING = vlc_missing()
pytestmark = pytest.mark.skipif(MISSING is not None, reason=f"libvlc unavailable: {MISSING}")


class TestVlcPlayer(PlayerContract):
    backend = "vlc"

    def make_player(self) -> MediaPlayer:
        return VlcPlayer(audio=False)


def test_audio_only_keeps_real_time_when_sound_is_wanted(qtbot: Any) -> None:
    # Where there is no sound card (CI), libvlc would decode it to the end at once.
    player = VlcPlayer(audio=True)
    player.set_volume(0.0)
    player.open(TONE)
    qtbot.waitUntil(lambda: player.duration() > 0, timeout=3000)
    started = time.monotonic()
    with qtbot.waitSignal(player.ended, timeout=4000):
        player.play()
    assert time.monotonic() - started >= 0.8 * TONE_MS / 1000
    player.close()
