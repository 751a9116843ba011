"""The libvlc backend meets the player contract (skipped only where libvlc is absent)."""

from __future__ import annotations

import pytest
from contract import PlayerContract

from casebook_player.media.player import BackendUnavailable, MediaPlayer
from casebook_player.media.vlc_callbacks import vlc_instance
from casebook_player.media.vlc_player import VlcPlayer, player_args


def _vlc_missing() -> str | None:
    try:
        vlc_instance(player_args(audio=False))
    except BackendUnavailable as exc:
        return str(exc)
    return None


MISSING = _vlc_missing()
pytestmark = pytest.mark.skipif(MISSING is not None, reason=f"libvlc unavailable: {MISSING}")


class TestVlcPlayer(PlayerContract):
    backend = "vlc"

    def make_player(self) -> MediaPlayer:
        return VlcPlayer(audio=False)
