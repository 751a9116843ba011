"""Key points land on their frame on both real backends, in files as item writers bring
them (played directly, timed by their own frame timestamps) and once normalized.

20 key points (seeded) are armed and played into; the picture the player settles on must
be the file's frame at the key point (libvlc: or the one before, as its contract allows),
read from the code each frame carries, with no later frame ever shown.
"""

from __future__ import annotations

import random
from bisect import bisect_left, bisect_right
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

NORMALIZED = ("vfr.mp4", "ntsc-600.mov", "late-start.mp4", "mjpeg.avi")
# Refused by validate, but where a file is played directly (practice, preview) the backends
# time it by its own frame timestamps.
LATE = "late-start.mp4"
DIRECT = ("vfr.mp4", "rate-change.mp4", "ntsc-600.mov", LATE)
KEY_POINTS = 20
# As in the player contract: libvlc may land a little early, never past: on the frame before
# (at 29.97 fps it does, on some key points), or up to 40 ms before at high rates (it labels
# pictures by a clock with that much error, not by their timestamps). Qt lands exactly.
EARLY_ALLOWED = {"qt": (0, 0.0), "vlc": (1, 40.0)}  # frames, or ms
# Where frame intervals vary, libvlc's clock labels can run one more frame ahead: two frames
# early (docs/media.md). Never past.
EARLY_ALLOWED_DIRECT = {**EARLY_ALLOWED, "vlc": (2, 50.0)}

Clip = tuple[Path, list[tuple[float, int]]]  # a file, each frame's media time (s) and code


def qt() -> MediaPlayer:
    return QtPlayer(audio=False)


def vlc() -> MediaPlayer:
    missing = vlc_missing()
    if missing is not None:
        pytest.skip(f"libvlc unavailable: {missing}")
    from casebook_player.media.vlc_player import VlcPlayer

    return VlcPlayer(audio=False)


BACKENDS = pytest.mark.parametrize("make", [qt, vlc], ids=["qt", "vlc"])


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
def clips(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Clip]:
    """Each kind as made, with its frames."""
    av.logging.set_level(av.logging.ERROR)
    folder = tmp_path_factory.mktemp("clips")
    made = {}
    for kind in sorted({*NORMALIZED, *DIRECT}):
        path = make_clip(folder / kind, **stretched(MATRIX[kind][0], 3.0))
        made[kind] = (path, in_media_time(path))
    return made


def in_media_time(path: Path) -> list[tuple[float, int]]:
    """Each frame's code and time from the start of the media (its earliest stream)."""
    with av.open(str(path)) as container:
        origin = (container.start_time or 0) / av.time_base
    return [(t - origin, code) for t, code in shown(path)]


@pytest.fixture(scope="module")
def normalized(clips: dict[str, Clip], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Clip]:
    folder = tmp_path_factory.mktemp("normalized")
    converted = {}
    for kind in NORMALIZED:
        target = normalize(clips[kind][0], folder).target
        converted[kind] = (target, in_media_time(target))
    return converted


@pytest.mark.slow
@BACKENDS
@pytest.mark.parametrize("kind", NORMALIZED)
def test_normalized_key_points_land_on_their_frame(
    qtbot: Any, normalized: dict[str, Clip], kind: str, make: Callable[[], MediaPlayer]
) -> None:
    check_key_points(qtbot, make(), *normalized[kind], seed=kind, early=EARLY_ALLOWED)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("kind", "make"),
    # libvlc refuses a late start (see the test below).
    [(kind, make) for kind in DIRECT for make in (qt, vlc) if (kind, make) != (LATE, vlc)],
    ids=lambda value: value if isinstance(value, str) else value.__name__,
)
def test_direct_key_points_land_on_their_frame(
    qtbot: Any, clips: dict[str, Clip], kind: str, make: Callable[[], MediaPlayer]
) -> None:
    check_key_points(qtbot, make(), *clips[kind], seed=kind, early=EARLY_ALLOWED_DIRECT)


def test_libvlc_refuses_a_media_start_it_cannot_time(qtbot: Any, clips: dict[str, Clip]) -> None:
    player = vlc()
    errors: list[str] = []
    player.error.connect(errors.append)
    player.open(clips[LATE][0])
    assert errors and "starts at 0.500 s" in errors[0] and "casebook media normalize" in errors[0]
    assert not player.is_playing() and player.duration() == 0


def check_key_points(
    qtbot: Any,
    player: MediaPlayer,
    path: Path,
    frames_of: list[tuple[float, int]],
    seed: str,
    early: dict[str, tuple[int, float]],
) -> None:
    times = [round(1000 * t, 3) for t, _ in frames_of]  # as exact as the player reads them
    codes = [code for _, code in frames_of]
    frames: list[int] = []
    landed: list[int] = []
    player.frame_ready.connect(lambda image: frames.append(index_in(image)))
    player.paused_at.connect(landed.append)
    player.open(path)
    qtbot.waitUntil(lambda: player.duration() > 0 and bool(frames), timeout=5000)
    rng = random.Random(seed)
    first = int(times[0]) + 300
    for ms in sorted(rng.sample(range(first, player.duration() - 100), KEY_POINTS)):
        at = bisect_right(times, ms) - 1
        player.seek(ms - 200)
        player.pause_at(ms)
        qtbot.waitUntil(lambda: not player.is_playing(), timeout=2000)
        frames.clear()
        landed.clear()
        player.play()
        qtbot.waitUntil(lambda: bool(landed), timeout=3000)
        frames_early, ms_early = early[player.name]
        first = min(at - frames_early, bisect_left(times, times[at] - ms_early))
        allowed = set(codes[max(0, first) : at + 1])
        qtbot.wait(150)
        assert frames and frames[-1] in allowed, (ms, codes[at], frames)
        assert max(frames) <= codes[at], f"a frame past the key point at {ms} ms: {frames}"
    player.close()
