"""Small numpy helpers shared by the image models: blur, interpolation, soft shapes."""

from __future__ import annotations

import math

import numpy as np

FloatOrArray = float | np.ndarray


def gauss_kernel(sigma: float) -> np.ndarray:
    half = max(1, math.ceil(3 * sigma))
    x = np.arange(-half, half + 1, dtype=np.float64)
    k = np.exp(-0.5 * (x / max(sigma, 1e-6)) ** 2)
    return k / k.sum()


def convolve_axis(a: np.ndarray, kernel: np.ndarray, axis: int) -> np.ndarray:
    """Convolve along one axis with edge padding (kernels are short: a sum of shifts)."""
    half = len(kernel) // 2
    pad = [(0, 0)] * a.ndim
    pad[axis] = (half, half)
    padded = np.pad(a, pad, mode="edge")
    n = a.shape[axis]
    out = np.zeros_like(a)
    for i, w in enumerate(kernel):
        out += w * np.take(padded, np.arange(i, i + n), axis=axis)
    return out


def blur(a: np.ndarray, sigma_y: float, sigma_x: float) -> np.ndarray:
    """Separable Gaussian blur (sigmas in samples; 0 skips that axis)."""
    out = a
    if sigma_y > 0:
        out = convolve_axis(out, gauss_kernel(sigma_y).astype(a.real.dtype), 0)
    if sigma_x > 0:
        out = convolve_axis(out, gauss_kernel(sigma_x).astype(a.real.dtype), 1)
    return out


def bilinear(img: np.ndarray, fy: np.ndarray, fx: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sample `img` at fractional (row, column) positions; also return the inside mask."""
    h, w = img.shape
    inside = (fy >= 0) & (fy <= h - 1) & (fx >= 0) & (fx <= w - 1)
    y = np.clip(fy, 0, h - 1.000001)
    x = np.clip(fx, 0, w - 1.000001)
    y0 = np.floor(y).astype(np.intp)
    x0 = np.floor(x).astype(np.intp)
    wy = y - y0
    wx = x - x0
    top = img[y0, x0] * (1 - wx) + img[y0, x0 + 1] * wx
    bottom = img[y0 + 1, x0] * (1 - wx) + img[y0 + 1, x0 + 1] * wx
    return top * (1 - wy) + bottom * wy, inside


def smoothstep(e0: FloatOrArray, e1: FloatOrArray, x: FloatOrArray) -> np.ndarray:
    t = np.clip((x - e0) / (e1 - e0), 0.0, 1.0)
    return t * t * (3 - 2 * t)


def soft_inside(signed_dist: np.ndarray, edge: FloatOrArray) -> np.ndarray:
    """1 well inside (negative distance), 0 outside, a soft ramp `edge` wide at the border."""
    return smoothstep(edge / 2, -edge / 2, signed_dist)


def ellipse_dist(
    x: np.ndarray, z: np.ndarray, cx: float, cz: float, ax: float, az: float, angle: float = 0.0
) -> np.ndarray:
    """Approximate signed distance (mm) to an ellipse: negative inside.

    First-order (rho - 1) / |grad rho|: exact on the outline, good near it, and it stays
    sensible for very flat ellipses (a collapsed vein)."""
    c, s = math.cos(angle), math.sin(angle)
    dx, dz = x - cx, z - cz
    u = (c * dx + s * dz) / ax
    v = (-s * dx + c * dz) / az
    rho = np.sqrt(u * u + v * v)
    grad = np.sqrt((u / ax) ** 2 + (v / az) ** 2)
    first = np.where(grad > 1e-9, (rho - 1.0) * rho / np.maximum(grad, 1e-9), -min(ax, az))
    # far from a flat ellipse the first-order estimate is too small: the distance to the
    # bounding box is a lower bound there
    box = np.hypot(np.maximum(np.abs(u * ax) - ax, 0), np.maximum(np.abs(v * az) - az, 0))
    return np.where(rho > 1.0, np.maximum(first, box), first)


def band(
    d: np.ndarray, center: FloatOrArray, half_width: FloatOrArray, edge: FloatOrArray
) -> np.ndarray:
    """Soft band |d - center| <= half_width."""
    return soft_inside(np.abs(d - center) - half_width, edge)


def value_noise(shape: tuple[int, int], scale: tuple[float, float], seed: int) -> np.ndarray:
    """Smooth random field in [-1, 1]-ish (blurred white noise), for tissue texture."""
    rng = np.random.default_rng(seed)
    n = rng.standard_normal(shape)
    out = blur(n, scale[0], scale[1])
    return out / (out.std() + 1e-9)


class Texture:
    """A smooth random field defined everywhere (wraps around), sampled in mm."""

    def __init__(self, seed: int, pitch_mm: float, blur_mm: tuple[float, float], size: int = 512):
        self.pitch = pitch_mm
        rng = np.random.default_rng(seed)
        n = rng.standard_normal((size, size))
        # wrap-around blur: pad by tiling so the field is periodic
        k = max(3 * blur_mm[0], 3 * blur_mm[1]) / pitch_mm
        pad = math.ceil(k) + 1
        tiled = np.pad(n, pad, mode="wrap")
        sm = blur(tiled, blur_mm[0] / pitch_mm, blur_mm[1] / pitch_mm)[pad:-pad, pad:-pad]
        self.data = sm / (sm.std() + 1e-9)
        self.size = size

    def at(self, u: np.ndarray, v: np.ndarray) -> np.ndarray:
        """Value at lateral `u`, depth `v` (mm)."""
        fy = np.mod(v / self.pitch, self.size - 1)
        fx = np.mod(u / self.pitch, self.size - 1)
        val, _ = bilinear(self.data, fy, fx)
        return val


def segment_dist(
    x: np.ndarray, z: np.ndarray, p0: tuple[float, float], p1: tuple[float, float]
) -> np.ndarray:
    """Distance (mm) from points to the segment p0–p1."""
    ax, az = p0
    bx, bz = p1
    dx, dz = bx - ax, bz - az
    length2 = dx * dx + dz * dz or 1e-9
    t = np.clip(((x - ax) * dx + (z - az) * dz) / length2, 0, 1)
    return np.hypot(x - (ax + t * dx), z - (az + t * dz))


def superellipse_dist(
    x: np.ndarray, z: np.ndarray, cx: float, cz: float, ax: float, az: float, power: float = 4.0
) -> np.ndarray:
    """Approximate signed distance (mm) to a superellipse |u|^p + |v|^p = 1 (negative inside)."""
    u = np.abs(x - cx) / ax
    v = np.abs(z - cz) / az
    rho = (u**power + v**power) ** (1 / power)
    return (rho - 1.0) * min(ax, az)
