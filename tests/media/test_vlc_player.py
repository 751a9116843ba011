"""The libvlc backend meets the player contract (skipped only where libvlc is absent)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import av
import numpy as np
import pytest
from contract import PlayerContract, Recorder, vlc_missing
from framecode import CLIP, GOP_CLIP, TONE, TONE_MS, frame_at, frame_number
from PySide6.QtGui import QImage

from casebook_player.media.player import MediaPlayer
from casebook_player.media.vlc_player import VlcPlayer

MISSING = vlc_missing()
pytestmark = pytest.mark.skipif(MISSING is not None, reason=f"libvlc unavailable: {MISSING}")


class TestVlcPlayer(PlayerContract):
    backend = "vlc"

    def make_player(self) -> MediaPlayer:
        return VlcPlayer(audio=False)


def test_audio_only_keeps_real_time_when_sound_is_wanted(qtbot: Any) -> None:
    # Where there is no sound card (CI), libvlc would decode it to the end at once; that
    # early end must not count as reaching the pause point either.
    player = VlcPlayer(audio=True)
    player.set_volume(0.0)
    player.open(TONE)
    qtbot.waitUntil(lambda: player.duration() > 0, timeout=3000)
    player.seek(200)
    player.pause_at(700)
    started = time.monotonic()
    with qtbot.waitSignal(player.paused_at, timeout=4000):
        player.play()
    assert time.monotonic() - started >= 0.4
    assert player.position() == 700
    started = time.monotonic()
    with qtbot.waitSignal(player.ended, timeout=4000):
        player.play()
    assert time.monotonic() - started >= 0.8 * (TONE_MS - 700) / 1000
    player.close()


@pytest.mark.parametrize("clip", [CLIP, GOP_CLIP], ids=["intra", "long-gop"])
def test_pause_point_soon_after_a_seek_while_playing_is_never_late(qtbot: Any, clip: Path) -> None:
    # A fresh input's clock is off by up to a frame until its first TimeChanged (~300 ms):
    # the tap holds pictures back early enough, and the file's own frame is shown.
    player = VlcPlayer(audio=False)
    rec = Recorder(player)
    player.open(clip)
    qtbot.waitUntil(lambda: rec.last_frame == 0, timeout=3000)
    for start, key in ((900, 1199), (300, 560)):
        player.seek(1700)
        player.play()
        qtbot.waitUntil(lambda: player.position() > 1750, timeout=3000)
        player.seek(start)  # while playing: a fresh input
        player.pause_at(key)
        rec.clear()
        qtbot.waitUntil(lambda: bool(rec.paused_at), timeout=3000)
        qtbot.wait(150)
        assert rec.paused_at == [key]
        assert max(rec.frames) <= frame_at(key), f"past the key point: {rec.frames}"
        assert rec.last_frame == frame_at(key), rec.frames
    player.close()


def test_seek_and_step_while_paused_in_long_gop_video(qtbot: Any) -> None:
    # A fresh paused input shows the wrong picture, or none, in long-GOP video; the file's
    # own frame is shown instead, the last one included.
    player = VlcPlayer(audio=False)
    rec = Recorder(player)
    player.open(GOP_CLIP)
    qtbot.waitUntil(lambda: rec.last_frame == 0, timeout=3000)

    def shows(ms: int) -> None:
        wanted = frame_at(ms)
        qtbot.waitUntil(lambda: rec.last_frame == wanted, timeout=3000)
        qtbot.wait(150)
        assert rec.frames == [wanted]

    for ms in (400, 1460, 1999):
        rec.clear()
        player.seek(ms)
        shows(ms)
        assert player.position() == ms
    rec.clear()
    player.step(-1)
    shows(1920)
    player.close()


@pytest.mark.parametrize(
    ("view", "expected"),
    [((80, 80), (80, 48)), ((0, 0), (160, 96)), ((1000, 1000), (160, 96))],
    ids=["smaller", "no-limit", "larger"],
)
def test_pictures_fit_the_view(
    qtbot: Any, view: tuple[int, int], expected: tuple[int, int]
) -> None:
    player = VlcPlayer(audio=False)
    images: list[QImage] = []
    player.frame_ready.connect(images.append)
    player.set_view_size(*view)
    player.open(CLIP)
    player.play()
    qtbot.waitUntil(lambda: len(images) > 5, timeout=3000)
    player.pause()
    player.seek(1460)  # the paused picture, decoded from the file, at the same size
    qtbot.waitUntil(lambda: frame_number(images[-1]) == frame_at(1460), timeout=3000)
    assert {(image.width(), image.height()) for image in images} == {expected}
    player.close()


def write_bordered_clip(path: Path) -> None:
    """Blue 320x180 H.264 (coded as 192 rows), its bottom 6 rows red."""
    picture = np.zeros((180, 320, 3), np.uint8)
    picture[:, :] = (0, 0, 255)
    picture[-6:, :] = (255, 0, 0)
    with av.open(str(path), "w") as container:
        stream = container.add_stream("libx264", rate=25)
        stream.width, stream.height, stream.pix_fmt = 320, 180, "yuv420p"
        for _ in range(10):
            frame = av.VideoFrame.from_ndarray(picture, format="rgb24")
            container.mux(stream.encode(frame))
        container.mux(stream.encode())


def test_scaled_pictures_are_the_whole_picture_without_padding(qtbot: Any, tmp_path: Path) -> None:
    clip = tmp_path / "bordered.mp4"
    write_bordered_clip(clip)
    player = VlcPlayer(audio=False)
    images: list[QImage] = []
    player.frame_ready.connect(images.append)
    player.set_view_size(160, 160)
    player.open(clip)
    qtbot.waitUntil(lambda: bool(images), timeout=3000)
    player.close()
    image = images[-1]
    assert (image.width(), image.height()) == (160, 90)
    assert image.pixelColor(80, 89).red() > 200  # the red border, not padding below it
    assert image.pixelColor(80, 80).blue() > 200
