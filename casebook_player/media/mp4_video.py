"""What the vlc backend reads from an MP4/MOV file's sample tables about its video track.

Whether every frame is a keyframe (the backend seeks exactly only in such files, see
vlc_player.py) and the picture's size (libvlc reports only the decoder's padded size where
pictures are asked for). Only box headers and the small `moov` box are read.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

_MAX_MOOV = 64 * 1024 * 1024  # a moov box larger than this is not worth reading here


@dataclass(frozen=True)
class VideoTrack:
    """The first video track: `all_keyframes` None and `size` None where unknown."""

    all_keyframes: bool | None = None
    size: tuple[int, int] | None = None


def video_track(path: Path) -> VideoTrack:
    """What the first video track's sample tables say (all unknown for anything else).

    Unknown: not an MP4/MOV file, no video track, or a layout this reader does not handle.
    """
    try:
        with path.open("rb") as stream:
            moov = _find_top_level(stream, b"moov")
    except OSError:
        return VideoTrack()
    if moov is None:
        return VideoTrack()
    for trak in _children(moov, b"trak"):
        mdia = _first(trak, b"mdia")
        if mdia is None or _handler(mdia) != b"vide":
            continue
        stbl = _first(_first(mdia, b"minf") or b"", b"stbl")
        if stbl is None:
            return VideoTrack()
        return VideoTrack(_all_keyframes(stbl), _sample_size(stbl))
    return VideoTrack()


def _all_keyframes(stbl: bytes) -> bool | None:
    stss = _first(stbl, b"stss")
    if stss is None:
        return True  # no sync-sample table: every sample is a sync sample (ISO 14496-12)
    stsz = _first(stbl, b"stsz")
    if stsz is None or len(stss) < 8 or len(stsz) < 12:
        return None
    (keyframes,) = struct.unpack(">I", stss[4:8])
    (samples,) = struct.unpack(">I", stsz[8:12])
    return keyframes >= samples


def _sample_size(stbl: bytes) -> tuple[int, int] | None:
    """Width and height from the first visual sample entry (ISO 14496-12, 12.1.3)."""
    stsd = _first(stbl, b"stsd")
    entries = _boxes(stsd[8:]) if stsd is not None and len(stsd) >= 8 else []
    if not entries or len(entries[0][1]) < 28:
        return None
    # SampleEntry (8 bytes), then pre_defined/reserved (16), then width and height.
    width, height = struct.unpack(">HH", entries[0][1][24:28])
    return (width, height) if width and height else None


def _find_top_level(stream: BinaryIO, kind: bytes) -> bytes | None:
    """The payload of the first top-level box of `kind`, walking box headers only."""
    while True:
        header = stream.read(8)
        if len(header) < 8:
            return None
        size, box = struct.unpack(">I4s", header)
        offset = 8
        if size == 1:
            size = struct.unpack(">Q", stream.read(8))[0]
            offset = 16
        elif size == 0:
            return stream.read(_MAX_MOOV) if box == kind else None  # box runs to the end
        if size < offset:
            return None
        if box == kind:
            return stream.read(size - offset) if size <= _MAX_MOOV else None
        stream.seek(size - offset, 1)


def _boxes(data: bytes) -> list[tuple[bytes, bytes]]:
    """(kind, payload) of the boxes laid end to end in `data`."""
    found = []
    at = 0
    while at + 8 <= len(data):
        size, kind = struct.unpack(">I4s", data[at : at + 8])
        start = at + 8
        if size == 1 and at + 16 <= len(data):
            size = struct.unpack(">Q", data[at + 8 : at + 16])[0]
            start = at + 16
        elif size == 0:
            size = len(data) - at
        if size < start - at or at + size > len(data):
            break
        found.append((kind, data[start : at + size]))
        at += size
    return found


def _children(data: bytes, kind: bytes) -> list[bytes]:
    return [payload for box, payload in _boxes(data) if box == kind]


def _first(data: bytes, kind: bytes) -> bytes | None:
    children = _children(data, kind)
    return children[0] if children else None


def _handler(mdia: bytes) -> bytes | None:
    hdlr = _first(mdia, b"hdlr")
    return hdlr[8:12] if hdlr is not None and len(hdlr) >= 12 else None
