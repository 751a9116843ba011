"""Angoff, Hofstee and writing the cut back, against hand computations and a published table."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from choicecases import write_choice_case

from casebook_player.core.analytics.angoff import angoff_round, icc_2_1
from casebook_player.core.analytics.cut_writer import write_cut_score
from casebook_player.core.analytics.hofstee import HofsteeBounds, fail_rate, hofstee_cut
from casebook_player.core.analytics.ratings import RatingsError, load_panel
from casebook_player.core.case.loader import load_case
from casebook_player.core.case.problems import CaseError


def test_icc_matches_shrout_and_fleiss() -> None:
    # Shrout & Fleiss (1979), Table 2: six targets, four judges; ICC(2,1) = .29.
    table = [[9, 2, 5, 8], [6, 1, 3, 2], [8, 4, 6, 8], [7, 1, 2, 6], [10, 5, 6, 9], [6, 2, 4, 7]]
    assert icc_2_1(table) == pytest.approx(0.2898, abs=1e-4)


def test_angoff_cut_se_and_judges() -> None:
    ratings = {
        "a": {"q1": 0.6, "q2": 0.8},
        "b": {"q1": 0.4, "q2": 0.6},
        "c": {"q1": 0.5, "q2": 1.0},
    }
    result = angoff_round(ratings, {"q1": 1, "q2": 3})
    # a: (.6 + 2.4)/4 = 75 %; b: (.4 + 1.8)/4 = 55 %; c: (.5 + 3)/4 = 87.5 %.
    assert result.judges == pytest.approx({"a": 75.0, "b": 55.0, "c": 87.5})
    assert result.cut == pytest.approx(217.5 / 3)
    sd = math.sqrt(((75 - 72.5) ** 2 + (55 - 72.5) ** 2 + (87.5 - 72.5) ** 2) / 2)
    assert result.sd == pytest.approx(sd)
    assert result.se == pytest.approx(sd / math.sqrt(3))


def test_hofstee_meets_the_fail_rate_curve() -> None:
    scores = [(40.0, 1), (50.0, 1), (60.0, 1), (70.0, 1), (80.0, 1)]
    # Line from (45, 50 %) to (75, 10 %); the curve is 40 % on (50, 60]: 50 - (c-45) 4/3 = 40.
    cut = hofstee_cut(HofsteeBounds(45, 75, 10, 50), scores)
    assert cut is not None
    assert (cut.cut, cut.fail_rate) == pytest.approx((52.5, 40.0))
    assert fail_rate(scores, 50) == 20.0  # a score at the cut passes
    # Everyone passes anywhere in range: the curve stays under the line (at least 5 %).
    assert hofstee_cut(HofsteeBounds(45, 75, 5, 30), [(90.0, 5)]) is None


def _panel(tmp_path: Path, text: str) -> Path:
    write_choice_case(tmp_path / "case", 2)
    file = tmp_path / "ratings.yaml"
    file.write_text(text)
    return file


def test_ratings_problems_are_located(tmp_path: Path) -> None:
    file = _panel(
        tmp_path,
        "case: case\nrounds:\n  - judge-a: {q1: 1.5, q2: 0.5}\n    judge-b: {q1: 0.5}\n"
        "hofstee:\n  judge-a: {min_cut: 80, max_cut: 60, min_fail: 5, max_fail: 30}\n",
    )
    with pytest.raises(RatingsError) as caught:
        load_panel(file, ["q1", "q2"])
    said = [str(p) for p in caught.value.problems]
    assert f"{file}:3:19: rounds[0].judge-a.q1: expected a probability from 0 to 1, not 1.5" in said
    assert any(":4:14: rounds[0].judge-b: no rating for q2" in s for s in said)
    assert any("hofstee.judge-a: a minimum is above its maximum" in s for s in said)


def test_writing_the_cut_keeps_the_rest_of_the_file(tmp_path: Path) -> None:
    file = write_choice_case(tmp_path / "case", 2)
    text = file.read_text().replace("cut_score: 50", "cut_score: 50   # set by the panel")
    file.write_text(text)
    write_cut_score(file, 63.456)
    assert file.read_text() == text.replace("cut_score: 50 ", "cut_score: 63.5 ")
    assert load_case(file).cut_score == 63.5


def test_a_cut_the_case_would_refuse_is_not_written(tmp_path: Path) -> None:
    file = write_choice_case(tmp_path / "case", 2)
    before = file.read_text()
    with pytest.raises(CaseError) as caught:
        write_cut_score(file, 150)
    assert "cut_score" in str(caught.value)
    assert file.read_text() == before
