"""An imported DICOM cine pauses exactly at key points on both real backends.

The cine's frames carry their index (as tests/clipmatrix.py draws it); the DICOM frame
timing is 33.333 ms a frame with one frame late (FrameTimeVector), so the import's constant
rate has a repeated frame to get right. Key points are checked as for any normalized clip
(test_key_point_playback.py: Qt exact, libvlc within its documented allowance).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from clipmatrix import frame_picture
from dicomfactory import write_us
from keypoints import in_media_time
from test_key_point_playback import BACKENDS, check_key_points

from casebook_player.core.case.dicom_import import import_dicom
from casebook_player.media.player import MediaPlayer

FRAMES = 75  # 2.5 s at 30 fps
KEYS = 8


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[tuple[float, int]]]:
    folder = tmp_path_factory.mktemp("dicom-playback")
    pixels = np.stack([frame_picture(index) for index in range(FRAMES)])
    vector = [0.0] + [33.333] * (FRAMES - 1)
    vector[40] = 66.667  # one frame late: the constant-rate clip shows the one before twice
    source = write_us(folder / "cine.dcm", pixels=pixels, timing={"FrameTimeVector": vector})
    result = import_dicom(source, folder / "media")
    assert result.frame_rate == 30
    frames = in_media_time(result.target)
    codes = [code for _, code in frames]
    assert codes[:40] == list(range(40)) and codes[40] == 39  # the repeat, in its place
    return result.target, frames


@pytest.mark.slow
@BACKENDS
def test_an_imported_cine_pauses_on_its_frame(
    qtbot: Any,
    imported: tuple[Path, list[tuple[float, int]]],
    make: Callable[[], MediaPlayer],
) -> None:
    check_key_points(make(), *imported, seed="dicom", keys=KEYS)
