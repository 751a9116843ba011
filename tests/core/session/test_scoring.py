from __future__ import annotations

from dataclasses import replace

import pytest

from casebook_player.core.case.model import Case, Domain, MultipleItem, OrderingItem, Region
from casebook_player.core.session.responses import key_response, point_inside
from casebook_player.core.session.scoring import item_fraction, measurement_spacing, score


def test_single(case: Case) -> None:
    item = case.item("q-view")
    assert item_fraction(item, "B") == 1
    assert item_fraction(item, "A") == 0
    assert item_fraction(item, "not_possible") == 0
    assert item_fraction(item, None) == 0


@pytest.mark.parametrize(
    ("chosen", "scoring", "expected"),
    [
        (["A", "C"], "partial", 1.0),
        (["A"], "partial", 0.5),
        (["A", "B"], "partial", 0.0),  # one right, one wrong
        (["A", "B", "C"], "partial", 0.5),
        (["B"], "partial", 0.0),  # never below zero
        (["A"], "all_or_nothing", 0.0),
        (["A", "C"], "all_or_nothing", 1.0),
    ],
)
def test_multiple(case: Case, chosen: list[str], scoring: str, expected: float) -> None:
    item = case.item("q-signs")
    assert isinstance(item, MultipleItem)
    assert item_fraction(replace(item, scoring=scoring), chosen) == expected


def test_multiple_hedging_with_not_possible_is_a_wrong_choice(case: Case) -> None:
    item = case.item("q-signs")
    assert isinstance(item, MultipleItem)
    keyed = replace(item, not_possible=True, answer=frozenset({"not_possible"}))
    assert item_fraction(keyed, ["not_possible"]) == 1
    assert item_fraction(keyed, ["not_possible", "A"]) == 0
    assert item_fraction(replace(item, not_possible=True), ["A", "C", "not_possible"]) == 0.5


@pytest.mark.parametrize(
    ("order", "scoring", "expected"),
    [
        (["ruq", "luq", "pelvis"], "partial", 1.0),
        (["luq", "ruq", "pelvis"], "partial", 2 / 3),
        (["pelvis", "luq", "ruq"], "partial", 0.0),
        (["luq", "ruq", "pelvis"], "exact", 0.0),
        (["ruq", "luq", "pelvis"], "exact", 1.0),
    ],
)
def test_ordering(case: Case, order: list[str], scoring: str, expected: float) -> None:
    item = case.item("q-order")
    assert isinstance(item, OrderingItem)
    assert item_fraction(replace(item, scoring=scoring), order) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("x", "y", "expected"),
    [(50, 50, 1.0), (70, 50, 1.0), (71, 50, 0.0), (150, 30, 0.0), (5, 5, 0.0)],
)
def test_hotspot_click_inside_a_key_region(case: Case, x: float, y: float, expected: float) -> None:
    assert item_fraction(case.item("q-spot"), {"x": x, "y": y}) == expected


def test_polygon_regions_include_their_edges() -> None:
    triangle = Region("t", polygon=((0, 0), (10, 0), (0, 10)))
    assert triangle.contains(1, 1)
    assert triangle.contains(5, 5)  # on the hypotenuse
    assert not triangle.contains(6, 6)
    concave = Region("c", polygon=((0, 0), (10, 0), (10, 10), (5, 1), (0, 10)))
    assert concave.contains(*point_inside(concave))


@pytest.mark.parametrize(
    ("length_px", "expected"), [(100, 1.0), (104, 1.0), (104.1, 0.0), (95, 0.0)]
)
def test_measurement_within_tolerance(case: Case, length_px: float, expected: float) -> None:
    item = case.item("q-measure")
    spacing = measurement_spacing(case, item)
    assert spacing == 0.5
    response = {"from": [10.0, 10.0], "to": [10.0, 10.0 + length_px]}
    assert item_fraction(item, response, spacing) == expected


def test_key_responses_earn_full_points(case: Case) -> None:
    for item in case.items():
        spacing = measurement_spacing(case, item)
        assert item_fraction(item, key_response(item, spacing), spacing) == 1.0, item.id


def test_per_domain_and_overall(case: Case) -> None:
    report = score(
        case,
        {"q-view": "B", "q-signs": ["A"], "q-order": ["luq", "ruq", "pelvis"]},
        ["q-view", "q-signs", "q-order", "q-spot"],
    )
    views, findings = report.domains
    assert (views.raw, views.max) == (1 + 1 + 2, 1 + 2 + 3)
    assert (findings.raw, findings.max) == (1, 2 + 1)
    assert views.percent == pytest.approx(66.67)
    assert (report.raw, report.max) == (4, 7)
    assert report.percent == pytest.approx(57.14)
    assert not report.passed  # cut score 60
    assert [s.answered for s in report.items] == [True, True, True, False]


def test_weighted_domains_give_the_weighted_mean(case: Case) -> None:
    weighted = replace(
        case, domains=(Domain("views", "Views", 3.0), Domain("findings", "Findings"))
    )
    report = score(weighted, {"q-view": "B", "q-spot": {"x": 0, "y": 0}}, ["q-view", "q-spot"])
    assert [d.percent for d in report.domains] == [100.0, 0.0]
    assert report.percent == 75.0


def test_pass_at_exactly_the_cut_score(case: Case) -> None:
    report = score(replace(case, cut_score=50), {"q-view": "B"}, ["q-view", "q-next"])
    assert report.percent == 50 and report.passed
