"""The file's own frame at a time, decoded by PyAV: the libvlc backend's paused picture."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import av
import pytest
from clipmatrix import MATRIX, make_clip
from framecode import GOP_CLIP, frame_number
from keypoints import index_in
from PySide6.QtGui import QImage

from casebook_player.media.exact_frame import ExactFrameError, FrameGrabber, decode_frame
from casebook_player.media.frames import FrameTimes, read_frame_times


def same_size(width: int, height: int) -> tuple[int, int]:
    return width, height


def test_every_frame_of_a_long_gop_clip_with_b_frames(qapp: Any) -> None:
    times = read_frame_times(GOP_CLIP)
    assert len(times.starts) == 50
    for index in range(50):
        image = decode_frame(GOP_CLIP, index, times, same_size)
        assert frame_number(image) == index


@pytest.mark.parametrize("kind", ["bframes.mp4", "vfr.mp4", "ntsc-600.mov", "mpeg4.avi"])
def test_every_frame_of_files_as_item_writers_bring_them(
    qapp: Any, tmp_path: Path, kind: str
) -> None:
    # B-frames with an edit list, irregular times, a coarse timescale, another container.
    av.logging.set_level(av.logging.ERROR)
    path = make_clip(tmp_path / kind, **MATRIX[kind][0])
    times = read_frame_times(path)
    assert times.starts
    for index in range(len(times.starts)):
        assert index_in(decode_frame(path, index, times, same_size)) == index, index


def test_the_picture_is_rgb32_at_the_size_asked(qapp: Any) -> None:
    asked: list[tuple[int, int]] = []

    def half(width: int, height: int) -> tuple[int, int]:
        asked.append((width, height))
        return width // 2, height // 2

    image = decode_frame(GOP_CLIP, 30, read_frame_times(GOP_CLIP), half)
    assert asked == [(160, 96)]
    assert (image.width(), image.height()) == (80, 48)
    assert image.format() is QImage.Format.Format_RGB32
    assert frame_number(image) == 30


def test_a_file_that_does_not_decode_is_an_error_saying_so(tmp_path: Path) -> None:
    junk = tmp_path / "junk.mp4"
    junk.write_bytes(b"\x00" * 4096)
    for path in (junk, tmp_path / "missing.mp4"):
        with pytest.raises(ExactFrameError):
            decode_frame(path, 0, FrameTimes(25.0), same_size)


def test_the_grabber_answers_the_latest_request(qtbot: Any) -> None:
    grabber = FrameGrabber()
    times = read_frame_times(GOP_CLIP)
    answers: list[tuple[int, int]] = []
    grabber.grabbed.connect(lambda number, image: answers.append((number, frame_number(image))))
    numbers = [grabber.request(GOP_CLIP, index, times, same_size) for index in (3, 17, 44)]
    qtbot.waitUntil(lambda: bool(answers) and answers[-1][0] == numbers[-1], timeout=3000)
    assert answers[-1] == (numbers[-1], 44)
    # The first may have been under way already; the middle one was overtaken before it began
    # unless the first had finished: never more than two decodes for three requests in a row.
    assert len(answers) <= 2 or answers == list(zip(numbers, (3, 17, 44), strict=True))


def test_the_grabber_reports_a_failure_with_its_number(qtbot: Any, tmp_path: Path) -> None:
    grabber = FrameGrabber()
    junk = tmp_path / "junk.mp4"
    junk.write_bytes(b"\x00" * 4096)
    failures: list[tuple[int, str]] = []
    grabber.failed.connect(lambda number, why: failures.append((number, why)))
    number = grabber.request(junk, 0, FrameTimes(25.0), same_size)
    qtbot.waitUntil(lambda: bool(failures), timeout=3000)
    assert failures[0][0] == number and failures[0][1]


def test_a_cancelled_request_is_never_answered(qtbot: Any) -> None:
    grabber = FrameGrabber()
    answers: list[int] = []
    grabber.grabbed.connect(lambda number, image: answers.append(number))
    grabber.request(GOP_CLIP, 3, read_frame_times(GOP_CLIP), same_size)
    grabber.cancel()
    qtbot.wait(300)
    assert len(answers) <= 1  # one under way may still answer; nothing after the cancel
    last = grabber.request(GOP_CLIP, 5, read_frame_times(GOP_CLIP), same_size)
    qtbot.waitUntil(lambda: last in answers, timeout=3000)
