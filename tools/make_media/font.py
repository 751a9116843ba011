"""A tiny 5×7 bitmap font for on-image scanner labels (depth in cm, M-mode time scale)."""

from __future__ import annotations

import numpy as np

_GLYPHS = {
    "0": ["01110", "10001", "10011", "10101", "11001", "10001", "01110"],
    "1": ["00100", "01100", "00100", "00100", "00100", "00100", "01110"],
    "2": ["01110", "10001", "00001", "00010", "00100", "01000", "11111"],
    "3": ["11110", "00001", "00001", "01110", "00001", "00001", "11110"],
    "4": ["00010", "00110", "01010", "10010", "11111", "00010", "00010"],
    "5": ["11111", "10000", "11110", "00001", "00001", "10001", "01110"],
    "6": ["00110", "01000", "10000", "11110", "10001", "10001", "01110"],
    "7": ["11111", "00001", "00010", "00100", "01000", "01000", "01000"],
    "8": ["01110", "10001", "10001", "01110", "10001", "10001", "01110"],
    "9": ["01110", "10001", "10001", "01111", "00001", "00010", "01100"],
    ".": ["00000", "00000", "00000", "00000", "00000", "01100", "01100"],
    " ": ["00000"] * 7,
    "c": ["00000", "00000", "01110", "10000", "10000", "10001", "01110"],
    "m": ["00000", "00000", "11010", "10101", "10101", "10101", "10101"],
    "s": ["00000", "00000", "01111", "10000", "01110", "00001", "11110"],
}


def text_mask(text: str, scale: int = 1) -> np.ndarray:
    """Boolean mask of `text` (unknown characters render as blanks)."""
    cols = []
    for ch in text:
        rows = _GLYPHS.get(ch, _GLYPHS[" "])
        glyph = np.array([[c == "1" for c in row] for row in rows], dtype=bool)
        cols.append(glyph)
        cols.append(np.zeros((7, 1), dtype=bool))
    mask = np.hstack(cols) if cols else np.zeros((7, 0), dtype=bool)
    return np.kron(mask, np.ones((scale, scale), dtype=bool))


def draw_text(img: np.ndarray, text: str, x: int, y: int, value: int = 200, scale: int = 1) -> None:
    """Draw `text` with its top-left corner at (x, y), clipped to the image."""
    mask = text_mask(text, scale)
    h, w = mask.shape
    y1, x1 = min(img.shape[0], y + h), min(img.shape[1], x + w)
    if y1 <= y or x1 <= x:
        return
    region = img[y:y1, x:x1]
    region[mask[: y1 - y, : x1 - x]] = value
