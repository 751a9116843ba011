"""Frame arithmetic: on a constant grid, and on a file's own frame times."""

from __future__ import annotations

from pathlib import Path

import pytest
from clipmatrix import NTSC, VFR, constant, make_audio, make_clip

from casebook_player.media.frames import FrameTimes, read_frame_times
from casebook_player.media.qt_player import seek_time


def test_grid_frames_cover_their_own_milliseconds() -> None:
    times = FrameTimes(25.0)
    assert [times.at(ms) for ms in (0, 39, 40, 79, 80)] == [0, 0, 1, 1, 2]
    assert [times.start(i) for i in range(3)] == [0, 40, 80]
    assert times.length(7) == 40.0


def test_grid_starts_round_up_into_their_frame() -> None:
    times = FrameTimes(NTSC)
    for index in range(300):
        assert times.at(times.start(index)) == index
        assert times.at(times.start(index) - 1) == index - 1 or index == 0


def test_an_unknown_rate_falls_back_to_25_fps() -> None:
    assert FrameTimes(0.0).start(1) == 40


def test_table_times_follow_irregular_intervals() -> None:
    times = FrameTimes(starts=(0.0, 40.0, 100.0, 130.0))
    assert [times.at(ms) for ms in (0, 39, 40, 99, 100, 129, 130, 5000)] == [0, 0, 1, 1, 2, 2, 3, 3]
    assert [times.start(i) for i in (-1, 0, 1, 2, 3, 9)] == [0, 0, 40, 100, 130, 130]
    assert [times.length(i) for i in range(4)] == [40.0, 60.0, 30.0, 30.0]


def test_fractional_table_times_round_up_into_their_frame() -> None:
    times = FrameTimes(starts=tuple(i * 1000 / NTSC for i in range(100)))
    for index in range(100):
        assert times.at(times.start(index)) == index


@pytest.mark.parametrize(
    ("position", "frames", "expected"), [(50, 1, 100), (50, -1, 0), (0, 9, 130)]
)
def test_steps_move_by_table_frames_inside_the_media(
    position: int, frames: int, expected: int
) -> None:
    times = FrameTimes(starts=(0.0, 40.0, 100.0, 130.0))
    assert times.step(position, frames, duration=160) == expected


def test_a_variable_rate_file_is_timed_by_its_own_timestamps(tmp_path: Path) -> None:
    path = make_clip(tmp_path / "vfr.mp4", VFR)
    times = read_frame_times(path)
    assert times.starts == pytest.approx([1000 * t for t in VFR], abs=0.02)


def test_a_late_start_counts_from_the_start_of_the_media(tmp_path: Path) -> None:
    path = make_clip(tmp_path / "late.mp4", [0.5 + t for t in constant(25, 0.4)], audio="aac")
    times = read_frame_times(path)
    assert times.starts[0] == pytest.approx(500, abs=1)  # the audio starts at 0
    assert times.origin == 0


def test_a_late_start_of_the_only_stream_is_the_origin(tmp_path: Path) -> None:
    path = make_clip(tmp_path / "late.mp4", [0.5 + t for t in constant(25, 0.4)])
    times = read_frame_times(path)
    assert times.origin == pytest.approx(500, abs=1)
    assert times.starts[:3] == pytest.approx([0, 40, 80], abs=0.02)


def test_a_file_without_video_keeps_the_grid(tmp_path: Path) -> None:
    path = make_audio(tmp_path / "narration.m4a", "aac", "mp4")
    assert read_frame_times(path, 30.0) == FrameTimes(30.0)
    assert read_frame_times(tmp_path / "missing.mp4", 30.0) == FrameTimes(30.0)


@pytest.mark.parametrize(
    ("times", "span"),
    [
        (FrameTimes(30.0), 1000 / 30),  # Qt holds each frame one frame long
        (FrameTimes(starts=tuple(i * 1000 / NTSC for i in range(90))), 1000 / 600),  # one tick
        (FrameTimes(starts=tuple(1000 * t for t in VFR)), 54.0),  # the average frame length
    ],
    ids=["constant", "ntsc-600", "vfr"],
)
def test_qt_is_aimed_where_it_shows_the_frame_due(times: FrameTimes, span: float) -> None:
    """Qt shows the first frame whose end (start + span) lies after the position."""
    for index in range(1, 30):
        aimed = seek_time(times, index, span)
        shown = next(i for i in range(60) if times.time(i) + span > aimed)
        assert shown == index, (index, aimed)
        assert times.at(aimed) == index  # and the position lies in the frame's own time
