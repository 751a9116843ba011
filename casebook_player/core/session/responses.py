"""Responses: what a candidate's answer to each item type looks like, checked and normalised.

A response is plain JSON data so it can be journaled and signed as it is:
- single: a choice id;  multiple and ordering: a list of ids;
- hotspot: ``{"x": .., "y": ..}`` in image pixels;
- measurement: ``{"from": [x, y], "to": [x, y]}`` in image pixels.
"""

from __future__ import annotations

import math
from typing import Any

from casebook_player.core.case.model import (
    AnyItem,
    HotspotItem,
    MeasurementItem,
    MultipleItem,
    OrderingItem,
    Region,
    SingleItem,
    all_choices,
)

Response = Any  # JSON data of the shape above


class ResponseError(ValueError):
    """A response that does not fit its item."""


def normalise(item: AnyItem, value: Response) -> Response:
    """The response in canonical form, or ResponseError saying what is wrong with it."""
    if isinstance(item, SingleItem):
        return _one_of(value, {c.id for c in all_choices(item)}, item.id)
    if isinstance(item, MultipleItem):
        ids = _list_of(value, {c.id for c in all_choices(item)}, item.id)
        if len(set(ids)) != len(ids):
            raise ResponseError(f"{item.id}: a choice is selected twice")
        return sorted(ids)
    if isinstance(item, OrderingItem):
        ids = _list_of(value, {o.id for o in item.options}, item.id)
        if sorted(ids) != sorted(o.id for o in item.options):
            raise ResponseError(f"{item.id}: an ordering must list every option once")
        return ids
    if isinstance(item, HotspotItem):
        if not isinstance(value, dict) or set(value) != {"x", "y"}:
            raise ResponseError(f"{item.id}: a hotspot response is {{x: .., y: ..}}")
        return {"x": _number(value["x"], item.id), "y": _number(value["y"], item.id)}
    if not isinstance(value, dict) or set(value) != {"from", "to"}:
        raise ResponseError(f"{item.id}: a measurement response is {{from: [x, y], to: [x, y]}}")
    return {end: _point(value[end], item.id) for end in ("from", "to")}


def _one_of(value: Any, known: set[str], item_id: str) -> str:
    if not isinstance(value, str) or value not in known:
        raise ResponseError(f"{item_id}: {value!r} is not one of {', '.join(sorted(known))}")
    return value


def _list_of(value: Any, known: set[str], item_id: str) -> list[str]:
    if not isinstance(value, list):
        raise ResponseError(f"{item_id}: expected a list of ids")
    return [_one_of(v, known, item_id) for v in value]


def _number(value: Any, item_id: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ResponseError(f"{item_id}: {value!r} is not a number")
    return float(value)


def _point(value: Any, item_id: str) -> list[float]:
    if not isinstance(value, list) or len(value) != 2:
        raise ResponseError(f"{item_id}: a point is [x, y]")
    return [_number(value[0], item_id), _number(value[1], item_id)]


def key_response(item: AnyItem, spacing_mm: float | None = None) -> Response:
    """A response that earns full points: what ``simulate --responses correct`` answers.

    ``spacing_mm`` is the calibration of a measurement item's target image.
    """
    if isinstance(item, SingleItem):
        return item.answer
    if isinstance(item, MultipleItem):
        return sorted(item.answer)
    if isinstance(item, OrderingItem):
        return list(item.answer)
    if isinstance(item, HotspotItem):
        region = next(r for r in item.regions if r.id in item.answer)
        x, y = point_inside(region)
        return {"x": x, "y": y}
    assert isinstance(item, MeasurementItem) and spacing_mm
    if item.calipers is not None:  # the key's own: inside the calibrated region
        (x1, y1), (x2, y2) = item.calipers
        return {"from": [x1, y1], "to": [x2, y2]}
    length = item.value_mm / spacing_mm
    return {"from": [0.0, 0.0], "to": [length, 0.0]}


def point_inside(region: Region) -> tuple[float, float]:
    """A point inside ``region`` (its centre when that is inside)."""
    if region.center is not None:
        return region.center
    left, top, right, bottom = region.bounds()
    centre = ((left + right) / 2, (top + bottom) / 2)
    if region.contains(*centre):
        return centre
    # A concave polygon: scan a grid over its bounds for an inner point.
    steps = 64
    for j in range(1, steps):
        for i in range(1, steps):
            x = left + (right - left) * i / steps
            y = top + (bottom - top) * j / steps
            if region.contains(x, y):
                return x, y
    return region.polygon[0]
