"""Builders for items and media entries, so case definitions read like the case script."""

from __future__ import annotations

from typing import Any

Choices = list[tuple[str, str]]


def _choices(choices: Choices) -> list[dict[str, str]]:
    return [{"id": i, "text": t} for i, t in choices]


def _common(id: str, type: str, stem: str, points: float, domains: list[str]) -> dict[str, Any]:
    return {"id": id, "type": type, "stem": stem, "points": points, "domains": domains}


def single(
    id: str,
    stem: str,
    choices: Choices,
    answer: str,
    domains: list[str],
    rationale: str,
    points: float = 1,
    not_possible: bool = False,
) -> dict[str, Any]:
    item = _common(id, "single", stem, points, domains)
    item["choices"] = _choices(choices)
    if not_possible:
        item["not_possible"] = True
    item["answer"] = answer
    item["rationale"] = rationale
    return item


def multiple(
    id: str,
    stem: str,
    choices: Choices,
    answer: list[str],
    domains: list[str],
    rationale: str,
    scoring: str = "partial",
    select: int | None = None,
    points: float = 2,
    not_possible: bool = False,
) -> dict[str, Any]:
    item = _common(id, "multiple", stem, points, domains)
    item["choices"] = _choices(choices)
    if select is not None:
        item["select"] = select
    item["scoring"] = scoring
    if not_possible:
        item["not_possible"] = True
    item["answer"] = answer
    item["rationale"] = rationale
    return item


def hotspot(
    id: str,
    stem: str,
    target: str,
    regions: list[dict[str, Any]],
    answer: list[str],
    domains: list[str],
    rationale: str,
    points: float = 1,
) -> dict[str, Any]:
    item = _common(id, "hotspot", stem, points, domains)
    item["target"] = target
    item["regions"] = regions
    item["answer"] = answer
    item["rationale"] = rationale
    return item


def ordering(
    id: str,
    stem: str,
    options: Choices,
    answer: list[str],
    domains: list[str],
    rationale: str,
    scoring: str = "partial",
    points: float = 2,
) -> dict[str, Any]:
    item = _common(id, "ordering", stem, points, domains)
    item["options"] = _choices(options)
    item["scoring"] = scoring
    item["answer"] = answer
    item["rationale"] = rationale
    return item


def measurement(
    id: str,
    stem: str,
    target: str,
    value_mm: float,
    tolerance_mm: float,
    domains: list[str],
    rationale: str,
    points: float = 2,
) -> dict[str, Any]:
    item = _common(id, "measurement", stem, points, domains)
    item["target"] = target
    item["answer"] = {"value_mm": value_mm, "tolerance_mm": tolerance_mm}
    item["rationale"] = rationale
    return item


def circle(id: str, centre: tuple[float, float], radius: float) -> dict[str, Any]:
    return {
        "id": id,
        "circle": {"center": [round(centre[0]), round(centre[1])], "radius": round(radius)},
    }


def polygon(id: str, points: list[tuple[float, float]]) -> dict[str, Any]:
    return {"id": id, "polygon": [[round(x), round(y)] for x, y in points]}


def branch(
    to: str, item: str | None = None, equals: str | list[str] | None = None
) -> dict[str, Any]:
    if item is None:
        return {"to": to}
    return {"item": item, "equals": equals, "to": to}
