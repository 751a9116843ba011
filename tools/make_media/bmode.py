"""The B-mode model: speckle, attenuation, time-gain compensation, log compression, scan
conversion into a sector/curved fan or a linear rectangle, and the scanner's depth marks.

A scene describes tissue on the beam grid (echogenicity, attenuation, material coordinates
for the scatterers, specular reflectors and artifacts); this module turns that into pixels.
Scatterers are fixed to tissue (material coordinates), so speckle moves with the anatomy
and a periodic scene gives a seamless loop.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Literal, Protocol

import numpy as np

from .font import draw_text
from .numerics import bilinear, blur, gauss_kernel

ProbeKind = Literal["linear", "phased", "curved"]


@dataclass(frozen=True)
class Probe:
    """Transducer and beam grid. Lengths in mm, attenuation in dB/mm (round trip)."""

    kind: ProbeKind
    depth_mm: float
    width_mm: float = 40.0  # linear footprint
    angle_deg: float = 80.0  # phased/curved field of view
    radius_mm: float = 0.0  # curved footprint radius
    lines: int = 256
    samples: int = 640
    axial_res_mm: float = 0.25  # PSF sigma
    lateral_res_mm: float = 0.5  # PSF sigma (at the focus; in line units beyond)
    tgc_db_per_mm: float = 0.45  # compensates typical soft-tissue attenuation
    centre: float = 0.0  # lateral centre (mm, linear) or steering angle (degrees, fan)

    def narrow(self, at: float, lines: int = 21) -> Probe:
        """A few lines around one scan line (for M-mode), same line density as this probe."""
        if self.kind == "linear":
            pitch = self.width_mm / (self.lines - 1)
            return replace(self, width_mm=pitch * (lines - 1), lines=lines, centre=at)
        step = self.angle_deg / (self.lines - 1)
        return replace(self, angle_deg=step * (lines - 1), lines=lines, centre=at)

    @property
    def dr(self) -> float:
        return self.depth_mm / (self.samples - 1)

    def beam_grid(self) -> tuple[np.ndarray, np.ndarray]:
        """(x, z) in mm of every beam sample, shape (samples, lines)."""
        r = np.arange(self.samples) * self.dr
        if self.kind == "linear":
            xs = self.centre + np.linspace(-self.width_mm / 2, self.width_mm / 2, self.lines)
            return np.broadcast_to(xs, (self.samples, self.lines)).copy(), np.repeat(
                r[:, None], self.lines, axis=1
            )
        half = self.angle_deg / 2
        th = np.radians(self.centre + np.linspace(-half, half, self.lines))
        rr = r[:, None] + self.radius_mm
        x = rr * np.sin(th)[None, :]
        z = rr * np.cos(th)[None, :] - self.radius_mm
        return x, z

    def to_beam(self, x: np.ndarray, z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Fractional (sample, line) indices of points (x, z) in mm."""
        if self.kind == "linear":
            line = (x - self.centre + self.width_mm / 2) / self.width_mm * (self.lines - 1)
            return z / self.dr, line
        zz = z + self.radius_mm
        r = np.hypot(x, zz) - self.radius_mm
        th = np.degrees(np.arctan2(x, zz))
        line = (th - self.centre + self.angle_deg / 2) / self.angle_deg * (self.lines - 1)
        return r / self.dr, line


@dataclass
class Tissue:
    """What a scene reports on the beam grid. Intensities are linear (soft tissue ≈ 1)."""

    echo: np.ndarray  # diffuse backscatter intensity (speckle), 0 = anechoic
    u: np.ndarray  # material coordinates (mm) of the scatterers at each sample
    v: np.ndarray
    att: np.ndarray  # round-trip attenuation, dB per mm
    spec: np.ndarray | None = None  # specular reflector amplitude (smooth, attenuated)
    art: np.ndarray | None = None  # artifact intensity (speckled, not attenuated)
    art_u: np.ndarray | None = None
    art_v: np.ndarray | None = None
    art_spec: np.ndarray | None = None  # smooth artifact amplitude (not attenuated)


class Scene(Protocol):
    def tissue(self, x: np.ndarray, z: np.ndarray, t: float) -> Tissue: ...


