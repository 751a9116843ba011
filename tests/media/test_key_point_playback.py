"""Key points land on their frame on both real backends, in files as item writers bring
them (played directly, timed by their own frame timestamps) and once normalized.

20 key points (seeded) are armed and played into; the picture the player settles on must
be the file's frame at the key point, read from the code each frame carries, with no later
frame ever shown.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import av
import pytest
from clipmatrix import MATRIX, make_clip, stretched
from contract import vlc_missing
from keypoints import in_media_time, play_into_key_points

from casebook_player.core.case.normalize import normalize
from casebook_player.media.player import MediaPlayer
from casebook_player.media.qt_player import QtPlayer

NORMALIZED = ("vfr.mp4", "ntsc-600.mov", "late-start.mp4", "mjpeg.avi")
# Refused by validate, but where a file is played directly (practice, preview) the backends
# time it by its own frame timestamps.
LATE = "late-start.mp4"
DIRECT = ("vfr.mp4", "rate-change.mp4", "ntsc-600.mov", LATE)
KEY_POINTS = 20
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
    check_key_points(make(), *normalized[kind], seed=kind)


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
    check_key_points(make(), *clips[kind], seed=kind)


def test_libvlc_refuses_a_media_start_it_cannot_time(qtbot: Any, clips: dict[str, Clip]) -> None:
    player = vlc()
    errors: list[str] = []
    player.error.connect(errors.append)
    player.open(clips[LATE][0])
    assert errors and "starts at 0.500 s" in errors[0] and "casebook media normalize" in errors[0]
    assert not player.is_playing() and player.duration() == 0


def check_key_points(
    player: MediaPlayer,
    path: Path,
    frames_of: list[tuple[float, int]],
    seed: str,
    keys: int = KEY_POINTS,
) -> None:
    _, _, landings = play_into_key_points(player, path, frames_of, keys, seed)
    for landing in landings:
        # Both backends exactly: Qt seeks to the key point, libvlc shows the file's own frame.
        assert landing.settled == landing.due, landing
        assert landing.latest <= landing.due, f"a frame past the key point: {landing}"
