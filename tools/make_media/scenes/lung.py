"""Anterior chest, linear probe, longitudinal (the "bat sign"): chest wall, two ribs with
acoustic shadows, the pleural line, and the air artifacts below it.

Normal lung: the visceral pleura slides to and fro with breathing (a shimmer of the pleural
line, a granular pattern below it that moves), A-lines, optional B-lines that move with it.
Pneumothorax: only the parietal pleura (static), stronger A-lines, a stratified static
pattern. A lung point is the border between the two that moves in and out with breathing.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from ..bmode import Tissue
from ..numerics import FloatOrArray, Texture, band, smoothstep


@dataclass
class LungScene:
    breath_period_s: float = 2.4
    sliding: bool = True
    slide_mm: float = 1.6  # amplitude of the visceral pleura's to-and-fro motion
    b_lines: tuple[float, ...] = ()  # lateral positions (mm) of B-lines at rest
    lung_point_mm: float | None = None  # lung (sliding) to the left of this x, air to the right
    lung_point_swing_mm: float = 6.0
    pleura_mm: float = 12.0
    rib_centres_mm: tuple[float, ...] = (-16.5, 16.5)
    seed: int = 1
    _tex: dict[str, Texture] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        s = self.seed
        self._tex = {
            "fibre": Texture(s + 1, 0.1, (0.15, 1.4)),  # muscle striations: long laterally
            "fat": Texture(s + 2, 0.1, (0.6, 1.2)),
            "aline": Texture(s + 3, 0.1, (2.0, 3.0)),
            "strata": Texture(s + 4, 0.1, (0.15, 12.0)),  # pneumothorax: horizontal strata
            "septa": Texture(s + 5, 0.1, (0.8, 5.0)),
            "grain": Texture(s + 6, 0.05, (0.1, 0.25)),
        }

    # -- motion -----------------------------------------------------------------------------
    def phase(self, t: float) -> float:
        return 2 * math.pi * t / self.breath_period_s

    def slide(self, t: float) -> float:
        return self.slide_mm * math.sin(self.phase(t))

    def lung_point(self, t: float) -> float:
        """Lateral position of the lung point: the lung moves into view on inspiration."""
        assert self.lung_point_mm is not None
        return self.lung_point_mm + self.lung_point_swing_mm * math.sin(self.phase(t))

    def pleura_depth(self, x: FloatOrArray) -> np.ndarray:
        return self.pleura_mm + 0.008 * x + 0.2 * np.sin(x / 9.0)

    # -- anatomy ----------------------------------------------------------------------------
    def tissue(self, x: np.ndarray, z: np.ndarray, t: float) -> Tissue:
        tex = self._tex
        wall_dz = 0.0  # the chest wall is still: it draws the seashore's 'waves'
        zw = z - wall_dz
        zp = self.pleura_depth(x) + wall_dz

        # skin; subcutaneous fat with septa; fascia; pectoral muscle; fascia; intercostals
        echo = np.full(x.shape, 0.3)
        echo = np.where(zw < 0.9, 3.0, echo)
        fat = (zw >= 0.9) & (zw < 4.2)
        septa = band(zw + 1.1 * tex["septa"].at(x, zw), 2.6, 0.12, 0.25)
        echo = np.where(fat, 0.12 + 0.08 * tex["fat"].at(x, zw) ** 2 + 2.5 * septa, echo)
        fib = np.clip(tex["fibre"].at(x, zw), -3, 3)
        muscle = (zw >= 4.2) & (zw < zp - 0.35)
        echo = np.where(muscle, 0.22 + 0.7 * np.maximum(fib, 0) ** 2, echo)
        echo = echo + 5.0 * band(zw, 4.3 + 0.015 * x, 0.2, 0.3)
        echo = echo + 4.0 * band(zw, 8.0 + 0.02 * x, 0.18, 0.3)

        att = np.full(x.shape, 0.4)
        spec = np.zeros(x.shape)

        # ribs: bright curved anterior cortex, total shadow behind it
        for rc in self.rib_centres_mm:
            dx = x - rc
            on = np.abs(dx) < 6.0
            surf = 8.7 + 1.4 * (dx / 6.0) ** 2 + wall_dz
            spec = spec + np.where(on, 6.0 * band(z, surf, 0.3, 0.35), 0)
            echo = echo + np.where(on, 8.0 * band(z, surf + 0.3, 0.3, 0.3), 0)
            echo = np.where(on & (z > surf + 0.6), 0.02, echo)
            att = np.where(on & (z > surf + 0.35), 40.0, att)

        # pleural line: parietal (static) + visceral (slides): the shimmer
        s = self.slide(t)
        lung_frac = self._lung_fraction(x, t)
        par = band(z, zp - 0.15, 0.22, 0.25)
        vis = band(z, zp + 0.2, 0.25, 0.25)
        shimmer = 0.35 + tex["grain"].at(x + s, z) ** 2
        echo = echo + 30.0 * par + 60.0 * vis * lung_frac * shimmer
        echo = echo + 25.0 * vis * (1 - lung_frac)
        spec = spec + 12.0 * par
        below = z > zp + 0.5
        echo = np.where(below, 0.0, echo)
        att = np.where(below, 6.0, att)

        art, art_u, art_v, art_spec = self._air_artifacts(x, z, zp, t, lung_frac)
        return Tissue(
            echo=echo,
            u=x,
            v=zw,
            att=att,
            spec=spec,
            art=art,
            art_u=art_u,
            art_v=art_v,
            art_spec=art_spec,
        )

    def _lung_fraction(self, x: np.ndarray, t: float) -> np.ndarray:
        """1 where the visceral pleura touches the chest wall (normal lung), 0 where air."""
        if self.lung_point_mm is not None:
            return smoothstep(0.6, -0.6, x - self.lung_point(t))
        return np.full(x.shape, 1.0 if self.sliding else 0.0)

    def _air_artifacts(
        self, x: np.ndarray, z: np.ndarray, zp: np.ndarray, t: float, lung: np.ndarray
    ) -> tuple[np.ndarray, ...]:
        tex = self._tex
        s = self.slide(t)
        d = z - zp
        below = smoothstep(0.3, 1.2, d)
        not_rib = np.ones(x.shape)
        for rc in self.rib_centres_mm:
            not_rib = not_rib * smoothstep(6.4, 7.4, np.abs(x - rc))
        below = below * not_rib

        # A-lines: repeats of the skin–pleura distance; stronger and more in air (PTX)
        decay = 0.33 * lung + 0.55 * (1 - lung)
        a_amp = np.zeros(x.shape)
        for k in (2, 3, 4, 5):
            width = 0.2 + 0.1 * k
            a_amp = a_amp + 7.0 * decay ** (k - 1) * band(z, k * zp, width, 0.5)
        a_amp = a_amp * np.clip(0.75 + 0.3 * tex["aline"].at(x, z), 0.2, 1.4)

        # granular pattern that moves with the lung (seashore) vs static strata (barcode)
        gran = 0.2 * np.exp(-d / 8.0)
        strata = 0.05 * np.exp(-d / 12.0) * (0.3 + 0.7 * tex["strata"].at(x, z) ** 2)
        art = below * (lung * gran + (1 - lung) * strata)
        # the lung's speckle decorrelates all the time (to-and-fro plus a circular wobble),
        # which turns into the seashore's sand in M-mode
        ph = self.phase(t)
        wob_u = 0.3 * math.cos(5 * ph) + 0.25 * math.sin(11 * ph + 1) + 0.2 * math.cos(17 * ph)
        wob_v = 0.3 * math.sin(7 * ph) + 0.2 * math.cos(13 * ph + 2) + 0.15 * math.sin(19 * ph)
        art_u = np.where(lung > 0.5, x + s + wob_u, x)
        art_v = np.where(lung > 0.5, z + wob_v, z)

        # B-lines: narrow laser-like comet tails from the pleura to the bottom, erase A-lines
        bl = np.zeros(x.shape)
        for xb in self.b_lines:
            bl = np.maximum(bl, band(x, xb + s, 0.25 + 0.025 * d, 0.5 + 0.03 * d))
        bl = bl * lung * below
        art = art + bl * (5.0 + 3.0 * np.exp(-d / 6.0))
        art_u = np.where(bl > 0.05, x * 0.25 + s, art_u)
        art_spec = a_amp * below * (1 - bl)
        return art, art_u, art_v, art_spec
