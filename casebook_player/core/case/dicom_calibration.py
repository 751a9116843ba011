"""The calibration of an ultrasound picture from its Sequence of Ultrasound Regions.

Each 2D region (RegionSpatialFormat 1) gives the physical size of a pixel (PhysicalDeltaX/Y,
in the units PhysicalUnitsX/YDirection code, 3 = cm) inside its pixel rectangle. The case
format calibrates a picture with one number, ``pixel_spacing_mm``, valid inside the
``calibrated_regions`` rectangles (a measurement's calipers must both lie in one of them): it
is given only when every 2D region lies in the picture, is in cm, has square pixels and
agrees with the others; otherwise the reason is said instead.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydicom.dataset import Dataset

Rectangle = tuple[int, int, int, int]  # x0, y0, x1, y1: columns x0..x1-1, rows y0..y1-1
_SPATIAL_2D = 1
_UNITS_CM = 3
_RELATIVE_TOLERANCE = 1e-6


@dataclass(frozen=True)
class Calibration:
    pixel_spacing_mm: float | None
    reason: str = ""  # why there is none
    regions: tuple[Rectangle, ...] = ()  # the 2D regions in the picture, calibrated or not

    @property
    def first_region_top(self) -> int | None:
        return self.regions[0][1] if self.regions else None


def calibration(dataset: Dataset) -> Calibration:
    regions = [
        region
        for region in dataset.get("SequenceOfUltrasoundRegions", [])
        if region.get("RegionSpatialFormat") == _SPATIAL_2D
    ]
    if not regions:
        return Calibration(None, "no 2D ultrasound region: not calibrated")
    size = (int(dataset.get("Columns", 0)), int(dataset.get("Rows", 0)))
    rectangles: list[Rectangle] = []
    for number, region in enumerate(regions, 1):
        rectangle = _rectangle(region, size)
        if isinstance(rectangle, str):
            return Calibration(None, f"region {number}: {rectangle}")
        rectangles.append(rectangle)
    bounds = tuple(rectangles)
    spacings: list[float] = []
    for number, region in enumerate(regions, 1):
        units = (region.get("PhysicalUnitsXDirection"), region.get("PhysicalUnitsYDirection"))
        if units != (_UNITS_CM, _UNITS_CM):
            return Calibration(
                None, f"region {number}: units are codes {units[0]}/{units[1]}, not cm (3)", bounds
            )
        dx, dy = (float(region.get(name, 0)) for name in ("PhysicalDeltaX", "PhysicalDeltaY"))
        if dx <= 0 or not _same(abs(dx), abs(dy)):
            return Calibration(
                None, f"region {number}: pixels are not square ({dx} by {dy} cm)", bounds
            )
        spacings.append(abs(dx) * 10)
    if any(not _same(spacing, spacings[0]) for spacing in spacings):
        listed = ", ".join(f"{s:g}" for s in spacings)
        return Calibration(None, f"the regions disagree ({listed} mm per pixel)", bounds)
    return Calibration(round(spacings[0], 9), "", bounds)


def _rectangle(region: Dataset, size: tuple[int, int]) -> Rectangle | str:
    """The region's pixels, end exclusive (DICOM's Max is the last pixel in), or why it does
    not fit the picture. One pixel past the edge is taken as the edge: machines write Max as
    an end as often as the last pixel in."""
    width, height = size
    names = ("RegionLocationMinX0", "RegionLocationMinY0", "RegionLocationMaxX1")
    x0, y0, x1 = (int(region.get(name, -1)) for name in names)
    y1 = int(region.get("RegionLocationMaxY1", -1))
    if not (0 <= x0 <= x1 <= width and 0 <= y0 <= y1 <= height):
        return (
            f"its bounds [{x0}, {y0}, {x1}, {y1}] lie outside the {width}x{height} picture "
            "(was it resized after the regions were written?)"
        )
    return (x0, y0, min(x1 + 1, width), min(y1 + 1, height))


def _same(a: float, b: float) -> bool:
    return abs(a - b) <= _RELATIVE_TOLERANCE * max(abs(a), abs(b))
