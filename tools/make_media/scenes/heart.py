"""Parasternal long-axis view (phased array, cardiology convention: apex on the left, aortic
root and left atrium on the right) with an optional pericardial effusion.

Moves through the cardiac cycle: the LV walls thicken and approach in systole, the mitral
leaflets open in diastole, the aortic cusps in systole. With tamponade the RV free wall is
pushed in during early diastole (diastolic collapse) and the heart swings in the fluid.
Parameters give a normal heart, a large effusion, or a dilated RV (pressure overload).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from ..bmode import Tissue
from ..numerics import Texture, band, segment_dist, smoothstep, soft_inside, superellipse_dist
from .canvas import Canvas

BLOOD_SMOKE = 4e-4  # blood in the chambers: near black, a faint swirl at high gain


TILT = 0.08


def lv_span(hx: np.ndarray) -> np.ndarray:
    return smoothstep(-95.0, -80.0, hx) * smoothstep(12.0, 4.0, hx)


@dataclass
class PlaxScene:
    beat_s: float = 0.48  # heart rate 125/min
    effusion_post_mm: float = 0.0  # behind the LV, diastole
    effusion_ant_mm: float = 0.0  # in front of the RV
    rv_collapse_mm: float = 0.0  # inward motion of the RV free wall in early diastole
    swing_mm: float = 0.0  # the heart swinging in a large effusion (every other beat)
    rv_cavity_mm: float = 16.0
    lv_diastole_mm: float = 44.0
    septal_flattening: float = 0.0  # 0..1, RV pressure overload pushes the septum into the LV
    seed: int = 1
    _tex: dict[str, Texture] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._tex = {
            "myo": Texture(self.seed + 1, 0.2, (0.8, 2.5)),
            "wall": Texture(self.seed + 2, 0.2, (1.5, 4.0)),
            "deep": Texture(self.seed + 3, 0.3, (3.0, 6.0)),
        }

    @property
    def loop_s(self) -> float:
        """A seamless loop: whole swings (two beats each) when the heart swings."""
        return self.beat_s * (6 if self.swing_mm else 5)

    # -- the cardiac cycle -----------------------------------------------------------------
    def phase(self, t: float) -> float:
        return (t % self.beat_s) / self.beat_s

    @staticmethod
    def contraction(ph: float) -> float:
        """0 at end-diastole, 1 at end-systole."""
        if ph < 0.36:
            return math.sin(0.5 * math.pi * ph / 0.36) ** 1.3
        if ph < 0.5:
            return 0.5 + 0.5 * math.cos(math.pi * (ph - 0.36) / 0.14)
        return 0.0

    @staticmethod
    def early_diastole(ph: float) -> float:
        return math.sin(math.pi * (ph - 0.45) / 0.35) ** 2 if 0.45 <= ph <= 0.8 else 0.0

    @staticmethod
    def mitral_open(ph: float) -> float:
        e = math.sin(math.pi * (ph - 0.5) / 0.22) if 0.5 <= ph <= 0.72 else 0.0
        a = math.sin(math.pi * (ph - 0.84) / 0.13) if 0.84 <= ph <= 0.97 else 0.0
        return max(e, 0.7 * a)

    @staticmethod
    def aortic_open(ph: float) -> float:
        return math.sin(math.pi * (ph - 0.04) / 0.32) ** 0.5 if 0.04 <= ph <= 0.36 else 0.0

    def geometry(self, t: float) -> dict[str, float]:
        """Depths (mm, in heart coordinates) of the walls at time t."""
        ph = self.phase(t)
        c = self.contraction(ph)
        lv = self.lv_diastole_mm * (1 - 0.32 * c)
        fl = self.septal_flattening
        g = {"c": c, "ph": ph, "mo": self.mitral_open(ph), "ao": self.aortic_open(ph)}
        g["ant_par"] = 16.0
        rv_out0 = g["ant_par"] + 1.5 + self.effusion_ant_mm
        g["sep_top"] = rv_out0 + 3.5 + self.rv_cavity_mm + 1.0 * c
        g["rv_out"] = rv_out0 + 1.0 * c + self.rv_collapse_mm * self.early_diastole(ph)
        g["rv_in"] = min(g["rv_out"] + 3.5 + 1.0 * c, g["sep_top"] - 1.5)
        g["sep_bot"] = g["sep_top"] + 9.0 + 4.0 * c + 3.0 * fl
        g["pw_in"] = g["sep_bot"] + lv
        g["pw_out"] = g["pw_in"] + 9.0 + 5.0 * c
        # the parietal pericardium does not follow the beating heart: its depth is the
        # end-diastolic epicardium plus the effusion
        pw_out_ed = rv_out0 + 3.5 + self.rv_cavity_mm + 9.0 + 3.0 * fl + self.lv_diastole_mm + 9.0
        g["post_par"] = pw_out_ed + 1.0 + self.effusion_post_mm
        g["ao_top"] = g["sep_top"] + 1.0 - 3.0 * c  # the root moves anteriorly in systole
        g["ao_bot"] = g["ao_top"] + 27.0
        g["la_bot"] = max(g["pw_out"] + 3.0, g["ao_bot"] + 4.5 + 28.0)
        return g

    def swing(self, t: float) -> tuple[float, float]:
        if not self.swing_mm:
            return 0.0, 0.0
        w = 2 * math.pi * t / (2 * self.beat_s)
        return self.swing_mm * math.sin(w), 0.6 * self.swing_mm * math.sin(w + 1.0)

    @staticmethod
    def _bend(hx: np.ndarray | float) -> np.ndarray | float:
        """Depth offset of the heart's frame: the long axis runs down towards the apex
        (screen left), gently curved, walls not ruler-straight."""
        return TILT * hx + 0.0008 * (hx + 25.0) ** 2 - 1.0 + 0.8 * np.sin(np.asarray(hx) / 11.0)

    def to_screen(self, hx: float, hz: float, t: float) -> tuple[float, float]:
        """Screen position (mm) of a point given in heart coordinates."""
        sx, sz = self.swing(t)
        return hx + sx, hz + sz - float(self._bend(hx))

    def descending_aorta(self, t: float) -> tuple[float, float, float]:
        """Centre (screen mm) and outer radius of the descending aorta."""
        g = self.geometry(t)
        x, z = self.to_screen(26.0, g["la_bot"] + 16.0, t)
        return x, z, 12.5

    def posterior_effusion(
        self, t: float, hx: float
    ) -> tuple[tuple[float, float], tuple[float, float]]:
        """Screen points (mm) on the LV epicardium and the parietal pericardium at `hx`."""
        g = self.geometry(t)
        sx, _ = self.swing(t)
        top = self.to_screen(hx, g["pw_out"] + 0.5, t)
        # the parietal layer does not swing: its frame is the heart's without the swing
        bx = hx + sx
        bottom = (bx, g["post_par"] + 1.2 - TILT * bx)
        return top, bottom

    # -- anatomy -----------------------------------------------------------------------------
    def tissue(self, x: np.ndarray, z: np.ndarray, t: float) -> Tissue:
        g = self.geometry(t)
        sx, sz = self.swing(t)
        tilt = TILT
        # heart coordinates: undo the swing and the tilt
        hx = x - sx
        hz = z - sz + self._bend(hx)
        cv = Canvas(x, z, echo=0.12)
        tex = self._tex
        self._chest_wall(cv, x, z)
        self._pericardium(cv, hx, hz, g, x, z, tilt, sz)
        self._ventricles(cv, hx, hz, g)
        self._base(cv, hx, hz, g)
        self._behind(cv, x, z, g)
        # ring-down clutter in the near field, as on any phased array
        cv.add(smoothstep(14.0, 2.0, z) * (0.3 + 0.2 * tex["deep"].at(x, z) ** 2), 0.6)
        return cv.tissue()

    def _chest_wall(self, cv: Canvas, x: np.ndarray, z: np.ndarray) -> None:
        tex = self._tex
        wall = z < 14.0
        cv.paint(wall.astype(float), 0.4 + 0.6 * np.maximum(tex["wall"].at(x, z), 0) ** 2, 0.25)
        cv.add(band(z, 1.0, 1.0, 0.8), 2.0)
        cv.add(band(z, 9.0 + 0.05 * x, 0.5, 0.8), 1.5)

    def _behind(self, cv: Canvas, x: np.ndarray, z: np.ndarray, g: dict[str, float]) -> None:
        """Behind the heart: a little posterior mediastinum, then aerated lung (dark)."""
        tex = self._tex
        zp = z + 0.08 * x
        behind = smoothstep(g["post_par"] + 2, g["post_par"] + 4, zp) * (x < 8)
        cv.paint(behind, 0.12 * (1 + tex["deep"].at(x, z) ** 2), 0.4)
        lung = smoothstep(g["post_par"] + 9, g["post_par"] + 16, zp)
        # the descending aorta sits in the posterior mediastinum, not in the lung
        lung = lung * (
            1 - soft_inside(np.hypot(x - 26.0, zp - g["la_bot"] - 16.0 + 2.0) - 18.0, 4.0)
        )
        cv.paint(lung, 0.01 * (1 + tex["deep"].at(x, z) ** 2), 1.5)

    def _pericardium(
        self,
        cv: Canvas,
        hx: np.ndarray,
        hz: np.ndarray,
        g: dict[str, float],
        x: np.ndarray,
        z: np.ndarray,
        tilt: float,
        sz: float,
    ) -> None:
        # the parietal pericardium is fixed to the chest; the heart moves inside the sac
        ant = g["ant_par"]
        post = g["post_par"]
        groove_x = 24.0  # atrioventricular groove: the sac closes behind the LV here
        close = smoothstep(groove_x - 22, groove_x, hx)
        post_line = post * (1 - close) + (g["pw_out"] + 0.5) * close
        zp = z + tilt * x  # the sac is tilted like the heart but does not swing
        sac = (zp > ant) & (zp < post_line + 0.0) & (hx > -118) & (hx < 75)
        eff = self.effusion_post_mm > 0 or self.effusion_ant_mm > 0
        if eff:
            cv.fluid(sac.astype(float))
        else:
            cv.paint(sac.astype(float), 0.4, 0.25)
        cv.add(band(zp, ant, 0.8, 0.8), 9.0, 3.0)
        post_band = band(zp, post_line + 1.2, 1.0, 1.0) * (hx < groove_x + 3) * (hx > -118)
        cv.add(post_band, 14.0, 4.0)
        if eff:  # the effusion is not fully clean: a few strands of fibrin
            strands = band(zp, post_line - 0.45 * self.effusion_post_mm, 0.3, 0.5)
            cv.add(strands * (hx < -10) * (hx > -60) * 0.6, 0.6)

    def _ventricles(self, cv: Canvas, hx: np.ndarray, hz: np.ndarray, g: dict[str, float]) -> None:
        tex = self._tex
        c = g["c"]
        top, bottom = g["rv_out"], g["pw_out"]
        # the ventricular mass: RV free wall down to the LV posterior wall, apex at left
        mass = soft_inside(
            superellipse_dist(hx, hz, -22.0, (top + bottom) / 2, 92.0, (bottom - top) / 2, 3.0), 1.2
        )
        mass = mass * smoothstep(40, 30, hx)
        myo_v = hz - 0.3 * (hz - (top + bottom) / 2) * c  # speckle follows the thickening
        myo_echo = 0.9 * np.exp(0.45 * np.clip(tex["myo"].at(hx, myo_v), -2.5, 2.5))
        cv.paint(mass, myo_echo, 0.25, hx, myo_v)
        # RV cavity, continuing to the right over the aortic root as the outflow tract
        rv_c = (g["rv_in"] + g["sep_top"]) / 2
        rv_h = max((g["sep_top"] - g["rv_in"]) / 2, 0.4)
        rv = soft_inside(superellipse_dist(hx, hz, 5.0, rv_c, 88.0, rv_h, 4.0), 1.2)
        cv.paint(rv, BLOOD_SMOKE, 0.02)
        # the RV free wall over the outflow tract
        over = band(hz, g["rv_out"] + 1.8, 1.8, 1.0) * smoothstep(25, 35, hx) * (hx < 100)
        cv.paint(over, myo_echo, 0.25)
        # LV cavity: elliptical towards the apex (left), open to the aortic root through the
        # outflow tract (the septum curves up into the anterior root wall), closed below the
        # root by the mitral annulus plane
        k = ((hx + 20.0) / 65.0) ** 2
        lv_top = (
            g["sep_bot"] + 4.0 * k - (g["sep_bot"] - g["ao_top"] - 1.0) * smoothstep(-22, 2, hx)
        )
        lv_bottom = g["pw_in"] - 5.0 * k
        lv = soft_inside(np.maximum(lv_top - hz, hz - lv_bottom), 1.2)
        lv = lv * soft_inside(
            superellipse_dist(hx, hz, -10.0, (g["sep_bot"] + g["pw_in"]) / 2, 82.0, 80.0, 2.2), 1.5
        )
        below_root = smoothstep(g["ao_bot"], g["ao_bot"] + 3.0, hz)
        lv = lv * (1 - below_root * (1 - soft_inside(self._annulus_side(hx, hz, g), 1.5)))
        cv.paint(lv, BLOOD_SMOKE, 0.02)
        # endocardial borders are a little brighter than the wall
        cv.add(band(hz, lv_top - 0.3, 0.6, 0.8) * lv_span(hx), 1.5)
        cv.add(band(hz, lv_bottom + 0.3, 0.6, 0.8) * lv_span(hx), 1.5)
        cv.add(band(hz, g["sep_top"] + 0.3, 0.6, 0.8) * lv_span(hx), 1.0)

    @staticmethod
    def _annulus_side(hx: np.ndarray, hz: np.ndarray, g: dict[str, float]) -> np.ndarray:
        """Signed distance to the mitral annulus plane: negative on the LV side."""
        ax, az = 8.0, g["ao_bot"] + 2.0
        px, pz = 22.0, g["pw_in"] + 1.0
        nx, nz = pz - az, -(px - ax)
        norm = math.hypot(nx, nz)
        return ((hx - ax) * nx + (hz - az) * nz) / norm

    def _base(self, cv: Canvas, hx: np.ndarray, hz: np.ndarray, g: dict[str, float]) -> None:
        ao_top, ao_bot = g["ao_top"], g["ao_bot"]
        # aortic root: anterior wall continuous with the septum, posterior wall with the
        # anterior mitral leaflet; sinuses bulge a little
        bulge = 3.0 * np.exp(-(((hx - 30.0) / 10.0) ** 2))
        span = smoothstep(-2.0, 2.0, hx) * (hx < 110)
        # the walls: bright lines, the anterior continuous with the septum, the posterior
        # with the anterior mitral leaflet; the root opens to the LV outflow tract on the left
        cv.paint(band(hz, ao_top - bulge - 2.0, 2.0, 1.0) * span, 1.2, 0.25)
        cv.paint(band(hz, ao_bot + bulge + 2.2, 2.2, 1.0) * span, 1.4, 0.25)
        cv.add(band(hz, ao_top - bulge - 0.5, 0.6, 0.8) * span, 2.5)
        cv.add(band(hz, ao_bot + bulge + 0.5, 0.6, 0.8) * span, 2.5)
        root = (hz > ao_top - bulge) & (hz < ao_bot + bulge) & (hx > -4) & (hx < 110)
        cv.fluid(root.astype(float))
        mid = (ao_top + ao_bot) / 2
        ao = g["ao"]
        for sign in (-1, 1):  # cusps: a line in the middle when closed, along the walls open
            tip = (31.0 - 3 * ao, mid + sign * (1.0 + ao * 9.0))
            d = segment_dist(hx, hz, (25.0, mid + sign * 12.5), tip)
            cv.add(soft_inside(d - 0.3, 0.6), 2.5)
        # left atrium below the root, behind it the AV groove
        la_top = ao_bot + 4.5
        la_bot = g["la_bot"]
        la_c, la_h = (la_top + la_bot) / 2, (la_bot - la_top) / 2
        la_wall = soft_inside(superellipse_dist(hx, hz, 44.0, la_c, 40.0, la_h + 3.0, 2.6), 1.2)
        side = self._annulus_side(hx, hz, g)
        cv.paint(la_wall * (hx > 12) * smoothstep(1.0, 4.0, side), 0.8, 0.25)
        la = soft_inside(superellipse_dist(hx, hz, 44.0, la_c, 38.0, la_h, 2.6), 1.2)
        # the LA meets the LV at the annulus: only the leaflets lie between them
        cv.paint(la * soft_inside(0.6 - side, 1.5), BLOOD_SMOKE, 0.02)
        # mitral valve: the anterior leaflet hangs from the posterior aortic wall, the
        # posterior one from the AV groove; closed they meet just on the LV side of the
        # annulus, open they swing apart (anterior towards the septum)
        mo = g["mo"]
        hinge_a = (8.0, ao_bot + 2.5)
        hinge_p = (22.0, g["pw_in"] + 1.0)
        coapt = ((hinge_a[0] + hinge_p[0]) / 2 - 6.0, (hinge_a[1] + hinge_p[1]) / 2 + 1.0)
        open_a = (hinge_a[0] - 21.0, hinge_a[1] + 7.0)
        open_p = (hinge_p[0] - 11.0, hinge_p[1] - 1.0)
        tip_a = (coapt[0] + (open_a[0] - coapt[0]) * mo, coapt[1] + (open_a[1] - coapt[1]) * mo)
        tip_p = (coapt[0] + (open_p[0] - coapt[0]) * mo, coapt[1] + (open_p[1] - coapt[1]) * mo)
        cv.add(soft_inside(segment_dist(hx, hz, hinge_a, tip_a) - 0.8, 1.0), 4.0)
        cv.add(soft_inside(segment_dist(hx, hz, hinge_p, tip_p) - 0.7, 1.0), 3.5)
        # descending aorta: round, behind the LA at the AV groove, outside the pericardium
        da = np.hypot(hx - 26.0, hz - (la_bot + 16.0))
        cv.paint(soft_inside(da - 12.5, 1.0), 1.6, 0.25)
        cv.fluid(soft_inside(da - 10.0, 1.0))
