"""The box structure of an ISO-BMFF file (.mp4 .m4a .mov), walked within bounds.

Every box is read by its header only, and must fit in its parent box and in the file: a box
that declares more bytes than there are (2^62 bytes, say) means a truncated or forged file,
which FFmpeg tolerates and the player then shows as a black, silent clip. Container boxes
are opened without recursion, at most MAX_DEPTH deep (3,000 nested ``moov`` boxes once
exhausted the stack), so no file can make validation or playback fail with a traceback.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

MAX_DEPTH = 16  # a real file nests moov/trak/mdia/minf/stbl/stsd: 6 levels
# Boxes that hold only boxes (ISO/IEC 14496-12): the ones this module opens.
CONTAINERS = frozenset(
    {b"moov", b"trak", b"mdia", b"minf", b"stbl", b"edts", b"dinf", b"mvex", b"moof",
     b"traf", b"mfra", b"udta"}
)  # fmt: skip
SUFFIXES = frozenset({".mp4", ".m4a", ".mov"})


class BoxError(ValueError):
    """The box structure is broken: the message says where."""


@dataclass(frozen=True)
class Box:
    kind: bytes
    start: int  # file offset of the header
    body: int  # file offset of the payload
    end: int  # file offset just past the box

    @property
    def name(self) -> str:
        return self.kind.decode("latin-1")


def boxes(f: BinaryIO, start: int, end: int, parent: str = "the file") -> Iterator[Box]:
    """The boxes laid end to end from ``start`` to ``end``; BoxError where one does not fit."""
    at = start
    while at + 8 <= end:
        f.seek(at)
        header = f.read(8)
        if len(header) < 8:
            raise BoxError(f"the file ends inside the box header at byte {at:,}")
        size, kind = struct.unpack(">I4s", header)
        body = at + 8
        if size == 1:
            large = f.read(8)
            if len(large) < 8:
                raise BoxError(f"the file ends inside the box header at byte {at:,}")
            (size,) = struct.unpack(">Q", large)
            body = at + 16
        elif size == 0:
            size = end - at  # the box runs to the end of its parent
        box = Box(kind, at, body, at + size)
        if size < body - at:
            raise BoxError(f"box '{box.name}' at byte {at:,} is smaller than its own header")
        if box.end > end:
            raise BoxError(
                f"box '{box.name}' at byte {at:,} declares {size:,} bytes, more than "
                f"{parent} holds ({end - at:,} bytes from there)"
            )
        yield box
        at = box.end


def walk(f: BinaryIO, size: int) -> Iterator[tuple[Box, tuple[bytes, ...]]]:
    """Every box of the file with the kinds of the boxes it is in, depth first."""
    stack: list[tuple[Iterator[Box], tuple[bytes, ...]]] = [(boxes(f, 0, size), ())]
    while stack:
        children, parents = stack[-1]
        box = next(children, None)
        if box is None:
            stack.pop()
            continue
        yield box, parents
        if box.kind in CONTAINERS:
            if len(parents) + 1 >= MAX_DEPTH:
                raise BoxError(f"boxes nested more than {MAX_DEPTH} deep at byte {box.start:,}")
            inside = f"box '{box.name}'"
            stack.append((boxes(f, box.body, box.end, inside), (*parents, box.kind)))


def structure_problem(f: BinaryIO, size: int) -> str | None:
    """What is broken in the file's box structure, or None."""
    try:
        for _box in walk(f, size):
            pass
    except BoxError as exc:
        return str(exc)
    return None


def movie_duration(f: BinaryIO, size: int) -> float | None:
    """The movie header's (moov/mvhd) duration in seconds; None without one."""
    for box, parents in walk(f, size):
        if box.kind == b"mvhd" and parents == (b"moov",):
            f.seek(box.body)
            version = f.read(4)[:1]
            if version == b"\x01":
                _c, _m, timescale, duration = struct.unpack(">QQIQ", f.read(28))
            else:
                _c, _m, timescale, duration = struct.unpack(">IIII", f.read(16))
            return duration / timescale if timescale else None
    return None
