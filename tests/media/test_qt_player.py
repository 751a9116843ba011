"""The Qt Multimedia backend meets the player contract."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import av
import pytest
from clipmatrix import constant, make_clip
from contract import PlayerContract, Recorder
from framecode import GOP_CLIP, TONE, TONE_MS, frame_at

from casebook_player.media.player import MediaPlayer
from casebook_player.media.qt_player import FIRST_FRAME_MS, QtPlayer

QT_WAIT_MS = FIRST_FRAME_MS + 3000


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


def test_seek_while_paused_is_exact_in_long_gop_video(qtbot: Any) -> None:
    # Qt shows the frame before a B-frame clip's frame start unless nudged into the frame.
    player = QtPlayer(audio=False)
    rec = Recorder(player)
    player.open(GOP_CLIP)
    qtbot.waitUntil(lambda: rec.last_frame == 0, timeout=3000)
    for ms in (40, 400, 410, 960, 1440, 1460, 1999, 0):
        rec.clear()
        player.seek(ms)
        qtbot.waitUntil(lambda ms=ms: rec.last_frame == frame_at(ms), timeout=2000)
        assert player.position() == ms
    player.step(1)
    qtbot.waitUntil(lambda: rec.last_frame == 1, timeout=2000)
    assert player.position() == 40
    player.close()


def test_a_video_that_shows_no_picture_is_an_error_not_a_black_frame(
    qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # AV1: Qt's FFmpeg loads it; where it has no decoder it plays nothing and says nothing.
    av.logging.set_level(av.logging.ERROR)
    clip = make_clip(tmp_path / "av1.mp4", constant(25, 1.0), codec="libsvtav1")
    player = QtPlayer(audio=False)
    rec = Recorder(player, read_frames=False)
    player.open(clip)
    qtbot.waitUntil(lambda: bool(rec.errors) or bool(rec.frames), timeout=QT_WAIT_MS)
    if rec.frames:
        pytest.skip("this Qt Multimedia decodes AV1")
    assert rec.errors == [
        "Cannot play av1.mp4: no picture was decoded within 3 s "
        "(its video codec cannot be played here)"
    ]
    player.close()


def test_the_no_picture_watch_stops_at_the_first_frame(qtbot: Any) -> None:
    player = QtPlayer(audio=False)
    rec = Recorder(player)
    player.open(GOP_CLIP)
    qtbot.waitUntil(lambda: rec.last_frame == 0, timeout=3000)
    qtbot.wait(FIRST_FRAME_MS + 300)
    assert rec.errors == []
    player.close()


def test_a_frame_past_the_key_point_is_never_shown_before_qt_says_it_plays(
    qtbot: Any,
) -> None:
    """Under load, frames arrive before Qt reports the playing state or a new position: the
    hold-back must not wait for either (seen: frames up to 3 past a key point at 60 fps).
    The frames are handed to the player's sink as Qt would, the instant play() returns."""
    from PySide6.QtCore import QSize
    from PySide6.QtMultimedia import QVideoFrame, QVideoFrameFormat

    player = QtPlayer(audio=False)
    rec = Recorder(player, read_frames=False)
    player.open(GOP_CLIP)
    qtbot.waitUntil(lambda: len(rec.frames) > 0, timeout=3000)
    player.seek(657)  # 200 ms before the key point, as a candidate resumes the narration
    qtbot.wait(300)
    player.pause_at(857)
    rec.clear()
    player.play()

    def frame(ms: int) -> QVideoFrame:
        made = QVideoFrame(
            QVideoFrameFormat(QSize(16, 16), QVideoFrameFormat.PixelFormat.Format_RGBA8888)
        )
        made.setStartTime(ms * 1000)
        made.setEndTime((ms + 40) * 1000)
        return made

    sink = player._sink
    sink.setVideoFrame(frame(840))  # the key frame (starts 840 ms at 25 fps): shown
    shown = len(rec.frames)
    time.sleep(0.25)  # as long as playing there takes; no Qt event (state, position) is seen
    sink.setVideoFrame(frame(880))  # after the key point: never shown, the player lands
    assert len(rec.frames) == shown
    assert rec.paused_at == [857]
    player.close()
