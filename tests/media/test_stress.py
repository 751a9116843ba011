"""One long-lived player opened, played and closed over and over must never hang.

Qt Multimedia deadlocked in 8 of 9 create → play → stop → delete loops (media notes); the Qt
backend avoids stop() and reuses one QMediaPlayer. The libvlc backend stops and restarts its
input on every pause and seek while libvlc threads call back into Python. A hang here is
caught by the watchdog in conftest.py, which dumps every thread's stack and ends the run.
"""

from __future__ import annotations

import time
from typing import Any

import pytest
from contract import Recorder, vlc_missing
from framecode import CLIP, TONE

from casebook_player.media.player import MediaPlayer
from casebook_player.media.qt_player import QtPlayer
from casebook_player.media.vlc_player import VlcPlayer

QT_CYCLES = 100
VLC_CYCLES = 30


def cycle(qtbot: Any, player: MediaPlayer, rec: Recorder, n: int) -> None:
    """open → play → wait until playback moves → (pause / seek) → close."""
    rec.clear()
    player.open(TONE if n % 5 == 4 else CLIP)
    player.play()
    qtbot.waitUntil(lambda: player.position() > 0 and bool(rec.positions), timeout=5000)
    if n % 3 == 1:
        player.pause()
    elif n % 3 == 2:
        player.seek(100)
    player.close()
    assert rec.errors == []


@pytest.mark.slow
def test_qt_player_survives_many_open_play_close_cycles(qtbot: Any) -> None:
    player = QtPlayer(audio=False)
    rec = Recorder(player)
    started = time.monotonic()
    for n in range(QT_CYCLES):
        cycle(qtbot, player, rec, n)
    # Still healthy afterwards.
    player.open(CLIP)
    qtbot.waitUntil(lambda: rec.last_frame == 0, timeout=3000)
    assert time.monotonic() - started < 45


@pytest.mark.slow
def test_vlc_player_survives_many_open_play_close_cycles(qtbot: Any) -> None:
    missing = vlc_missing()
    if missing is not None:
        pytest.skip(f"libvlc unavailable: {missing}")
    player = VlcPlayer(audio=False)
    rec = Recorder(player)
    for n in range(VLC_CYCLES):
        cycle(qtbot, player, rec, n)
    player.open(CLIP)
    qtbot.waitUntil(lambda: rec.last_frame == 0, timeout=3000)
