"""Groin, linear probe, transverse (marker to the patient's right; for the left leg the
medial side, with the vein, is on the screen's left): common femoral vein and artery under
compression. A normal vein collapses completely; a thrombosed vein is distended, filled
with echoes and does not collapse, while the artery stays round and pulsates."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from ..bmode import Tissue
from ..numerics import Texture, band, ellipse_dist, smoothstep, soft_inside
from .canvas import BLOOD, Canvas


@dataclass
class FemoralScene:
    thrombus: bool = False
    cycle_s: float = 2.4
    beat_s: float = 0.8
    vein: tuple[float, float] = (-7.5, 18.0)
    artery: tuple[float, float] = (7.0, 16.5)
    seed: int = 1
    _tex: dict[str, Texture] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        s = self.seed
        self._tex = {
            "fat": Texture(s + 1, 0.05, (0.4, 0.9)),
            "muscle": Texture(s + 2, 0.05, (0.15, 1.5)),
            "clot": Texture(s + 3, 0.05, (0.3, 0.4)),
            "septa": Texture(s + 4, 0.1, (1.5, 4.0)),
        }

    def pressure(self, t: float) -> float:
        """Probe pressure 0..1: press, hold, release, rest; 0 at both ends (a loop)."""
        ph = (t % self.cycle_s) / self.cycle_s
        if ph < 0.08:
            return 0.0
        if ph < 0.38:
            return 0.5 - 0.5 * math.cos(math.pi * (ph - 0.08) / 0.3)
        if ph < 0.55:
            return 1.0
        if ph < 0.85:
            return 0.5 + 0.5 * math.cos(math.pi * (ph - 0.55) / 0.3)
        return 0.0

    def pulse(self, t: float) -> float:
        ph = (t % self.beat_s) / self.beat_s
        return math.sin(math.pi * ph / 0.3) ** 2 if ph < 0.3 else 0.0

    def vein_axes(self, t: float) -> tuple[float, float]:
        """Half-width and half-height of the vein lumen (mm)."""
        p = self.pressure(t)
        if self.thrombus:
            return 7.5 + 0.3 * p, 6.3 - 0.4 * p
        return 6.5 + 1.8 * p, max(5.0 * (1 - p), 0.05)

    def tissue(self, x: np.ndarray, z: np.ndarray, t: float) -> Tissue:
        tex = self._tex
        p = self.pressure(t)
        # pressure squeezes the soft tissue: everything moves up a little
        squeeze = 1 - 0.12 * p * smoothstep(30.0, 0.0, z)
        zt = z / squeeze
        cv = Canvas(x, z, echo=0.4)
        muscle = 0.3 * np.exp(0.7 * np.clip(tex["muscle"].at(x, zt), -2, 2))
        cv.paint(np.ones(x.shape), muscle, 0.45, x, zt)
        cv.add(band(zt, 25.0 + 0.1 * x, 0.4, 0.6), 2.5)  # fascia over pectineus/iliopsoas
        self._fat(cv, x, z, zt)
        self._node(cv, x, zt)
        self._bone(cv, x, z, zt)
        self._artery(cv, x, zt, t)
        self._vein(cv, x, zt, t)
        return cv.tissue()

    def _fat(self, cv: Canvas, x: np.ndarray, z: np.ndarray, zt: np.ndarray) -> None:
        tex = self._tex
        fat = soft_inside(zt - 10.0 - 0.06 * x, 0.8)
        cv.paint(fat, 0.18 + 0.25 * np.maximum(tex["fat"].at(x, zt), 0) ** 2, 0.4, x, zt)
        septa = band(zt + 1.5 * tex["septa"].at(x, zt), 5.5, 0.15, 0.3) * fat
        cv.add(septa, 1.5)
        cv.add(band(zt, 10.0 + 0.06 * x, 0.3, 0.4), 3.0)  # fascia lata
        cv.add(band(z, 0.5, 0.5, 0.5), 2.5)

    def _node(self, cv: Canvas, x: np.ndarray, zt: np.ndarray) -> None:
        d = ellipse_dist(x, zt, 15.5, 6.5, 5.5, 2.6, -0.1)
        cv.paint(soft_inside(d, 0.5), 0.12, 0.4)
        cv.paint(soft_inside(ellipse_dist(x, zt, 16.0, 6.7, 3.0, 1.0, -0.1), 0.5), 1.8)

    def _bone(self, cv: Canvas, x: np.ndarray, z: np.ndarray, zt: np.ndarray) -> None:
        """The femoral head, deep and lateral: a bright curve with a shadow."""
        cx = 14.0
        surf = 35.0 + 0.03 * (x - cx) ** 2
        on = np.abs(x - cx) < 14
        cv.add(band(zt, surf, 0.4, 0.5) * on, 8.0, 2.0)
        cv.paint((on & (zt > surf + 0.3)).astype(float), 0.02, 30.0)

    def _artery(self, cv: Canvas, x: np.ndarray, zt: np.ndarray, t: float) -> None:
        ax, az = self.artery
        r = 4.3 + 0.35 * self.pulse(t)
        d = np.hypot(x - ax, zt - az) - r
        cv.paint(soft_inside(d - 1.0, 0.4), 1.2, 0.4)
        cv.add(band(d, 0.5, 0.4, 0.4), 2.0, 0.3)  # thick bright wall
        cv.paint(soft_inside(d, 0.4), BLOOD, 0.02)

    def _vein(self, cv: Canvas, x: np.ndarray, zt: np.ndarray, t: float) -> None:
        tex = self._tex
        vx, vz = self.vein
        a, b = self.vein_axes(t)
        d = ellipse_dist(x, zt, vx, vz + (5.0 - b) * 0.4, a, max(b, 0.05))
        cv.add(band(d, 0.2, 0.25, 0.4), 1.8)  # thin wall; collapsed, a bright line
        if self.thrombus:
            clot = 0.35 * np.exp(0.6 * np.clip(tex["clot"].at(x, zt), -2, 2))
            cv.paint(soft_inside(d, 0.4), clot, 0.3, x, zt)
            # a thin rim of flowing blood on one side, as is common in fresh clot
            rim = soft_inside(d, 0.4) * band(d, -0.5, 0.4, 0.4) * (x < vx - 2)
            cv.paint(rim, BLOOD)
        else:
            cv.paint(soft_inside(d, 0.4) * (b > 0.3), BLOOD, 0.02)

    def vein_outline(self, t: float, n: int = 10) -> list[tuple[float, float]]:
        """Points (mm) around the vein, for a hotspot polygon."""
        vx, vz = self.vein
        a, b = self.vein_axes(t)
        cz = vz + (5.0 - b) * 0.4
        return [
            (
                vx + (a + 1.2) * math.cos(2 * math.pi * k / n),
                cz + (b + 1.2) * math.sin(2 * math.pi * k / n),
            )
            for k in range(n)
        ]
