"""A warning for burned-in text left outside the ultrasound regions of a picture.

Not OCR: text is small, high-contrast strokes, so a picture area where many neighbouring
pixels differ sharply, on several rows, is taken as text-like. Outside the regions a clean
export is black or flat grey; speckle inside the regions is never looked at. The detector
errs towards warning (a logo, a grey-scale bar or a depth scale outside the regions warns
too): the author looks at the picture and masks what must go.
"""

from __future__ import annotations

import numpy as np

from casebook_player.core.case.dicom_calibration import Rectangle

TILE = 16  # pixels: about one line of burned-in text
EDGE = 64  # grey levels between neighbours that make a stroke edge
MIN_EDGES = 6  # in one tile
MIN_ROWS = 3  # distinct rows of a tile with an edge: a glyph, not one line or a single dot


def text_like_area(picture: np.ndarray, regions: tuple[Rectangle, ...]) -> Rectangle | None:
    """The rectangle (tile-aligned, clipped to the picture) around the text-like tiles
    outside ``regions`` in ``picture`` (rows × columns, grey or RGB), or None."""
    gray = picture.astype(np.int16)
    if gray.ndim == 3:
        gray = gray.max(axis=2)  # a coloured glyph on black shows in one channel at least
    outside = np.ones(gray.shape, dtype=bool)
    for x0, y0, x1, y1 in regions:
        outside[y0:y1, x0:x1] = False
    # An edge between two horizontal neighbours both outside the regions.
    edges = np.zeros(gray.shape, dtype=bool)
    edges[:, 1:] = (np.abs(np.diff(gray, axis=1)) >= EDGE) & outside[:, 1:] & outside[:, :-1]
    height, width = gray.shape
    found: list[tuple[int, int]] = []
    for top in range(0, height, TILE):
        for left in range(0, width, TILE):
            tile = edges[top : top + TILE, left : left + TILE]
            if tile.sum() >= MIN_EDGES and int(tile.any(axis=1).sum()) >= MIN_ROWS:
                found.append((left, top))
    if not found:
        return None
    lefts, tops = zip(*found, strict=True)
    return (
        min(lefts),
        min(tops),
        min(width, max(lefts) + TILE),
        min(height, max(tops) + TILE),
    )
