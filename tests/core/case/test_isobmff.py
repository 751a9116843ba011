"""MP4 box structure: boxes that do not fit, and nesting past the limit, are refused."""

from __future__ import annotations

import struct
from pathlib import Path

import av
import pytest
from casefactory import write_case

from casebook_player.core.case import isobmff
from casebook_player.core.case.loader import load_case
from casebook_player.core.case.mediainfo import box_problem, media_duration
from casebook_player.core.case.problems import CaseError
from casebook_player.media.mp4_video import video_track

DATA = Path(__file__).resolve().parents[2] / "data"


def box(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", 8 + len(payload)) + kind + payload


def nested_moov(depth: int) -> bytes:
    data = box(b"free", b"")
    for _ in range(depth):
        data = box(b"moov", data)
    return box(b"ftyp", b"isom") + data


def huge_box(clip: bytes) -> bytes:
    """The clip with a box after it declaring 2^62 bytes (a 64-bit size)."""
    return clip + struct.pack(">I4sQ", 1, b"mdat", 2**62) + bytes(64)


def test_real_files_have_no_problem_and_their_duration_matches_ffmpeg() -> None:
    for name in ("frames.mp4", "frames_gop.mp4", "tone.m4a"):
        path = DATA / name
        assert box_problem(path) is None
        with av.open(str(path)) as container:
            reference = container.duration / av.time_base
        duration = media_duration(path)
        assert duration is not None and abs(duration - reference) < 0.05, name


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (nested_moov(3000), f"boxes nested more than {isobmff.MAX_DEPTH} deep"),
        (huge_box((DATA / "frames.mp4").read_bytes()), "declares 4,611,686,018,427,387,904"),
        (box(b"ftyp", b"isom") + struct.pack(">I4s", 0xFFFF_FFF0, b"mdat"), "more than the file"),
        (box(b"moov", struct.pack(">I4s", 4000, b"trak")), "more than box 'moov' holds"),
        (struct.pack(">I4s", 4, b"free") + bytes(8), "smaller than its own header"),
        (box(b"ftyp", b"isom") + struct.pack(">I4sI", 1, b"mdat", 0), "ends inside the box header"),
    ],
)
def test_broken_structures_are_named(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "clip.mp4"
    path.write_bytes(content)
    problem = box_problem(path)
    assert problem is not None and message in problem
    media_duration(path)  # no exception (the movie header may come before the damage)
    video_track(path)  # the vlc backend's reader: no exception (it raised struct.error)


def test_validation_refuses_a_damaged_clip(tmp_path: Path) -> None:
    file = write_case(tmp_path)
    clip = tmp_path / "media" / "clip.mp4"
    for content in (nested_moov(3000), huge_box(clip.read_bytes())):
        clip.write_bytes(content)
        with pytest.raises(CaseError) as caught:
            load_case(file)
        problems = [str(p) for p in caught.value.problems]
        assert any("'media/clip.mp4' is damaged or truncated: " in p for p in problems), problems
