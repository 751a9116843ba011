"""Reading from an MP4's sample tables whether every video frame is a keyframe."""

from __future__ import annotations

from pathlib import Path

from framecode import CLIP, GOP_CLIP, TONE

from casebook_player.media.mp4_keyframes import all_keyframes


def test_all_intra_clip() -> None:
    assert all_keyframes(CLIP) is True


def test_long_gop_clip() -> None:
    assert all_keyframes(GOP_CLIP) is False


def test_unknown_for_audio_only_junk_and_missing_files(tmp_path: Path) -> None:
    junk = tmp_path / "junk.mp4"
    junk.write_bytes(b"\x00\x00\x00\x10moov" + b"\xff" * 8 + b"not an mp4" * 100)
    text = tmp_path / "text.mp4"
    text.write_text("[build-system]\nrequires = []\n")
    assert all_keyframes(TONE) is None
    assert all_keyframes(junk) is None
    assert all_keyframes(text) is None
    assert all_keyframes(tmp_path / "missing.mp4") is None


def test_truncated_file_is_unknown(tmp_path: Path) -> None:
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(GOP_CLIP.read_bytes()[:200])
    assert all_keyframes(cut) in (None, False)
