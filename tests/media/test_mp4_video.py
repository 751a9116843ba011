"""Reading an MP4's video track from its sample tables: the picture size."""

from __future__ import annotations

from pathlib import Path

from framecode import CLIP, GOP_CLIP, TONE

from casebook_player.media.mp4_video import VideoTrack, video_track


def test_all_intra_and_long_gop_clips() -> None:
    assert video_track(CLIP) == VideoTrack(size=(160, 96))
    assert video_track(GOP_CLIP) == VideoTrack(size=(160, 96))


def test_the_size_is_the_pictures_not_the_decoders_padded_one() -> None:
    # 360 rows are coded as 368 (whole 16-row macroblocks); the sample entry says 360.
    sample = Path(__file__).parents[2] / "cases/aaa/media/aorta_transverse.mp4"
    assert video_track(sample).size == (480, 360)


def test_unknown_for_audio_only_junk_and_missing_files(tmp_path: Path) -> None:
    junk = tmp_path / "junk.mp4"
    junk.write_bytes(b"\x00\x00\x00\x10moov" + b"\xff" * 8 + b"not an mp4" * 100)
    text = tmp_path / "text.mp4"
    text.write_text("[build-system]\nrequires = []\n")
    for path in (TONE, junk, text, tmp_path / "missing.mp4"):
        assert video_track(path) == VideoTrack(), path


def test_truncated_file_is_unknown(tmp_path: Path) -> None:
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(GOP_CLIP.read_bytes()[:200])
    assert video_track(cut) == VideoTrack()
