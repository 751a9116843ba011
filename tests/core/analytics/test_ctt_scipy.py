"""The archive's SQL against a second implementation (numpy/scipy over the result files
themselves) on a generated archive of every item type, with branching and retakes."""

from __future__ import annotations

import hashlib
import math
from collections import Counter, defaultdict
from typing import Any

import numpy as np
import pytest
from casefactory import write_case
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from scipy import stats as scipy_stats

from casebook_player.core.analytics import archive, ctt, synthetic
from casebook_player.core.analytics.case_tables import register_case
from casebook_player.core.case.loader import load_case
from casebook_player.core.case.model import Case
from casebook_player.core.crypto.signing import read_unverified

CANDIDATES = 300


@pytest.fixture(scope="module")
def case(tmp_path_factory: pytest.TempPathFactory) -> Case:
    """The test case of every item type (tests/casefactory.py), with a branch."""
    return load_case(write_case(tmp_path_factory.mktemp("case")))


@pytest.fixture(scope="module")
def generated(
    tmp_path_factory: pytest.TempPathFactory, case: Case, signing_key: Ed25519PrivateKey
) -> tuple[ctt.FormStats, list[dict[str, Any]]]:
    tmp_path = tmp_path_factory.mktemp("archive")
    files = synthetic.write_signed(
        case, synthetic.Cohort(CANDIDATES, seed=7), signing_key, tmp_path / "r"
    )
    db = tmp_path / "archive.duckdb"
    archive.add_results(db, files, signing_key.public_key(), chunk_files=100)
    with archive.open_archive(db) as connection:
        register_case(connection, case)
        forms = ctt.form_statistics(ctt.query_archive(connection))
    firsts = []
    for file in files:
        data = file.read_bytes()
        document = read_unverified(data)
        if document["ledger"]["attempt"] == 1:
            firsts.append({**document, "hash": hashlib.sha256(data).hexdigest()})
    return forms[case.sha256], firsts


def _points(documents: list[dict[str, Any]]) -> dict[str, dict[str, float]]:
    """item -> candidate hash -> points, for those shown the item."""
    table: dict[str, dict[str, float]] = defaultdict(dict)
    for d in documents:
        for r in d["responses"]:
            table[r["item"]][d["hash"]] = r["points"]
    return table


def test_retakes_are_generated_and_left_out(generated: tuple[ctt.FormStats, list[Any]]) -> None:
    stats, firsts = generated
    assert len(firsts) == CANDIDATES == stats.candidates


def test_item_statistics_match_scipy(
    case: Case, generated: tuple[ctt.FormStats, list[Any]]
) -> None:
    stats, firsts = generated
    points = _points(firsts)
    total = {d["hash"]: sum(r["points"] for r in d["responses"]) for d in firsts}
    order = sorted(total, key=lambda h: (-total[h], h))
    g = max(1, math.floor(0.27 * len(order) + 0.5))
    upper, lower = set(order[:g]), set(order[-g:])
    for row in stats.items:
        seen = points[row["item_id"]]
        maximum = case.item(row["item_id"]).points
        x = np.array(list(seen.values()))
        rest = np.array([total[h] - seen[h] for h in seen])
        assert row["n"] == len(seen)
        assert row["p"] == pytest.approx(np.mean(x / maximum))
        assert row["mean_score"] == pytest.approx(np.mean(x))
        assert row["r_rest"] == pytest.approx(scipy_stats.pearsonr(x, rest).statistic)
        up = [seen[h] / maximum for h in seen if h in upper]
        low = [seen[h] / maximum for h in seen if h in lower]
        if up and low:
            assert row["d_upper_lower"] == pytest.approx(np.mean(up) - np.mean(low))
        else:  # a branch item none of one band was shown
            assert row["d_upper_lower"] is None


def test_reliability_matches_numpy(case: Case, generated: tuple[ctt.FormStats, list[Any]]) -> None:
    stats, firsts = generated
    points = _points(firsts)
    for domain in ["", *(d.id for d in case.domains)]:
        items = [i for i in points if not domain or domain in case.item(i).domains]
        scores = np.array(
            [sum(r["points"] for r in d["responses"] if r["item"] in items) for d in firsts]
        )
        k = len(items)
        item_var = sum(np.var(list(points[i].values())) for i in items)
        alpha = k / (k - 1) * (1 - item_var / np.var(scores))
        row = next(r for r in stats.reliability if r["domain_id"] == domain)
        assert (row["k"], row["n"]) == (k, len(firsts))
        assert row["mean"] == pytest.approx(np.mean(scores))
        assert row["sd"] == pytest.approx(np.std(scores))
        assert row["alpha"] == pytest.approx(alpha)
        assert row["sem"] == pytest.approx(np.std(scores) * np.sqrt(1 - alpha))


def test_distractors_match_counts(generated: tuple[ctt.FormStats, list[Any]]) -> None:
    stats, firsts = generated
    for row in stats.options:
        chose, shown = [], 0
        for d in firsts:
            response = next((r for r in d["responses"] if r["item"] == row["item_id"]), None)
            if response is None:
                continue
            shown += 1
            value = response["response"]
            if value is not None and row["option_id"] in (
                [value] if isinstance(value, str) else value
            ):
                chose.append(sum(r["points"] for r in d["responses"]))
        assert row["share"] == pytest.approx(len(chose) / shown)
        assert row["mean_total"] == (pytest.approx(np.mean(chose)) if chose else None)


def test_decision_consistency_matches_scipy_binomial(
    generated: tuple[ctt.FormStats, list[Any]],
) -> None:
    stats, firsts = generated
    overall = stats.overall
    k, alpha = overall["k"], min(1.0, max(0.0, overall["alpha"]))
    proportions = np.array([d["raw"] / d["max"] for d in firsts])
    true = np.clip(alpha * proportions + (1 - alpha) * proportions.mean(), 0, 1)
    needed = math.ceil(firsts[0]["cut_score"] / 100 * k - 1e-9)
    p_pass = scipy_stats.binom.sf(needed - 1, k, true)
    assert stats.consistency is not None
    assert stats.consistency.agreement == pytest.approx(np.mean(p_pass**2 + (1 - p_pass) ** 2))


def test_click_map_and_measurement_errors_match(
    case: Case, generated: tuple[ctt.FormStats, list[Any]]
) -> None:
    stats, firsts = generated
    clicks: Counter[tuple[float, float]] = Counter()
    errors: Counter[float] = Counter()
    for d in firsts:
        for r in d["responses"]:
            if r["item"] == "q-spot" and r["response"]:
                clicks[
                    (math.floor(r["response"]["x"] / 4) * 4, math.floor(r["response"]["y"] / 4) * 4)
                ] += 1
            if r["item"] == "q-measure" and r["response"]:
                (x1, y1), (x2, y2) = r["response"]["from"], r["response"]["to"]
                error = math.hypot(x2 - x1, y2 - y1) * 0.5 - 50
                errors[math.floor(error / 0.5) * 0.5] += 1
    assert {(c["x"], c["y"]): c["clicks"] for c in stats.click_map} == clicks
    assert {e["error_mm"]: e["candidates"] for e in stats.measurement_errors} == pytest.approx(
        errors
    )
    assert sum(clicks.values()) > 100 and len(errors) > 5
