"""Scoring: per item, per blueprint domain, overall, and pass/fail against the cut score.

The rules are those of docs/case-format.md ("Scoring rules").
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import combinations

from casebook_player.core.case.model import (
    AnyItem,
    Case,
    HotspotItem,
    MeasurementItem,
    Media,
    MultipleItem,
    OrderingItem,
    SingleItem,
)
from casebook_player.core.session.responses import Response

_EPSILON = 1e-9


@dataclass(frozen=True)
class ItemScore:
    item_id: str
    points: float
    max_points: float
    answered: bool
    domains: tuple[str, ...]


@dataclass(frozen=True)
class DomainScore:
    id: str
    name: str
    raw: float
    max: float
    weight: float | None

    @property
    def percent(self) -> float:
        return _percent(self.raw, self.max)


@dataclass(frozen=True)
class ScoreReport:
    items: tuple[ItemScore, ...]
    domains: tuple[DomainScore, ...]
    raw: float
    max: float
    percent: float
    cut_score: float

    @property
    def passed(self) -> bool:
        return self.percent + _EPSILON >= self.cut_score


def _percent(raw: float, maximum: float) -> float:
    return round(100.0 * raw / maximum, 2) if maximum else 0.0


def measured_mm(response: Response, spacing_mm: float) -> float:
    """Distance between the two calipers of a measurement response, in millimetres."""
    (x1, y1), (x2, y2) = response["from"], response["to"]
    return math.hypot(x2 - x1, y2 - y1) * spacing_mm


def item_fraction(item: AnyItem, response: Response, spacing_mm: float | None = None) -> float:
    """The fraction (0..1) of the item's points a normalised response earns."""
    if response is None:
        return 0.0
    if isinstance(item, SingleItem):
        return 1.0 if response == item.answer else 0.0
    if isinstance(item, MultipleItem):
        return _multiple_fraction(item, set(response))
    if isinstance(item, OrderingItem):
        return _ordering_fraction(item, list(response))
    if isinstance(item, HotspotItem):
        x, y = response["x"], response["y"]
        hit = any(r.contains(x, y) for r in item.regions if r.id in item.answer)
        return 1.0 if hit else 0.0
    assert isinstance(item, MeasurementItem) and spacing_mm is not None
    error = abs(measured_mm(response, spacing_mm) - item.value_mm)
    return 1.0 if error <= item.tolerance_mm + _EPSILON else 0.0


def _multiple_fraction(item: MultipleItem, chosen: set[str]) -> float:
    if item.scoring == "all_or_nothing":
        return 1.0 if chosen == item.answer else 0.0
    # A 'not possible' hedged with other choices needs no rule of its own: when it is the key
    # the other choices are wrong, and when it is not, it is itself one wrong choice.
    correct = len(chosen & item.answer)
    wrong = len(chosen - item.answer)
    return max(0.0, (correct - wrong) / len(item.answer))


def _ordering_fraction(item: OrderingItem, order: list[str]) -> float:
    if item.scoring == "exact" or len(item.answer) < 2:
        return 1.0 if tuple(order) == item.answer else 0.0
    rank = {option: i for i, option in enumerate(order)}
    pairs = list(combinations(item.answer, 2))
    concordant = sum(1 for a, b in pairs if rank[a] < rank[b])
    return concordant / len(pairs)


def measurement_target(case: Case, item: AnyItem) -> Media | None:
    """The picture (still or clip) a measurement item is measured on."""
    if not isinstance(item, MeasurementItem):
        return None
    for _, kp in case.key_points():
        if item in kp.items:
            return kp.media_by_id(item.target)
    return None


def measurement_spacing(case: Case, item: AnyItem) -> float | None:
    """The calibration (mm per pixel) of a measurement item's target picture."""
    target = measurement_target(case, item)
    return None if target is None else target.pixel_spacing_mm


def case_item_fraction(case: Case, item: AnyItem, response: Response) -> float:
    """``item_fraction`` with the calibration of the item's target: a measurement whose
    calipers are not both in one calibrated region earns nothing (no scale holds there)."""
    target = measurement_target(case, item)
    if target is None:
        return item_fraction(item, response)
    if response is not None and not target.calibrated_between(response["from"], response["to"]):
        return 0.0
    return item_fraction(item, response, target.pixel_spacing_mm)


def score(case: Case, responses: Mapping[str, Response], counted: Iterable[str]) -> ScoreReport:
    """Score the ``counted`` item ids with the given (normalised) responses."""
    items = []
    for item_id in counted:
        item = case.item(item_id)
        response = responses.get(item_id)
        fraction = case_item_fraction(case, item, response)
        items.append(
            ItemScore(
                item_id,
                round(item.points * fraction, 4),
                item.points,
                response is not None,
                item.domains,
            )
        )
    domains = tuple(
        DomainScore(
            d.id,
            d.name,
            sum(s.points for s in items if d.id in s.domains),
            sum(s.max_points for s in items if d.id in s.domains),
            d.weight,
        )
        for d in case.domains
    )
    raw = sum(s.points for s in items)
    maximum = sum(s.max_points for s in items)
    percent = _percent(raw, maximum)
    if any(d.weight is not None for d in case.domains):
        weighted = [(d.weight or 1.0, d.percent) for d in domains if d.max > 0]
        total_weight = sum(w for w, _ in weighted)
        percent = round(sum(w * p for w, p in weighted) / total_weight, 2) if total_weight else 0.0
    return ScoreReport(tuple(items), domains, raw, maximum, percent, case.cut_score)
