"""The picture size the libvlc backend asks for (pure; runs without libvlc)."""

from __future__ import annotations

from casebook_player.media.vlc_callbacks import picture_size

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
