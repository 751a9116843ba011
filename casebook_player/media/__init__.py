"""Media backends behind one small protocol (`MediaPlayer`), chosen by `create_player`.

    player = create_player()            # "auto": Qt Multimedia, else libvlc; player.name says
    player.frame_ready.connect(view.show_image)
    player.open(path); player.seek(start_ms); player.pause_at(key_ms); player.play()
    # ... paused_at(key_ms) arrives with the key point's frame on screen

Backends: qt_player.QtPlayer, vlc_player.VlcPlayer (python-vlc, optional) and, for tests of
code that uses a player, fake_player.FakePlayer (a clock moved by hand with `advance(ms)`).
The media layer knows nothing of cases: it plays a file, reports position, stops where told.
"""

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
