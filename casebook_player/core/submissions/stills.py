"""Submitted still images (PNG or JPEG): decodable, and copied without metadata.

FFmpeg (PyAV) identifies and decodes the image and reads its metadata (PNG text chunks, JPEG
EXIF tags) for the report. The clean copy keeps only what is needed to show the pixels: PNG
chunks and JPEG segments are filtered against a short list of kinds that carry no text
(everything else — tEXt/zTXt/iTXt, eXIf, tIME, ICC profiles, EXIF/XMP/IPTC application
segments, comments — is left out). Nothing is re-encoded, so the image is exactly the same;
the copy is decoded again and compared with the original, pixel for pixel.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from pathlib import Path

import av
import av.error

from casebook_player.core.files import write_bytes_atomically
from casebook_player.core.submissions.metadata import Removed
from casebook_player.core.submissions.videos import MediaError

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# Chunks that only describe pixels and colour; every other chunk is dropped.
_PNG_KEEP = frozenset(
    {b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS", b"gAMA", b"cHRM", b"sRGB", b"sBIT", b"pHYs"}
)
# JPEG markers kept: frame headers (SOFn), tables, restart interval, scan; APP0 (JFIF) and
# APP14 (Adobe: how to convert the colours) carry no text. The rest (APP1 EXIF/XMP, APP2 ICC,
# APP13 IPTC, COM comments, ...) are dropped.
_JPEG_KEEP = frozenset(
    {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}
    | {0xC4, 0xCC, 0xDB, 0xDC, 0xDD, 0xDA, 0xE0, 0xEE}
)
_FORMATS = {"png_pipe": "png", "jpeg_pipe": "jpeg"}


@dataclass(frozen=True)
class StillFacts:
    format: str  # "png", "jpeg", or FFmpeg's name for something else
    width: int
    height: int
    metadata: tuple[Removed, ...] = field(default=())


def inspect_still(path: Path) -> StillFacts:
    """What the image is and what metadata FFmpeg finds in it; MediaError when unreadable."""
    kind, _, width, height, tags = _decode(path)
    return StillFacts(kind, width, height, tuple(Removed("image", k, v) for k, v in tags))


def write_clean_still(source: Path, target: Path) -> list[Removed]:
    """Copy a PNG or JPEG without metadata; what was left out. MediaError when it cannot."""
    kind, planes, _, _, tags = _decode(source)
    data = source.read_bytes()
    try:
        if kind == "png":
            clean, dropped = _filter_png(data)
        elif kind == "jpeg":
            clean, dropped = _filter_jpeg(data)
        else:
            raise MediaError(f"{kind} images cannot be cleaned: use PNG or JPEG")
    except (ValueError, struct.error) as exc:
        raise MediaError(f"the {kind.upper()} structure is damaged: {exc}") from None
    write_bytes_atomically(target, clean)
    _, clean_planes, _, _, left = _decode(target)
    if clean_planes != planes or left:
        target.unlink(missing_ok=True)
        raise MediaError("the copy without metadata does not show the same image")
    return sorted(set(dropped + [Removed("image", k, v) for k, v in tags]))


def _decode(path: Path) -> tuple[str, list[bytes], int, int, list[tuple[str, str]]]:
    try:
        with av.open(str(path), "r") as container:
            kind = _FORMATS.get(container.format.name, container.format.name)
            for frame in container.decode(video=0):
                planes = [bytes(plane) for plane in frame.planes]
                tags = sorted((str(k), str(v)) for k, v in frame.metadata.items())
                return kind, planes, frame.width, frame.height, tags
    except av.error.FFmpegError as exc:
        raise MediaError(f"FFmpeg cannot read it: {exc.strerror or exc}") from None
    except IndexError:
        pass
    raise MediaError("it holds no image")


def _filter_png(data: bytes) -> tuple[bytes, list[Removed]]:
    if not data.startswith(PNG_SIGNATURE):
        raise ValueError("no PNG signature")
    out, dropped, pos = [PNG_SIGNATURE], [], len(PNG_SIGNATURE)
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        end = pos + 12 + length
        if end > len(data):
            raise ValueError(f"chunk {kind!r} runs past the end of the file")
        if kind in _PNG_KEEP:
            out.append(data[pos:end])
        else:
            name = kind.decode("latin-1")
            body = data[pos + 8 : pos + 8 + length]
            dropped.append(Removed(f"PNG {name} chunk", _png_chunk_key(kind, body)))
        pos = end
        if kind == b"IEND":
            break
    return b"".join(out), dropped


def _png_chunk_key(kind: bytes, body: bytes) -> str:
    if kind in (b"tEXt", b"zTXt", b"iTXt", b"iCCP"):
        return body.split(b"\0", 1)[0].decode("latin-1") or "(unnamed)"
    return f"{len(body)} bytes"


def _filter_jpeg(data: bytes) -> tuple[bytes, list[Removed]]:
    if not data.startswith(b"\xff\xd8"):
        raise ValueError("no JPEG start marker")
    out, dropped, pos = [b"\xff\xd8"], [], 2
    while pos < len(data):
        if data[pos] != 0xFF:
            raise ValueError(f"expected a marker at byte {pos}")
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        if marker == 0xD9:  # end of image
            out.append(data[pos : pos + 2])
            break
        (length,) = struct.unpack(">H", data[pos + 2 : pos + 4])
        end = pos + 2 + length
        if marker == 0xDA:  # start of scan: the entropy-coded data follows, up to the next marker
            end = _scan_end(data, end)
        if marker in _JPEG_KEEP:
            out.append(data[pos:end])
        else:
            body = data[pos + 4 : pos + 2 + length]
            if marker == 0xFE:
                dropped.append(Removed("JPEG comment", "text", body.decode("latin-1")))
            else:
                dropped.append(Removed(_jpeg_segment_name(marker, body), f"{len(body)} bytes"))
        pos = end
    return b"".join(out), dropped


def _scan_end(data: bytes, pos: int) -> int:
    """Where the entropy-coded data after a scan header ends (the next real marker)."""
    while pos < len(data) - 1:
        if (
            data[pos] == 0xFF
            and data[pos + 1] not in (0x00, 0xFF)
            and not (0xD0 <= data[pos + 1] <= 0xD7)
        ):
            return pos
        pos += 1
    return len(data)


def _jpeg_segment_name(marker: int, body: bytes) -> str:
    if 0xE0 <= marker <= 0xEF:
        label = body.split(b"\0", 1)[0][:30].decode("latin-1", "replace")
        known = {"Exif": "EXIF", "http://ns.adobe.com/xap/1.0/": "XMP", "ICC_PROFILE": "ICC"}
        return f"JPEG APP{marker - 0xE0} {known.get(label, label or 'segment')}"
    return f"JPEG segment 0x{marker:02X}"
