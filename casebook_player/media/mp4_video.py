"""What the vlc backend reads from an MP4/MOV file's sample tables about its video track.

The picture's size: libvlc reports only the decoder's padded size where pictures are asked
for. Only box headers and the small `moov` box are read.
"""

from __future__ import annotations

import io
import os
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from casebook_player.core.case.isobmff import BoxError, boxes

_MAX_MOOV = 64 * 1024 * 1024  # a moov box larger than this is not worth reading here


@dataclass(frozen=True)
class VideoTrack:
    """The first video track: `size` None where unknown."""

    size: tuple[int, int] | None = None


def video_track(path: Path) -> VideoTrack:
    """What the first video track's sample tables say (all unknown for anything else).

    Unknown: not an MP4/MOV file, no video track, or a layout this reader does not handle.
    """
    try:
        with path.open("rb") as stream:
            moov = _find_top_level(stream, os.fstat(stream.fileno()).st_size, b"moov")
            if moov is not None:
                return _first_video_track(moov)
    except (OSError, BoxError):
        pass  # damaged: validation names what is wrong (core.case.isobmff)
    return VideoTrack()


def _first_video_track(moov: bytes) -> VideoTrack:
    for trak in _children(moov, b"trak"):
        mdia = _first(trak, b"mdia")
        if mdia is None or _handler(mdia) != b"vide":
            continue
        stbl = _first(_first(mdia, b"minf") or b"", b"stbl")
        if stbl is None:
            return VideoTrack()
        return VideoTrack(_sample_size(stbl))
    return VideoTrack()


def _sample_size(stbl: bytes) -> tuple[int, int] | None:
    """Width and height from the first visual sample entry (ISO 14496-12, 12.1.3)."""
    stsd = _first(stbl, b"stsd")
    entries = _boxes(stsd[8:]) if stsd is not None and len(stsd) >= 8 else []
    if not entries or len(entries[0][1]) < 28:
        return None
    # SampleEntry (8 bytes), then pre_defined/reserved (16), then width and height.
    width, height = struct.unpack(">HH", entries[0][1][24:28])
    return (width, height) if width and height else None


def _find_top_level(stream: BinaryIO, size: int, kind: bytes) -> bytes | None:
    """The payload of the first top-level box of `kind`, walking box headers only."""
    for box in boxes(stream, 0, size):
        if box.kind == kind:
            if box.end - box.body > _MAX_MOOV:
                return None
            stream.seek(box.body)
            return stream.read(box.end - box.body)
    return None


def _boxes(data: bytes) -> list[tuple[bytes, bytes]]:
    """(kind, payload) of the boxes laid end to end in `data`."""
    return [(box.kind, data[box.body : box.end]) for box in boxes(io.BytesIO(data), 0, len(data))]


def _children(data: bytes, kind: bytes) -> list[bytes]:
    return [payload for box, payload in _boxes(data) if box == kind]


def _first(data: bytes, kind: bytes) -> bytes | None:
    children = _children(data, kind)
    return children[0] if children else None


def _handler(mdia: bytes) -> bytes | None:
    hdlr = _first(mdia, b"hdlr")
    return hdlr[8:12] if hdlr is not None and len(hdlr) >= 12 else None
