"""The libvlc backend's callbacks without libvlc: picture size, picture labels."""

from __future__ import annotations

import ctypes
from types import ModuleType, SimpleNamespace
from typing import Any, cast

import pytest

from casebook_player.media import vlc_callbacks
from casebook_player.media.frames import FrameTimes
from casebook_player.media.vlc_callbacks import VideoTap, VlcBridge, picture_size

CODED_1080P = (1920, 1090)  # what libvlc offers for 1920x1080 H.264: padded rows


def test_scaled_down_to_fit_the_view_with_the_pictures_own_aspect() -> None:
    assert picture_size(CODED_1080P, (1920, 1080), (960, 900)) == (960, 540)
    assert picture_size(CODED_1080P, (1920, 1080), (1600, 450)) == (800, 450)


def test_never_enlarged() -> None:
    assert picture_size(CODED_1080P, (1920, 1080), (2560, 1440)) == CODED_1080P
    assert picture_size(CODED_1080P, (1920, 1080), (1920, 1080)) == CODED_1080P


def test_coded_size_where_the_files_size_or_the_view_is_unknown() -> None:
    assert picture_size(CODED_1080P, None, (960, 540)) == CODED_1080P
    assert picture_size(CODED_1080P, (1920, 1080), None) == CODED_1080P


def test_coded_size_where_the_file_disagrees_with_the_decoder() -> None:
    # A rotated video (the file says 1080x1920) or a size far from the coded one.
    assert picture_size(CODED_1080P, (1080, 1920), (960, 540)) == CODED_1080P
    assert picture_size(CODED_1080P, (1280, 720), (640, 360)) == CODED_1080P


def test_a_tiny_view_still_gets_a_picture() -> None:
    assert picture_size((160, 98), (160, 96), (1, 1)) == (1, 1)


class Clock:
    """Stands in for time.monotonic inside vlc_callbacks."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    """The time the callbacks read, moved by hand."""
    clock = Clock()
    monkeypatch.setattr(vlc_callbacks, "time", SimpleNamespace(monotonic=clock))
    return clock


def make_tap(clock: Clock, *, read: bool) -> tuple[VideoTap, list[int], list[int]]:
    """A tap on generation 3 whose clock says frame 0 at `clock.now`; what it sends and holds."""
    unchanged = SimpleNamespace(VideoLockCb=_same, VideoUnlockCb=_same, VideoDisplayCb=_same)
    tap = VideoTap(cast(ModuleType, SimpleNamespace(CallbackDecorators=unchanged)), VlcBridge())
    sent: list[int] = []
    held: list[int] = []
    tap.bridge.frame.connect(lambda generation, image: sent.append(generation))
    tap.bridge.happened.connect(lambda generation, kind, index: held.append(index))
    tap._buffer, tap._width, tap._height = ctypes.create_string_buffer(16), 2, 2
    tap.generation, tap.one_picture = 3, False
    tap.clock, tap.frames = (0.0, clock.now, read), FrameTimes(25.0)
    return tap, sent, held


def show(tap: VideoTap, clock: Clock, *at_ms: int) -> None:
    start = tap.clock[1]
    for ms in at_ms:
        clock.now = start + ms / 1000
        tap._display(None, None)


def test_on_a_read_clock_a_picture_is_never_labelled_as_the_frame_before_it(
    qapp: Any, clock: Clock
) -> None:
    # The clock says frame 10 for two pictures in a row (a late one, then the next on
    # time, with the clock's stamp late): the second is frame 11, past the limit.
    tap, sent, held = make_tap(clock, read=True)
    tap.limit = 10
    show(tap, clock, 370, 410, 425)  # frames 9, 10, then 11 read as 10
    assert sent == [3, 3]
    assert held == [11]
    assert tap.closed


def test_a_wider_margin_holds_pictures_back_from_before_the_key_frame(
    qapp: Any, clock: Clock
) -> None:
    # One frame and 25 ms ahead (as the player asks where it shows the file's own frame on
    # landing): nothing from 25 ms before frame 10 starts (400 ms) is sent.
    tap, sent, held = make_tap(clock, read=False)
    tap.limit, tap.margin_ms = 10, 40 + 25
    show(tap, clock, 330, 374, 375, 380)  # frames 8, 9, then 9 held back
    assert sent == [3, 3]
    assert held == [11]
    assert tap.closed


def test_on_a_started_clock_pictures_catching_up_are_not_pushed_ahead(
    qapp: Any, clock: Clock
) -> None:
    # A clock the player started runs ahead of the first pictures, which then come close
    # together: labelled by the clock alone, they are not held back early.
    tap, sent, held = make_tap(clock, read=False)
    tap.limit = 10
    show(tap, clock, 380, 390, 400, 410)  # read as 9, 9, 10, 10
    assert sent == [3, 3, 3, 3]
    assert held == []


def _same(function: Any) -> Any:
    return function
