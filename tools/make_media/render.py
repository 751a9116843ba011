"""Render scenes into the case's media files and describe them as case-script media entries."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from .bmode import BMode, Scene
from .mmode import MModeLayout, compose_mmode
from .pngio import write_gray_png
from .video import FPS, encode_clip


def clip(
    folder: Path,
    file: str,
    bmode: BMode,
    scene: Scene,
    media_id: str,
    label: str,
    seconds: float,
    with_size: bool = False,
    crf: int = 29,
    *,
    description: str,
) -> dict[str, Any]:
    """A looping cine clip: `seconds` should be a whole number of the scene's cycles.

    `description` is the text alternative a screen reader reads: what is on screen, never
    the finding a question asks for (the same holds for stills and M-mode strips).
    """
    n = round(seconds * FPS)
    frames = [bmode.frame(scene, k / FPS, k) for k in range(n)]
    encode_clip(folder / file, frames, crf=crf)
    entry: dict[str, Any] = {"id": media_id, "kind": "clip", "file": file, "loop": True}
    if with_size:
        entry["size"] = [bmode.display.width, bmode.display.height]
    entry["label"] = label
    entry["description"] = description
    return entry


def still(
    folder: Path,
    file: str,
    bmode: BMode,
    scene: Scene,
    media_id: str,
    label: str,
    t: float = 0.0,
    calibrated: bool = False,
    overlays: list[dict[str, Any]] | None = None,
    *,
    description: str,
) -> tuple[dict[str, Any], np.ndarray]:
    """A still frame (grey PNG); `calibrated` adds pixel_spacing_mm for measurements."""
    img = bmode.frame(scene, t, 0)
    write_gray_png(folder / file, img)
    entry: dict[str, Any] = {
        "id": media_id,
        "kind": "image",
        "file": file,
        "label": label,
        "description": description,
    }
    if calibrated:
        entry["pixel_spacing_mm"] = round(bmode.display.pixel_spacing_mm, 4)
    if overlays:
        entry["overlays"] = overlays
    return entry, img


def mmode(
    folder: Path,
    file: str,
    bmode: BMode,
    scene: Scene,
    media_id: str,
    label: str,
    at: float,
    seconds: float = 3.0,
    px_per_s: float = 80.0,
    t_image: float = 0.0,
    *,
    description: str,
) -> tuple[dict[str, Any], MModeLayout]:
    img, layout = compose_mmode(bmode, scene, at, seconds, px_per_s, t_image)
    write_gray_png(folder / file, img)
    entry: dict[str, Any] = {
        "id": media_id,
        "kind": "mmode",
        "file": file,
        "size": [layout.width, layout.height],
        "label": label,
        "description": description,
    }
    return entry, layout


def to_px(bmode: BMode, points_mm: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Scene points (mm) → image pixels."""
    return [bmode.display.to_px(x, z) for x, z in points_mm]