@dataclass(frozen=True)
class Display:
    """Output raster: `scale` px per mm; depth 0 at row `top`, lateral 0 at column `cx`."""

    width: int
    height: int
    scale: float
    top: float
    cx: float

    @property
    def pixel_spacing_mm(self) -> float:
        return 1.0 / self.scale

    def to_px(self, x_mm: float, z_mm: float) -> tuple[float, float]:
        return self.cx + x_mm * self.scale, self.top + z_mm * self.scale

    def to_mm(self, px: float, py: float) -> tuple[float, float]:
        return (px - self.cx) / self.scale, (py - self.top) / self.scale


def fit_display(probe: Probe, width: int = 480, height: int = 360, margin: int = 14) -> Display:
    """The largest scale at which the whole field of view fits the raster."""
    if probe.kind == "linear":
        scale = min((height - 2 * margin) / probe.depth_mm, (width - 60) / probe.width_mm)
        return Display(width, height, scale, margin, width / 2)
    half = math.radians(probe.angle_deg / 2)
    rmax = probe.radius_mm + probe.depth_mm
    span_x = 2 * rmax * math.sin(half)
    span_z = rmax - probe.radius_mm * math.cos(half)
    scale = min((height - 2 * margin) / span_z, (width - 50) / span_x)
    top = margin + (probe.radius_mm - probe.radius_mm * math.cos(half)) * scale * 0
    return Display(width, height, scale, top, width / 2)


