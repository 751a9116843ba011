"""Media backends behind one small protocol (`MediaPlayer`), chosen by `create_player`."""

from __future__ import annotations

from casebook_player.media.backends import (
    available_backends,
    create_player,
    unavailable_reason,
)
from casebook_player.media.player import BackendUnavailable, MediaPlayer

__all__ = [
    "BackendUnavailable",
    "MediaPlayer",
    "available_backends",
    "create_player",
    "unavailable_reason",
]
