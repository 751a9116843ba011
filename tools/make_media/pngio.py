"""Minimal 8-bit grey-scale PNG writer (no PIL): small, deterministic files."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import numpy as np


def _chunk(tag: bytes, data: bytes) -> bytes:
    body = tag + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)


def _filtered(img: np.ndarray, kind: int) -> np.ndarray:
    """Rows of `img` with one PNG filter applied (0 none, 1 sub, 2 up, 4 paeth)."""
    a = img.astype(np.int16)
    left = np.zeros_like(a)
    left[:, 1:] = a[:, :-1]
    up = np.zeros_like(a)
    up[1:] = a[:-1]
    if kind == 0:
        out = a
    elif kind == 1:
        out = a - left
    elif kind == 2:
        out = a - up
    else:
        upleft = np.zeros_like(a)
        upleft[1:, 1:] = a[:-1, :-1]
        p = left + up - upleft
        pa, pb, pc = np.abs(p - left), np.abs(p - up), np.abs(p - upleft)
        pred = np.where((pa <= pb) & (pa <= pc), left, np.where(pb <= pc, up, upleft))
        out = a - pred
    return (out & 0xFF).astype(np.uint8)


def encode_gray_png(img: np.ndarray) -> bytes:
    """PNG bytes of a 2-D uint8 image; the filter giving the smallest file wins."""
    if img.ndim != 2 or img.dtype != np.uint8:
        raise ValueError("expected a 2-D uint8 array")
    h, w = img.shape
    best = b""
    for kind in (0, 1, 2, 4):
        rows = _filtered(img, kind)
        raw = np.hstack([np.full((h, 1), kind, np.uint8), rows]).tobytes()
        packed = zlib.compress(raw, 9)
        if not best or len(packed) < len(best):
            best = packed
    header = struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", best)
        + _chunk(b"IEND", b"")
    )


def write_gray_png(path: Path, img: np.ndarray) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(encode_gray_png(img))


def png_size(path: Path) -> tuple[int, int]:
    """(width, height) from a PNG header."""
    data = path.read_bytes()[:24]
    w, h = struct.unpack(">II", data[16:24])
    return int(w), int(h)