@dataclass
class BMode:
    """Renders frames of a scene through one probe onto one display."""

    probe: Probe
    display: Display
    seed: int
    dynamic_range_db: float = 58.0
    tissue_grey: float = 0.42  # where soft tissue (intensity 1) sits on the grey scale
    gamma: float = 1.15
    noise_db: float = -42.0  # electronic noise floor relative to soft tissue
    marker_right: bool = False  # orientation marker side (cardiology convention: right)
    edge_falloff_db: float = 8.0  # sector probes: weaker echoes towards the edges
    _table: np.ndarray = field(init=False, repr=False)
    _grid: tuple[np.ndarray, np.ndarray] = field(init=False, repr=False)
    _map: tuple[np.ndarray, np.ndarray, np.ndarray] = field(init=False, repr=False)

    TABLE = 2048
    PITCH_MM = 0.07

    def __post_init__(self) -> None:
        rng = np.random.default_rng(self.seed)
        n = self.TABLE
        self._table = (rng.standard_normal((n, n)) + 1j * rng.standard_normal((n, n))).astype(
            np.complex64
        ) / np.float32(math.sqrt(2))
        self._grid = self.probe.beam_grid()
        d = self.display
        py, px = np.mgrid[0 : d.height, 0 : d.width].astype(np.float64)
        x = (px - d.cx) / d.scale
        z = (py - d.top) / d.scale
        fs, fl = self.probe.to_beam(x, z)
        self._map = (fs, fl, self._fan_mask(fs, fl))

    # -- geometry -------------------------------------------------------------------------
    def _fan_mask(self, fs: np.ndarray, fl: np.ndarray) -> np.ndarray:
        p = self.probe
        inside = (fs >= 0) & (fs <= p.samples - 1) & (fl >= 0) & (fl <= p.lines - 1)
        return inside.astype(np.float32)

    @property
    def fan_mask(self) -> np.ndarray:
        """1 inside the field of view on the display raster."""
        return self._map[2]

    @property
    def grid(self) -> tuple[np.ndarray, np.ndarray]:
        return self._grid

    # -- model ----------------------------------------------------------------------------
    def _scatterers(self, u: np.ndarray, v: np.ndarray, offset: int = 0) -> np.ndarray:
        n = self.TABLE
        iu = (np.floor(u / self.PITCH_MM).astype(np.int64) + offset) % n
        iv = (np.floor(v / self.PITCH_MM).astype(np.int64) + 3 * offset) % n
        return self._table[iv, iu]

    def _psf(self, a: np.ndarray) -> np.ndarray:
        """Point-spread blur on the beam grid, energy-normalised so speckle stays calibrated."""
        p = self.probe
        sa = p.axial_res_mm / p.dr
        if p.kind == "linear":
            sl = p.lateral_res_mm / (p.width_mm / (p.lines - 1))
        else:
            mid = p.radius_mm + p.depth_mm * 0.4
            sl = p.lateral_res_mm / (mid * math.radians(p.angle_deg) / (p.lines - 1))
        out = blur(a, sa, sl)
        norm = math.sqrt(float((gauss_kernel(sa) ** 2).sum() * (gauss_kernel(sl) ** 2).sum()))
        return out / norm

    def envelope(self, scene: Scene, t: float, frame: int) -> np.ndarray:
        """Linear echo amplitude on the beam grid after attenuation and TGC."""
        x, z = self._grid
        ts = scene.tissue(x, z, t)
        field_ = self._scatterers(ts.u, ts.v) * np.sqrt(np.maximum(ts.echo, 0)).astype(np.float32)
        env = np.abs(self._psf(field_))
        if ts.spec is not None:
            env = env + self._psf_smooth(ts.spec)
        p = self.probe
        lost = np.cumsum(ts.att, axis=0) * p.dr
        r = np.arange(p.samples)[:, None] * p.dr
        gain_db = p.tgc_db_per_mm * r - lost
        env = env * (10.0 ** (gain_db / 20.0))
        if ts.art is not None:
            au = ts.art_u if ts.art_u is not None else ts.u
            av = ts.art_v if ts.art_v is not None else ts.v
            af = self._scatterers(au, av, offset=977) * np.sqrt(np.maximum(ts.art, 0)).astype(
                np.float32
            )
            env = env + np.abs(self._psf(af))
        if ts.art_spec is not None:
            env = env + self._psf_smooth(ts.art_spec)
        if p.kind != "linear":  # beams at the edge of a sector are weaker
            th = np.linspace(-1.0, 1.0, p.lines)[None, :]
            env = env * (10.0 ** (-self.edge_falloff_db * th**4 / 20.0))
        rng = np.random.default_rng([self.seed, frame])
        noise = rng.standard_normal(env.shape) + 1j * rng.standard_normal(env.shape)
        env = np.abs(env + noise * (10 ** (self.noise_db / 20) / math.sqrt(2)))
        return env

    def _psf_smooth(self, a: np.ndarray) -> np.ndarray:
        p = self.probe
        sa = p.axial_res_mm / p.dr
        return blur(a, sa * 0.8, 1.0)

    def compress(self, env: np.ndarray) -> np.ndarray:
        """Log compression to [0, 1] with soft tissue at `tissue_grey`."""
        db = 20 * np.log10(env + 1e-9)
        top = self.dynamic_range_db * (1 - self.tissue_grey)
        g = np.clip((db - (top - self.dynamic_range_db)) / self.dynamic_range_db, 0, 1)
        return g**self.gamma

    def scan_convert(self, polar: np.ndarray) -> np.ndarray:
        fs, fl, mask = self._map
        img, _ = bilinear(polar, fs, fl)
        img = img * mask
        return blur(img, 0.6, 0.6)

    def frame(self, scene: Scene, t: float, frame: int = 0, annotate: bool = True) -> np.ndarray:
        """One display frame, uint8, with depth marks unless `annotate` is false."""
        img = self.scan_convert(self.compress(self.envelope(scene, t, frame)))
        out = (np.clip(img, 0, 1) * 255 + 0.5).astype(np.uint8)
        if annotate:
            self.annotate(out)
        return out

    # -- scanner furniture ------------------------------------------------------------------
    def annotate(self, img: np.ndarray) -> None:
        """Depth ticks every 1 cm (long every 5 cm), depth label, orientation marker."""
        d, p = self.display, self.probe
        x_tick = d.width - 12
        for mm in range(0, int(p.depth_mm) + 1, 5):
            y = round(d.top + mm * d.scale)
            if y >= d.height:
                break
            if mm % 10 == 0:
                length = 6 if mm % 50 == 0 else 4
                img[max(0, y - 1) : y + 1, x_tick - length : x_tick] = 170
            elif d.scale * 5 >= 8:
                img[y : y + 1, x_tick - 2 : x_tick] = 120
        label = f"{p.depth_mm / 10:g} cm"
        draw_text(img, label, d.width - 6 * len(label) - 6, d.height - 11, value=190)
        mx = d.width - 30 if self.marker_right else 16
        if p.kind == "linear":
            mx = (
                int(d.cx + (p.width_mm / 2 + 3) * d.scale)
                if self.marker_right
                else int(d.cx - (p.width_mm / 2 + 3) * d.scale - 6)
            )
        my = int(d.top)
        img[my : my + 6, mx : mx + 6] = 210
