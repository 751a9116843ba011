"""Upper-quadrant coronal views for FAST (curvilinear probe, marker to the head: cephalad is
on the screen's left): liver (or spleen) over the kidney, the diaphragm on the left with the
mirror image of the organ above it, and the hepatorenal (or splenorenal) space, which may
hold an anechoic stripe of free fluid. Organs move towards the feet on inspiration."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from ..bmode import Tissue
from ..numerics import FloatOrArray, Texture, band, ellipse_dist, smoothstep, soft_inside
from .canvas import BLOOD, Canvas


@dataclass
class FlankScene:
    organ: str = "liver"  # liver (right upper quadrant) | spleen (left upper quadrant)
    fluid_mm: float = 0.0  # thickness of free fluid between the organ and the kidney
    breath_s: float = 2.4
    excursion_mm: float = 5.0
    seed: int = 1
    _tex: dict[str, Texture] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        s = self.seed
        self._tex = {
            "paren": Texture(s + 1, 0.2, (1.2, 1.5)),
            "fat": Texture(s + 2, 0.2, (1.0, 2.0)),
            "muscle": Texture(s + 3, 0.2, (0.3, 3.0)),
            "edge": Texture(s + 4, 0.5, (6.0, 6.0)),
        }

    def shift(self, t: float) -> float:
        """Cephalocaudal organ position: towards the feet (screen right) on inspiration."""
        return self.excursion_mm * 0.5 * (1 - math.cos(2 * math.pi * t / self.breath_s))

    # geometry (mm) in organ coordinates -------------------------------------------------------
    @property
    def kidney(self) -> tuple[float, float, float, float, float]:
        """Centre x, z, half-length, half-width, tilt (radians)."""
        if self.organ == "liver":
            return 18.0, 88.0, 50.0, 23.0, -0.16
        return 24.0, 78.0, 46.0, 22.0, -0.22

    def organ_dist(self, ox: np.ndarray, oz: np.ndarray) -> np.ndarray:
        """Signed distance to the liver or spleen outline."""
        tex = self._tex
        wobble = 1.5 * tex["edge"].at(ox, oz)
        if self.organ == "liver":
            d = ellipse_dist(ox, oz, -15.0, 52.0, 82.0, 48.0, 0.18)
        else:
            d = ellipse_dist(ox, oz, -8.0, 40.0, 52.0, 28.0, 0.3)
        return d + wobble

    def tissue(self, x: np.ndarray, z: np.ndarray, t: float) -> Tissue:
        tex = self._tex
        sh = self.shift(t)
        ox = x - sh  # organ coordinates: the organs slide under the still body wall
        oz = z
        cv = Canvas(x, z, echo=0.35)
        # deep: retroperitoneal fat and the posterior muscles
        base = 0.55 if self.organ == "liver" else 0.35
        cv.paint(
            np.ones(x.shape),
            base * np.exp(0.4 * np.clip(tex["fat"].at(ox, oz), -2, 2)),
            0.3,
            ox,
            oz,
        )
        muscle = soft_inside(ellipse_dist(ox, oz, 20.0, 150.0, 90.0, 30.0, -0.15), 3.0)
        cv.paint(muscle, 0.3 * np.exp(0.6 * np.clip(tex["muscle"].at(ox, oz), -2, 2)), 0.3)
        self._kidney(cv, ox, oz)
        self._organ_and_fluid(cv, ox, oz)
        self._thorax(cv, x, z, ox, oz)
        self._bowel(cv, ox, oz)
        self._wall(cv, x, z)
        return cv.tissue()

    def _kidney(self, cv: Canvas, ox: np.ndarray, oz: np.ndarray) -> None:
        tex = self._tex
        kx, kz, a, b, ang = self.kidney
        outer = ellipse_dist(ox, oz, kx, kz, a, b, ang)
        cv.paint(soft_inside(outer - 3.0, 2.0), 1.4 * np.exp(0.3 * tex["fat"].at(ox, oz)), 0.3)
        cortex = soft_inside(outer, 1.0)
        cv.paint(cortex, 0.3 * np.exp(0.3 * tex["paren"].at(ox, oz)), 0.25, ox, oz)
        # medullary pyramids: darker ovals in a ring just inside the cortex
        c, s = math.cos(ang), math.sin(ang)
        for k in range(7):
            th = -math.pi * 0.9 + k * math.pi * 1.8 / 6
            th = th if k % 2 == 0 else th + math.pi
            px = kx + (a * 0.62) * math.cos(th) * c - (b * 0.55) * math.sin(th) * s
            pz = kz + (a * 0.62) * math.cos(th) * s + (b * 0.55) * math.sin(th) * c
            cv.paint(soft_inside(ellipse_dist(ox, oz, px, pz, 6.5, 4.5, th), 1.5), 0.08)
        # renal sinus fat: the bright centre
        sinus = ellipse_dist(ox, oz, kx + 2, kz + 1, a * 0.55, b * 0.35, ang) + 2.0 * tex[
            "edge"
        ].at(ox * 2, oz * 2)
        cv.paint(soft_inside(sinus, 2.0), 2.2 * np.exp(0.4 * tex["fat"].at(ox, oz)), 0.3)
        cv.add(band(outer, 0.3, 0.5, 0.8), 2.5)  # capsule

    def _organ_and_fluid(self, cv: Canvas, ox: np.ndarray, oz: np.ndarray) -> None:
        tex = self._tex
        kx, kz, a, b, ang = self.kidney
        d_org = self.organ_dist(ox, oz)
        d_kid = ellipse_dist(ox, oz, kx, kz, a, b, ang)
        # the organ stops at the kidney (their surfaces face each other)
        organ = soft_inside(np.maximum(d_org, -(d_kid - 1.0)), 1.2)
        bright = 1.0 if self.organ == "liver" else 1.7
        paren = bright * np.exp(0.28 * np.clip(tex["paren"].at(ox, oz), -2.5, 2.5))
        cv.paint(organ, paren, 0.28, ox, oz)
        if self.organ == "liver":  # a few vessels: portal branches with bright walls
            for vx, vz, r in (
                (-30.0, 45.0, 4.5),
                (5.0, 30.0, 3.0),
                (-55.0, 70.0, 3.5),
                (-10.0, 62.0, 2.5),
            ):
                d = np.hypot(ox - vx, (oz - vz) * 1.4) - r
                cv.add(band(d, 0.6, 0.6, 0.6) * organ, 1.5)
                cv.paint(soft_inside(d, 0.8) * organ, BLOOD, 0.02)
        cv.add(band(d_org, 0.0, 0.5, 0.6), 2.0)  # the capsule
        if self.fluid_mm > 0:
            # free fluid separates the organ from the kidney's anterior surface: thickest at
            # the organ's lower tip, thinning towards the head
            c, sn = math.cos(ang), math.sin(ang)
            across = -(ox - kx) * sn + (oz - kz) * c  # < 0 on the anterior (upper) side
            stripe = (d_kid > 0.6) & (d_kid < self.fluid_mm * self._taper(ox)) & (across < 0)
            tip = soft_inside(
                ellipse_dist(
                    ox, oz, kx + a * 0.8, kz - b * 1.05, 16.0, self.fluid_mm * 0.8, ang - 0.45
                ),
                1.5,
            )
            fluid = np.maximum(soft_inside(np.where(stripe, -1.0, 1.0), 1.2), tip)
            fluid = fluid * smoothstep(3.0, -1.0, d_org - self.fluid_mm)
            cv.paint(fluid, BLOOD, 0.02)

    def _taper(self, ox: FloatOrArray) -> np.ndarray:
        kx, _, a, _, _ = self.kidney
        return 0.3 + 0.7 * smoothstep(kx - a * 0.7, kx + a * 0.5, ox)

    def _thorax(
        self, cv: Canvas, x: np.ndarray, z: np.ndarray, ox: np.ndarray, oz: np.ndarray
    ) -> None:
        """Left of the diaphragm: the mirror image of the organ (no pleural fluid)."""
        tex = self._tex
        cxd, czd, r = (25.0, 80.0, 100.0) if self.organ == "liver" else (30.0, 60.0, 82.0)
        d = r - np.hypot(ox - cxd, oz - czd)  # negative beyond the dome: the thorax
        chest = soft_inside(d, 1.5) * (ox < cxd)
        mirror = 0.5 * np.exp(0.28 * np.clip(tex["paren"].at(-ox, oz), -2.5, 2.5))
        cv.paint(chest, mirror, 0.3)
        cv.paint(chest * smoothstep(-22, -40, d), 0.02, 2.0)  # aerated lung beyond
        cv.add(band(d, 0.0, 1.0, 1.0) * (ox < cxd) * (oz > 12), 9.0, 3.0)  # the diaphragm

    def _bowel(self, cv: Canvas, ox: np.ndarray, oz: np.ndarray) -> None:
        """Gas in bowel caudal to the organ: bright curved reflections, dirty shadows."""
        for gx, gz, w in ((95.0, 32.0, 9.0), (118.0, 46.0, 8.0)):
            d = ellipse_dist(ox, oz, gx, gz, w, 4.0)
            cv.add(band(d, 0.0, 0.8, 1.0) * (oz < gz), 8.0, 2.0)
            below = (np.abs(ox - gx) < w * 0.9) & (oz > gz)
            cv.paint(below.astype(float), 0.25, 2.5)

    def _wall(self, cv: Canvas, x: np.ndarray, z: np.ndarray) -> None:
        tex = self._tex
        wall = soft_inside(z - 13.0 - 0.05 * x, 1.0)
        fat = 0.2 + 0.3 * np.maximum(tex["fat"].at(x, z), 0) ** 2
        cv.paint(wall, fat, 0.3, x, z)
        muscle = band(z, 9.5 + 0.05 * x, 3.0, 1.0)
        cv.paint(muscle, 0.35 * np.exp(0.6 * np.clip(tex["muscle"].at(x, z), -2, 2)), 0.3)
        cv.add(band(z, 6.2 + 0.05 * x, 0.4, 0.6), 2.0)
        cv.add(band(z, 13.0 + 0.05 * x, 0.5, 0.6), 2.5)
        cv.add(band(z, 0.8, 0.8, 0.8), 2.0)
