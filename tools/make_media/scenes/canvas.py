"""Painting tissue: structures are laid down in order, each with a soft-edged mask."""

from __future__ import annotations

import numpy as np

from ..bmode import Tissue

BLOOD = 1e-4  # intensity of blood and clear fluid (-40 dB): black on the screen
SOFT_TISSUE_ATT = 0.25  # dB/mm round trip at ~2.5-3.5 MHz
FLUID_ATT = 0.02


class Canvas:
    """Echo, attenuation and material coordinates on the beam grid, painted layer by layer."""

    def __init__(
        self, x: np.ndarray, z: np.ndarray, echo: float = 0.5, att: float = SOFT_TISSUE_ATT
    ) -> None:
        self.x, self.z = x, z
        self.echo = np.full(x.shape, echo)
        self.att = np.full(x.shape, att)
        self.u = x.copy()
        self.v = z.copy()
        self.spec = np.zeros(x.shape)

    def paint(
        self,
        mask: np.ndarray,
        echo: np.ndarray | float,
        att: float | np.ndarray | None = None,
        u: np.ndarray | None = None,
        v: np.ndarray | None = None,
    ) -> None:
        """Blend `echo` in where `mask` (0..1) is set; material coordinates switch at 0.5."""
        self.echo = self.echo * (1 - mask) + mask * echo
        if att is not None:
            self.att = self.att * (1 - mask) + mask * att
        hard = mask > 0.5
        if u is not None:
            self.u = np.where(hard, u, self.u)
        if v is not None:
            self.v = np.where(hard, v, self.v)

    def fluid(
        self, mask: np.ndarray, u: np.ndarray | None = None, v: np.ndarray | None = None
    ) -> None:
        self.paint(mask, BLOOD, FLUID_ATT, u, v)

    def add(self, mask: np.ndarray, echo: float, spec: float = 0.0) -> None:
        """Add a bright reflector (interfaces, walls) on top of what is there."""
        self.echo = self.echo + mask * echo
        if spec:
            self.spec = self.spec + mask * spec

    def tissue(self) -> Tissue:
        return Tissue(echo=self.echo, u=self.u, v=self.v, att=self.att, spec=self.spec)
