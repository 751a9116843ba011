"""Files item writers bring, once normalized, pause exactly on both real backends.

Each kind is converted by `casebook media normalize`; 20 key points (seeded) are armed and
played into, and the picture the player settles on must be the normalized file's frame at
the key point (libvlc: or the one before, as its contract allows), read from the code each
frame carries, with no later frame ever shown.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import av
import pytest
from clipmatrix import BITS, HEIGHT, MATRIX, WIDTH, make_clip, shown, stretched
from contract import vlc_missing
from PySide6.QtGui import QColor, QImage

from casebook_player.core.case.normalize import normalize
from casebook_player.media.player import MediaPlayer
from casebook_player.media.qt_player import QtPlayer

KINDS = ("vfr.mp4", "ntsc-600.mov", "late-start.mp4", "mjpeg.avi")
KEY_POINTS = 20
# As in the player contract: libvlc may land one frame early (at 29.97 fps it does, on some
# key points), never past; Qt Multimedia lands exactly.
EARLY_ALLOWED = {"qt": 0, "vlc": 1}


def qt() -> MediaPlayer:
    return QtPlayer(audio=False)


def vlc() -> MediaPlayer:
    missing = vlc_missing()
    if missing is not None:
        pytest.skip(f"libvlc unavailable: {missing}")
    from casebook_player.media.vlc_player import VlcPlayer

    return VlcPlayer(audio=False)


def index_in(image: QImage) -> int:
    """The source frame index drawn in a picture (eight squares across the middle band)."""
    y = int(image.height() * 24 / HEIGHT)
    square = WIDTH / BITS
    bits = [
        QColor(image.pixel(int(image.width() * (b + 0.5) * square / WIDTH), y)).lightness() > 128
        for b in range(BITS)
    ]
    return sum(1 << b for b, on in enumerate(bits) if on)


@pytest.fixture(scope="module")
def normalized(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, list[int]]]:
    """Each kind normalized: its file and the source index each output frame shows."""
    av.logging.set_level(av.logging.ERROR)
    folder = tmp_path_factory.mktemp("normalized")
    files = {}
    for kind in KINDS:
        source = make_clip(folder / kind, **stretched(MATRIX[kind][0], 3.0))
        report = normalize(source, folder / "out")
        files[kind] = (report.target, [index for _, index in shown(report.target)])
    return files


@pytest.mark.slow
@pytest.mark.parametrize("make", [qt, vlc], ids=["qt", "vlc"])
@pytest.mark.parametrize("kind", KINDS)
def test_key_points_land_on_their_frame(
    qtbot: Any,
    normalized: dict[str, tuple[Path, list[int]]],
    kind: str,
    make: Callable[[], MediaPlayer],
) -> None:
    path, indexes = normalized[kind]
    player = make()
    frames: list[int] = []
    landed: list[int] = []
    player.frame_ready.connect(lambda image: frames.append(index_in(image)))
    player.paused_at.connect(landed.append)
    player.open(path)
    qtbot.waitUntil(lambda: player.duration() > 0 and bool(frames), timeout=5000)
    duration = player.duration()
    rate = len(indexes) * 1000 / duration
    rng = random.Random(kind)
    for ms in sorted(rng.sample(range(300, duration - 100), KEY_POINTS)):
        out_frame = min(len(indexes) - 1, int(ms * rate / 1000))
        player.seek(ms - 200)
        player.pause_at(ms)
        qtbot.waitUntil(lambda: not player.is_playing(), timeout=2000)
        frames.clear()
        landed.clear()
        player.play()
        qtbot.waitUntil(lambda: bool(landed), timeout=3000)
        due = indexes[out_frame]
        allowed = set(indexes[max(0, out_frame - EARLY_ALLOWED[player.name]) : out_frame + 1])
        qtbot.wait(150)
        assert frames and frames[-1] in allowed, (ms, due, frames)
        assert max(frames) <= due, f"a frame past the key point at {ms} ms: {frames}"
    player.close()
