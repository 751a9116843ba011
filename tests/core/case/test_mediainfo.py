from __future__ import annotations

import struct
from pathlib import Path

from casefactory import write_png, write_wav

from casebook_player.core.case.mediainfo import image_size, media_duration


def _box(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", 8 + len(payload)) + kind + payload


def test_png_and_wav(tmp_path: Path) -> None:
    write_png(tmp_path / "a.png", 31, 17)
    write_wav(tmp_path / "a.wav", 2.5)
    assert image_size(tmp_path / "a.png") == (31, 17)
    assert media_duration(tmp_path / "a.wav") == 2.5


def test_jpeg_size_from_its_frame_header(tmp_path: Path) -> None:
    app0 = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00" + bytes(9)
    sof0 = b"\xff\xc0" + struct.pack(">HBHH", 11, 8, 480, 640) + bytes(4)
    (tmp_path / "a.jpg").write_bytes(b"\xff\xd8" + app0 + sof0)
    assert image_size(tmp_path / "a.jpg") == (640, 480)


def test_mp4_duration_from_the_movie_header(tmp_path: Path) -> None:
    mvhd = _box(b"mvhd", b"\x00\x00\x00\x00" + struct.pack(">IIII", 0, 0, 1000, 12_340))
    (tmp_path / "a.mp4").write_bytes(_box(b"ftyp", b"isom") + _box(b"moov", mvhd))
    assert media_duration(tmp_path / "a.mp4") == 12.34


def test_unreadable_files_give_none(tmp_path: Path) -> None:
    (tmp_path / "a.mp4").write_bytes(b"garbage")
    (tmp_path / "a.png").write_bytes(b"\x89PNG\r\n")
    (tmp_path / "a.wav").write_bytes(b"RIFF")
    assert media_duration(tmp_path / "a.mp4") is None
    assert media_duration(tmp_path / "a.wav") is None
    assert media_duration(tmp_path / "a.ogg") is None
    assert image_size(tmp_path / "a.png") is None
    assert image_size(tmp_path / "missing.png") is None
