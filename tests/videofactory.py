"""Tiny videos and stills made with PyAV for the submission tests (64×48, a few fps)."""

from __future__ import annotations

import struct
import zlib
from fractions import Fraction
from pathlib import Path

import av
import numpy as np

IDENTIFYING = {
    "creation_time": "2024-05-06T07:08:09.000000Z",
    "location": "+48.8577+002.2950/",
    "make": "Acme Medical",
    "model": "SonoProbe X1",
    "serial_number": "SN-0012345",
    "title": "DOE^JANE 1970-01-01",
}


def make_video(
    path: Path,
    seconds: float = 6.0,
    fps: int = 4,
    container: str = "mp4",
    metadata: dict[str, str] | None = None,
    handler_name: str | None = None,
) -> Path:
    """A clip of ``seconds`` at ``fps`` in ``container`` (mp4, mov, matroska, avi)."""
    options = {"movflags": "use_metadata_tags"} if metadata and container == "mp4" else {}
    with av.open(str(path), "w", format=container, options=options) as out:
        out.metadata.update(metadata or {})
        stream = out.add_stream("mpeg4", rate=Fraction(fps))
        stream.width, stream.height, stream.pix_fmt = 64, 48, "yuv420p"
        if handler_name:
            stream.metadata["handler_name"] = handler_name
        for i in range(round(seconds * fps)):
            pixels = np.full((48, 64, 3), (i * 37) % 256, np.uint8)
            pixels[:, : (i % 64) + 1] = 255  # something that moves
            frame = av.VideoFrame.from_ndarray(pixels, format="rgb24")
            out.mux(stream.encode(frame))
        out.mux(stream.encode(None))
    return path


def make_png(path: Path, text: dict[str, str] | None = None) -> Path:
    """A grey PNG, with tEXt chunks after IHDR when ``text`` is given."""
    with av.open(str(path), "w", format="image2") as out:
        stream = out.add_stream("png")
        stream.width, stream.height, stream.pix_fmt = 64, 48, "rgb24"
        pixels = np.full((48, 64, 3), 90, np.uint8)
        pixels[20:28, 8:56] = 250  # a caliper line
        out.mux(stream.encode(av.VideoFrame.from_ndarray(pixels, format="rgb24")))
        out.mux(stream.encode(None))
    if text:
        data = path.read_bytes()
        chunks = b"".join(
            _png_chunk(b"tEXt", f"{k}\0{v}".encode("latin-1")) for k, v in text.items()
        )
        after_ihdr = 8 + 25
        path.write_bytes(data[:after_ihdr] + chunks + data[after_ihdr:])
    return path


def make_jpeg(path: Path, make: str | None = None, comment: str | None = None) -> Path:
    """A JPEG, with an EXIF Make tag and a comment segment when given."""
    with av.open(str(path), "w", format="image2") as out:
        stream = out.add_stream("mjpeg")
        stream.width, stream.height, stream.pix_fmt = 64, 48, "yuvj420p"
        frame = av.VideoFrame.from_ndarray(np.full((48, 64, 3), 120, np.uint8), format="rgb24")
        out.mux(stream.encode(frame.reformat(format="yuvj420p")))
        out.mux(stream.encode(None))
    data = path.read_bytes()
    segments = b""
    if make:
        value = make.encode("ascii") + b"\0"
        tiff = b"II*\0" + struct.pack("<IH", 8, 1) + struct.pack("<HHII", 0x010F, 2, len(value), 26)
        tiff += struct.pack("<I", 0) + value
        segments += _jpeg_segment(0xE1, b"Exif\0\0" + tiff)
    if comment:
        segments += _jpeg_segment(0xFE, comment.encode("latin-1"))
    path.write_bytes(data[:2] + segments + data[2:])
    return path


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def _jpeg_segment(marker: int, body: bytes) -> bytes:
    return bytes([0xFF, marker]) + struct.pack(">H", len(body) + 2) + body
