"""Transverse abdominal aorta below the renal arteries (curvilinear probe, marker to the
patient's right: the IVC is on the screen's left). The aorta lies on the vertebral body (a
bright curved line with a black shadow), psoas muscles beside it, bowel in front. An
aneurysm is round with a bright wall, eccentric mural thrombus and an anechoic lumen."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from ..bmode import Tissue
from ..numerics import Texture, band, ellipse_dist, soft_inside
from .canvas import BLOOD, Canvas


@dataclass
class AortaScene:
    outer_radius_mm: float = 31.0  # outer wall to outer wall / 2
    thrombus_mm: float = 15.0  # thickest part of the mural thrombus
    centre: tuple[float, float] = (6.0, 84.0)
    beat_s: float = 0.6
    seed: int = 1
    _tex: dict[str, Texture] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        s = self.seed
        self._tex = {
            "fat": Texture(s + 1, 0.2, (1.0, 1.6)),
            "bowel": Texture(s + 2, 0.3, (2.5, 3.5)),
            "muscle": Texture(s + 3, 0.2, (0.4, 2.5)),
            "clot": Texture(s + 4, 0.2, (0.5, 0.8)),
        }

    def pulse(self, t: float) -> float:
        ph = (t % self.beat_s) / self.beat_s
        return math.sin(math.pi * ph / 0.35) ** 2 if ph < 0.35 else 0.0

    def outer_radius(self, t: float) -> float:
        return self.outer_radius_mm + 0.5 * self.pulse(t)

    def tissue(self, x: np.ndarray, z: np.ndarray, t: float) -> Tissue:
        tex = self._tex
        cv = Canvas(x, z, echo=0.8)
        cv.paint(np.ones(x.shape), 0.8 * np.exp(0.45 * np.clip(tex["fat"].at(x, z), -2, 2)), 0.3)
        self._bowel(cv, x, z)
        self._spine_and_psoas(cv, x, z)
        self._ivc(cv, x, z, t)
        self._aorta(cv, x, z, t)
        self._wall(cv, x, z)
        return cv.tissue()

    def _wall(self, cv: Canvas, x: np.ndarray, z: np.ndarray) -> None:
        tex = self._tex
        cv.paint(
            soft_inside(z - 20.0, 1.0), 0.25 + 0.5 * np.maximum(tex["fat"].at(x, z), 0) ** 2, 0.3
        )
        for side in (-1, 1):  # rectus muscles either side of the linea alba
            d = ellipse_dist(x, z, side * 32.0, 16.0, 28.0, 5.0)
            cv.paint(
                soft_inside(d, 1.0), 0.3 * np.exp(0.6 * np.clip(tex["muscle"].at(x, z), -2, 2)), 0.3
            )
        cv.add(band(z, 21.5, 0.6, 0.8), 3.0)  # peritoneum
        cv.add(band(z, 0.8, 0.8, 0.8), 2.0)

    def _bowel(self, cv: Canvas, x: np.ndarray, z: np.ndarray) -> None:
        tex = self._tex
        mes = soft_inside(np.abs(z - 38.0) - 15.0, 3.0)
        cv.paint(mes, 0.9 * np.exp(0.5 * np.clip(tex["bowel"].at(x, z), -2, 2)), 0.3)
        for bx, bz, a, b in ((-30.0, 40.0, 11.0, 7.0), (26.0, 33.0, 9.0, 6.0)):
            d = ellipse_dist(x, z, bx, bz, a, b)
            cv.paint(soft_inside(d + 2.5, 1.0), 0.15, 0.2)  # fluid-filled loop
            cv.add(band(d, -1.0, 1.0, 1.0), 2.5)  # its wall
        # a gas bubble far to the patient's left with a dirty shadow
        d = ellipse_dist(x, z, 52.0, 36.0, 10.0, 3.5)
        cv.add(band(d, 0.0, 0.8, 1.0) * (z < 37), 9.0, 2.0)
        cv.paint(((np.abs(x - 52.0) < 8.5) & (z > 37)).astype(float), 0.3, 2.0)

    def _spine_and_psoas(self, cv: Canvas, x: np.ndarray, z: np.ndarray) -> None:
        tex = self._tex
        for side in (-1, 1):
            d = ellipse_dist(x, z, side * 44.0, 126.0, 17.0, 13.0, side * 0.3)
            cv.paint(
                soft_inside(d, 1.5), 0.3 * np.exp(0.6 * np.clip(tex["muscle"].at(x, z), -2, 2)), 0.3
            )
        surface = 120.0 + 0.02 * x**2
        on = np.abs(x) < 23
        cv.add(band(z, surface, 1.0, 1.0) * on, 10.0, 5.0)
        cv.paint((on & (z > surface + 0.8)).astype(float), 0.02, 30.0)

    def _ivc(self, cv: Canvas, x: np.ndarray, z: np.ndarray, t: float) -> None:
        d = ellipse_dist(x, z, -42.0, 88.0, 13.0, 7.5 + 0.5 * self.pulse(t), -0.1)
        cv.add(band(d, 0.3, 0.5, 0.6), 1.5)
        cv.paint(soft_inside(d, 0.8), BLOOD, 0.02)

    def _aorta(self, cv: Canvas, x: np.ndarray, z: np.ndarray, t: float) -> None:
        tex = self._tex
        cx, cz = self.centre
        r = self.outer_radius(t)
        d = np.hypot(x - cx, z - cz) - r
        cv.paint(soft_inside(d, 0.8), 0.6, 0.25)
        cv.add(band(d, -1.2, 1.0, 0.8), 2.8, 1.0)  # wall, bright
        inner = r - 2.2
        # eccentric lumen: the thrombus is thickest anteriorly on the patient's left
        th = self.thrombus_mm
        lum_r = inner - th / 2
        lx = cx - th / 2 * math.sin(math.radians(35))
        lz = cz + th / 2 * math.cos(math.radians(35))
        lumen = np.hypot(x - lx, z - lz) - (lum_r + 0.4 * self.pulse(t))
        clot = soft_inside(np.hypot(x - cx, z - cz) - inner, 0.8)
        rings = 0.5 + 0.5 * np.sin(np.hypot(x - lx, z - lz) * 1.6)  # laminated thrombus
        clot_echo = 0.22 * np.exp(0.5 * np.clip(tex["clot"].at(x, z), -2, 2)) * (0.7 + 0.6 * rings)
        cv.paint(clot, clot_echo, 0.2)
        cv.add(band(lumen, 0.0, 0.35, 0.6) * clot, 0.8)  # the luminal surface of the clot
        cv.paint(soft_inside(lumen, 0.8), BLOOD, 0.02)
        # two calcified plaques in the wall: brighter spots
        for ang in (200.0, 320.0):
            a = math.radians(ang)
            px, pz = cx + (r - 1) * math.cos(a), cz + (r - 1) * math.sin(a)
            cv.add(soft_inside(np.hypot(x - px, z - pz) - 1.6, 0.8), 10.0, 2.0)

    def lumen(self, t: float = 0.0) -> tuple[float, float, float]:
        """Centre and radius (mm) of the flowing lumen."""
        cx, cz = self.centre
        th = self.thrombus_mm
        inner = self.outer_radius(t) - 2.2
        lx = cx - th / 2 * math.sin(math.radians(35))
        lz = cz + th / 2 * math.cos(math.radians(35))
        return lx, lz, inner - th / 2 + 0.4 * self.pulse(t)

    def thrombus_outline(self, t: float = 0.0, min_mm: float = 4.0) -> list[tuple[float, float]]:
        """Polygon (mm) around the thick part of the mural thrombus."""
        cx, cz = self.centre
        inner = self.outer_radius(t) - 2.2
        lx, lz, lr = self.lumen(t)
        outer_pts, inner_pts = [], []
        thickest = math.atan2(cz - lz, cx - lx)
        for k in range(72):
            a = thickest - math.pi + 2 * math.pi * (k + 0.5) / 72
            dx, dz = math.cos(a), math.sin(a)
            # where the ray from the aorta's centre leaves the lumen
            bx, bz = cx - lx, cz - lz
            b = bx * dx + bz * dz
            c = bx * bx + bz * bz - lr * lr
            disc = b * b - c
            if disc < 0:
                continue
            s_lumen = -b + math.sqrt(disc)
            if inner - s_lumen >= min_mm:
                outer_pts.append((cx + (inner + 1.0) * dx, cz + (inner + 1.0) * dz))
                inner_pts.append((cx + (s_lumen - 1.0) * dx, cz + (s_lumen - 1.0) * dz))
        return outer_pts[::3] + inner_pts[::-3]
