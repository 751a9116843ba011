"""Read an image's pixel size and a media file's duration from their headers.

Just enough of PNG, JPEG, ISO-BMFF (.mp4 .m4a .mov) and WAV to validate a case without a
media library. Anything unreadable gives ``None`` and the caller says what to declare instead.
"""

from __future__ import annotations

import struct
import wave
from pathlib import Path
from typing import BinaryIO

from casebook_player.core.case.isobmff import (
    SUFFIXES,
    BoxError,
    movie_duration,
    structure_problem,
)

_PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def image_size(path: Path) -> tuple[int, int] | None:
    """(width, height) of a PNG or JPEG file, or None."""
    try:
        with path.open("rb") as f:
            head = f.read(26)
            if head.startswith(_PNG_MAGIC) and head[12:16] == b"IHDR":
                width, height = struct.unpack(">II", head[16:24])
                return width, height
            if head.startswith(b"\xff\xd8"):
                f.seek(2)
                return _jpeg_size(f)
    except (OSError, struct.error):
        return None
    return None


def _jpeg_size(f: BinaryIO) -> tuple[int, int] | None:
    while True:
        marker = f.read(2)
        if len(marker) < 2 or marker[0] != 0xFF:
            return None
        kind = marker[1]
        if kind in (0xD8, 0x01) or 0xD0 <= kind <= 0xD7:
            continue
        (length,) = struct.unpack(">H", f.read(2))
        # SOF0..SOF15 carry the frame size, except DHT (C4), JPG (C8) and DAC (CC).
        if 0xC0 <= kind <= 0xCF and kind not in (0xC4, 0xC8, 0xCC):
            _precision, height, width = struct.unpack(">BHH", f.read(5))
            return width, height
        f.seek(length - 2, 1)


def box_problem(path: Path) -> str | None:
    """What is broken in an ISO-BMFF file's box structure (None: nothing, or not one)."""
    if path.suffix.lower() not in SUFFIXES:
        return None
    try:
        with path.open("rb") as f:
            return structure_problem(f, path.stat().st_size)
    except OSError as exc:
        return f"cannot read it: {exc.strerror}"


def media_duration(path: Path) -> float | None:
    """Duration in seconds of a .wav or ISO-BMFF (.mp4 .m4a .mov) file, or None."""
    suffix = path.suffix.lower()
    try:
        if suffix == ".wav":
            with wave.open(str(path), "rb") as w:
                return w.getnframes() / float(w.getframerate())
        if suffix in SUFFIXES:
            with path.open("rb") as f:
                return movie_duration(f, path.stat().st_size)
    except (OSError, EOFError, wave.Error, struct.error, ZeroDivisionError, BoxError):
        return None
    return None
