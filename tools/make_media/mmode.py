"""M-mode strips: the same B-mode model sampled along one scan line over time, shown beside
the 2-D image with the M-line drawn on it (as a scanner's split screen does)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .bmode import BMode, Scene
from .font import draw_text
from .numerics import bilinear, blur


@dataclass(frozen=True)
class MModeLayout:
    """Where things landed in the composed strip (for hotspot regions)."""

    width: int
    height: int
    strip_x0: int  # first column of the M-mode trace
    px_per_s: float
    top: float  # row of depth 0
    scale: float  # px per mm (vertical)


def mmode_trace(
    bmode: BMode, scene: Scene, at: float, seconds: float, px_per_s: float, t0: float = 0.0
) -> np.ndarray:
    """Compressed grey values [0, 1]: rows = beam samples, columns = time."""
    narrow = BMode(
        bmode.probe.narrow(at),
        bmode.display,
        bmode.seed,
        dynamic_range_db=bmode.dynamic_range_db,
        tissue_grey=bmode.tissue_grey,
        gamma=bmode.gamma,
        noise_db=bmode.noise_db,
    )
    cols = round(seconds * px_per_s)
    mid = narrow.probe.lines // 2
    trace = np.empty((narrow.probe.samples, cols))
    for k in range(cols):
        env = narrow.envelope(scene, t0 + k / px_per_s, 10_000 + k)
        trace[:, k] = narrow.compress(env)[:, mid]
    return trace


def compose_mmode(
    bmode: BMode,
    scene: Scene,
    at: float,
    seconds: float = 3.0,
    px_per_s: float = 100.0,
    t_image: float = 0.0,
) -> tuple[np.ndarray, MModeLayout]:
    """Split screen: the 2-D frame (cropped to the field of view) with the M-line dotted,
    then the M-mode trace on the same depth scale, 1-s time marks below."""
    d, p = bmode.display, bmode.probe
    frame = bmode.frame(scene, t_image, 0, annotate=False)
    cols = np.nonzero(bmode.fan_mask.max(axis=0) > 0)[0]
    left = frame[:, max(0, cols[0] - 6) : cols[-1] + 7].copy()
    x_off = max(0, cols[0] - 6)
    _draw_mline(left, bmode, at, x_off)

    trace = mmode_trace(bmode, scene, at, seconds, px_per_s)
    rows = np.arange(d.height, dtype=np.float64)
    depth = (rows - d.top) / d.scale
    fs = depth / p.dr
    fy = np.repeat(fs[:, None], trace.shape[1], axis=1)
    fx = np.repeat(np.arange(trace.shape[1], dtype=np.float64)[None, :], d.height, axis=0)
    strip, inside = bilinear(trace, fy, fx)
    strip = blur(strip * inside, 0.5, 0.3)
    strip_u8 = (np.clip(strip, 0, 1) * 255 + 0.5).astype(np.uint8)

    gap = 8
    scale_w = 34
    width = left.shape[1] + gap + strip_u8.shape[1] + scale_w
    out = np.zeros((d.height, width), np.uint8)
    out[:, : left.shape[1]] = left
    x0 = left.shape[1] + gap
    out[:, x0 : x0 + strip_u8.shape[1]] = strip_u8
    _time_marks(out, x0, strip_u8.shape[1], px_per_s, seconds)
    _depth_marks(out, x0 + strip_u8.shape[1] + 4, d.top, d.scale, p.depth_mm)
    return out, MModeLayout(width, d.height, x0, px_per_s, d.top, d.scale)


def _draw_mline(img: np.ndarray, bmode: BMode, at: float, x_off: int) -> None:
    """Dotted cursor along the M-line."""
    d, p = bmode.display, bmode.probe
    narrow = p.narrow(at, lines=1)
    x, z = narrow.beam_grid()
    for k in range(0, x.shape[0], 6):
        px, py = d.to_px(float(x[k, 0]), float(z[k, 0]))
        ix, iy = round(px) - x_off, round(py)
        if 0 <= iy < img.shape[0] - 1 and 0 <= ix < img.shape[1] - 1:
            img[iy : iy + 2, ix : ix + 2] = 235


def _time_marks(img: np.ndarray, x0: int, w: int, px_per_s: float, seconds: float) -> None:
    y = img.shape[0] - 6
    for k in range(int(seconds) + 1):
        x = x0 + round(k * px_per_s)
        if x < x0 + w:
            img[y - 3 : y + 1, x : x + 1] = 190
    for k in range(int(seconds * 5) + 1):
        x = x0 + round(k * px_per_s / 5)
        if x < x0 + w:
            img[y : y + 1, x : x + 1] = 140
    draw_text(img, "1 s", x0 + int(px_per_s) + 4, y - 12, value=170)


def _depth_marks(img: np.ndarray, x: int, top: float, scale: float, depth_mm: float) -> None:
    for mm in range(0, int(depth_mm) + 1, 10):
        y = round(top + mm * scale)
        if y < img.shape[0]:
            img[max(0, y - 1) : y + 1, x : x + (6 if mm % 50 == 0 else 4)] = 170
    label = f"{depth_mm / 10:g} cm"
    draw_text(img, label, img.shape[1] - 6 * len(label) - 2, img.shape[0] - 11, value=190)
