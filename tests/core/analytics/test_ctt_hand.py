"""Every statistic against a hand computation: five candidates, four right/wrong items.

    candidate  q1 q2 q3 q4   (choices; key A)    scores     total
    c1         A  A  A  A                         1 1 1 1    4
    c2         A  A  A  B                         1 1 1 0    3
    c3         A  A  B  C                         1 1 0 0    2
    c4         A  B  A  B                         1 0 1 0    2
    c5         B  C  B  A                         0 0 0 1    1

Totals 4 3 2 2 1: mean 2.4, population variance 5.2 / 5 = 1.04. Item p .8 .6 .6 .4, variances
pq .16 .24 .24 .24 (sum .88). KR-20 = 4/3 (1 - .88/1.04) = 8/39. d1 = q1+q2, d2 = q3+q4.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from choicecases import sign_attempts
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from casebook_player.core.analytics import archive, ctt
from casebook_player.core.analytics.case_tables import register_case
from casebook_player.core.case.model import Case
from casebook_player.core.session.results import Attempt, Candidate, write_result
from casebook_player.core.session.simulate import simulate

ANSWERS = {
    "c1": "AAAA",
    "c2": "AAAB",
    "c3": "AABC",
    "c4": "ABAB",
    "c5": "BCBA",
}


@pytest.fixture
def stats(tmp_path: Path, choice_case: Case, signing_key: Ed25519PrivateKey) -> ctt.FormStats:
    answers = {c: {f"q{n}": a for n, a in enumerate(given, 1)} for c, given in ANSWERS.items()}
    files = sign_attempts(choice_case, answers, signing_key, tmp_path / "results")
    db = tmp_path / "archive.duckdb"
    archive.add_results(db, files, signing_key.public_key())
    with archive.open_archive(db) as connection:
        register_case(connection, choice_case)
        forms = ctt.form_statistics(ctt.query_archive(connection))
    return forms[choice_case.sha256]


def item(stats: ctt.FormStats, item_id: str) -> dict[str, object]:
    return next(i for i in stats.items if i["item_id"] == item_id)


def test_difficulty_is_the_share_right(stats: ctt.FormStats) -> None:
    assert [item(stats, f"q{n}")["p"] for n in range(1, 5)] == pytest.approx([0.8, 0.6, 0.6, 0.4])
    assert item(stats, "q1")["n"] == 5


def test_corrected_item_total_correlation(stats: ctt.FormStats) -> None:
    # q1 = (1,1,1,1,0) against the rest (3,2,1,1,1): cov sum .6 / sqrt(.8 * 3.2) = .375.
    assert item(stats, "q1")["r_rest"] == pytest.approx(0.375)
    # q2 = (1,1,1,0,0) against (3,2,1,2,1): .6 / sqrt(1.2 * 2.8).
    assert item(stats, "q2")["r_rest"] == pytest.approx(0.6 / math.sqrt(3.36))
    # q4 = (1,0,0,0,1) against (3,3,2,2,0): -1 / sqrt(1.2 * 6): negative.
    assert item(stats, "q4")["r_rest"] == pytest.approx(-1 / math.sqrt(7.2))


def test_upper_lower_discrimination(stats: ctt.FormStats) -> None:
    # round(.27 * 5) = 1 candidate each: c1 (total 4) above, c5 (total 1) below.
    assert [item(stats, f"q{n}")["d_upper_lower"] for n in range(1, 5)] == pytest.approx(
        [1.0, 1.0, 1.0, 0.0]
    )


def test_distractor_shares_and_mean_totals(stats: ctt.FormStats) -> None:
    q4 = {o["option_id"]: o for o in stats.options if o["item_id"] == "q4"}
    assert {k: o["share"] for k, o in q4.items()} == pytest.approx({"A": 0.4, "B": 0.4, "C": 0.2})
    # A: c1, c5 (4 + 1) / 2; B: c2, c4 (3 + 2) / 2; C: c3.
    assert {k: o["mean_total"] for k, o in q4.items()} == pytest.approx(
        {"A": 2.5, "B": 2.5, "C": 2.0}
    )
    assert q4["A"]["is_key"] and not q4["B"]["is_key"]
    q1 = {o["option_id"]: o for o in stats.options if o["item_id"] == "q1"}
    assert q1["C"]["share"] == 0 and q1["C"]["mean_total"] is None
    assert q1["A"]["mean_total"] == pytest.approx(11 / 4)


def test_kr20_alpha_and_sem(stats: ctt.FormStats) -> None:
    overall = stats.overall
    assert overall["mean"] == pytest.approx(2.4)
    assert overall["sd"] == pytest.approx(math.sqrt(1.04))
    assert overall["alpha"] == pytest.approx(8 / 39)
    assert overall["dichotomous"]
    assert overall["sem"] == pytest.approx(math.sqrt(1.04 * (1 - 8 / 39)))


def test_domain_reliability(stats: ctt.FormStats) -> None:
    domains = {r["domain_id"]: r for r in stats.reliability}
    # d1 scores (2,2,2,1,0): variance .64, item variances .16 + .24: alpha 2 (1 - .4/.64).
    assert domains["d1"]["alpha"] == pytest.approx(0.75)
    assert domains["d1"]["mean"] == pytest.approx(1.4)
    # d2 scores (2,1,0,1,1): variance .4 < .24 + .24: alpha 2 (1 - 1.2) = -.4 (q4 works
    # against q3), and SEM = sqrt(.4) sqrt(1.4).
    assert domains["d2"]["alpha"] == pytest.approx(-0.4)
    assert domains["d2"]["sem"] == pytest.approx(math.sqrt(0.56))


def test_subkoviak_decision_consistency(stats: ctt.FormStats) -> None:
    # Cut 50 % of 4 items: 2 right. Kelley: p = .6 + (8/39)(x - .6) for x = 1, .75, .5, .5,
    # .25; P(pass) = 1 - (1-p)^4 - 4p(1-p)^3 = .90209, .85441, .79637, .79637, .72857;
    # P_A = mean(P^2 + (1-P)^2), P_C from mean P = .81563.
    pa = [
        0.9020908978443799,
        0.8544077868421974,
        0.7963687774185726,
        0.7963687774185726,
        0.7285714210131142,
    ]
    agreement = sum(p * p + (1 - p) ** 2 for p in pa) / 5
    passing = sum(pa) / 5
    chance = passing**2 + (1 - passing) ** 2
    assert stats.consistency is not None
    assert stats.consistency.agreement == pytest.approx(agreement)
    assert stats.consistency.agreement == pytest.approx(0.70608, abs=1e-5)
    assert stats.consistency.kappa == pytest.approx((agreement - chance) / (1 - chance))


def test_impact_data(stats: ctt.FormStats) -> None:
    # Percent scores 100, 75, 50, 50, 25.
    rates = dict(ctt.pass_rates(stats.distribution, [25, 50, 51, 75, 76, 100]))
    assert rates == pytest.approx({25: 1.0, 50: 0.8, 51: 0.4, 75: 0.4, 76: 0.2, 100: 0.2})


def test_flags_name_what_is_wrong(stats: ctt.FormStats) -> None:
    assert stats.flags["q4"] == ["negative discrimination: r = -0.37"]
    assert "q1" not in stats.flags


def test_first_attempt_only_counts(
    tmp_path: Path, choice_case: Case, signing_key: Ed25519PrivateKey
) -> None:
    """A retake (ledger attempt 2) stays in the archive but not in the statistics."""
    files = []
    for attempt, answer in ((1, "B"), (2, "A")):
        ledger = {"ledger_id": "l", "position": 1 + attempt, "chain": "0" * 64, "attempt": attempt}
        session = simulate(
            choice_case,
            {f"q{n}": answer for n in range(1, 5)},
            attempt=Attempt(Candidate("c1"), provenance={"ledger": ledger}),
        )
        files.append(tmp_path / f"a{attempt}.json")
        write_result(files[-1], session.result(), signing_key)
    db = tmp_path / "archive.duckdb"
    archive.add_results(db, files[::-1], signing_key.public_key())
    with archive.open_archive(db) as connection:
        kept = connection.execute("SELECT COUNT(*) FROM results").fetchone()
        first = connection.execute("SELECT attempt, raw FROM first_attempts").fetchall()
    assert kept == (2,)
    assert first == [(1, 0.0)]
