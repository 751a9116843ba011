"""The calibration of an ultrasound picture from its Sequence of Ultrasound Regions.

Each 2D region (RegionSpatialFormat 1) gives the physical size of a pixel (PhysicalDeltaX/Y,
in the units PhysicalUnitsX/YDirection code, 3 = cm). The case format calibrates a picture
with one number, ``pixel_spacing_mm``: it is given only when every 2D region is in cm, has
square pixels and agrees with the others; otherwise the reason is said instead.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydicom.dataset import Dataset

_SPATIAL_2D = 1
_UNITS_CM = 3
_RELATIVE_TOLERANCE = 1e-6


@dataclass(frozen=True)
class Calibration:
    pixel_spacing_mm: float | None
    reason: str = ""  # why there is none
    first_region_top: int | None = None  # the first 2D region's top row (RegionLocationMinY0)


def calibration(dataset: Dataset) -> Calibration:
    regions = [
        region
        for region in dataset.get("SequenceOfUltrasoundRegions", [])
        if region.get("RegionSpatialFormat") == _SPATIAL_2D
    ]
    if not regions:
        return Calibration(None, "no 2D ultrasound region: not calibrated")
    top = regions[0].get("RegionLocationMinY0")
    spacings: list[float] = []
    for number, region in enumerate(regions, 1):
        units = (region.get("PhysicalUnitsXDirection"), region.get("PhysicalUnitsYDirection"))
        if units != (_UNITS_CM, _UNITS_CM):
            return Calibration(
                None, f"region {number}: units are codes {units[0]}/{units[1]}, not cm (3)", top
            )
        dx, dy = (float(region.get(name, 0)) for name in ("PhysicalDeltaX", "PhysicalDeltaY"))
        if dx <= 0 or not _same(abs(dx), abs(dy)):
            return Calibration(
                None, f"region {number}: pixels are not square ({dx} by {dy} cm)", top
            )
        spacings.append(abs(dx) * 10)
    if any(not _same(spacing, spacings[0]) for spacing in spacings):
        listed = ", ".join(f"{s:g}" for s in spacings)
        return Calibration(None, f"the regions disagree ({listed} mm per pixel)", top)
    return Calibration(round(spacings[0], 9), "", top)


def _same(a: float, b: float) -> bool:
    return abs(a - b) <= _RELATIVE_TOLERANCE * max(abs(a), abs(b))
