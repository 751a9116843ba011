"""Each certification rule, with dates on either side of its limit (core.certification.rules)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from casebook_player.core.certification.programme import Programme, load_programme
from casebook_player.core.certification.record import (
    Application,
    Attestation,
    AttestedArea,
    CandidateRecord,
)
from casebook_player.core.certification.rules import (
    Components,
    Decision,
    EvaluationFact,
    ResultFact,
    ReviewFact,
    SubmissionFact,
    decide,
)

ROOT = Path(__file__).resolve().parents[3]
PURCHASED = date(2026, 1, 1)
TODAY = date(2026, 2, 1)


@pytest.fixture(scope="module")
def programme() -> Programme:
    return load_programme(ROOT / "programme" / "programme.yaml")


def at(days: int) -> datetime:
    """Noon UTC, ``days`` after the purchase."""
    return datetime.combine(PURCHASED + timedelta(days=days), datetime.min.time(), UTC).replace(
        hour=12
    )


def record(
    certificate: str = "lung-certificate", area: str = "lung", **changes: object
) -> CandidateRecord:
    base = CandidateRecord(
        id="C-1",
        name="Dr One",
        applications=(Application(certificate, PURCHASED),),
        prerequisites=("fundamentals-certificate",),
        attestation=Attestation(PURCHASED, {area: AttestedArea(30, date(2024, 6, 1))}),
        folder=Path("C-1"),
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def result(
    days: int, passed: bool = True, case: str = "lung-pneumothorax", version: str = "1.0.0"
) -> ResultFact:
    return ResultFact(
        Path(f"r{days}.json"), case, version, "lung", passed, at(days), 80.0 if passed else 20.0
    )


def evaluations(*days: int) -> list[EvaluationFact]:
    return [EvaluationFact(Path(f"e{i}.json"), f"E-{i}", at(d)) for i, d in enumerate(days)]


def complete(area: str = "lung", case: str = "lung-pneumothorax", days: int = 10) -> Components:
    return Components(
        results=[result(days, case=case)],
        evaluations={area: evaluations(days, days + 1)},
    )


def one(
    programme: Programme, rec: CandidateRecord, components: Components, today: date = TODAY
) -> Decision:
    (decision,) = decide(programme, rec, components, today)
    return decision


def test_everything_in_place_is_certified(programme: Programme) -> None:
    decision = one(programme, record(), complete())
    assert decision.certified, decision.reasons
    assert decision.days_left == 90 - 31


@pytest.mark.parametrize(("days", "certified"), [(90, True), (91, False)])
def test_the_result_must_be_finished_within_the_window(
    programme: Programme, days: int, certified: bool
) -> None:
    components = complete()
    components.results = [result(days)]
    decision = one(programme, record(), components, today=PURCHASED + timedelta(days=100))
    assert decision.certified is certified
    if not certified:
        assert decision.reasons == [
            "result r91.json: completed 91 days after purchase, 1 days past the 90-day window"
        ]


def test_a_result_before_the_purchase_does_not_count(programme: Programme) -> None:
    components = complete()
    components.results = [result(-3)]
    decision = one(programme, record(), components)
    assert "finished 3 days before the purchase on 2026-01-01" in decision.reasons[0]


def test_only_the_listed_cases_and_versions_count(programme: Programme) -> None:
    for wrong in (result(10, case="dvt"), result(10, version="2.0.0")):
        components = complete()
        components.results = [wrong]
        reasons = one(programme, record(), components).reasons
        assert reasons == ["assessment for lung: no result that counts (cases: lung-pneumothorax)"]


@pytest.mark.parametrize(("after", "counts"), [(29, False), (30, True)])
def test_a_retake_counts_only_after_the_reapply_wait(
    programme: Programme, after: int, counts: bool
) -> None:
    components = complete()
    components.results = [result(5, passed=False), result(5 + after)]
    decision = one(programme, record(), components, today=PURCHASED + timedelta(days=80))
    assert decision.certified is counts
    if not counts:
        assert decision.reasons[0] == (
            "result r34.json: taken 29 days after the unsuccessful result of 2026-01-06, "
            "inside the 30-day reapply wait"
        )


@pytest.mark.parametrize(
    ("today", "line"),
    [
        (
            date(2026, 1, 24),
            "reapply wait: last unsuccessful result 2026-01-06, 12 days left of 30",
        ),
        (date(2026, 2, 5), "reapply wait: over since 2026-02-05; the case may be retaken"),
    ],
)
def test_a_fail_says_how_long_until_the_candidate_may_reapply(
    programme: Programme, today: date, line: str
) -> None:
    components = complete()
    components.results = [result(5, passed=False)]
    decision = one(programme, record(), components, today=today)
    assert decision.reasons == [
        "assessment for lung: lung-pneumothorax 1.0.0 not passed (20.0 %) on 2026-01-06",
        line,
    ]


@pytest.mark.parametrize("counted", [0, 1])
def test_two_peer_evaluations_per_area_are_needed(programme: Programme, counted: int) -> None:
    components = complete()
    components.evaluations["lung"] = evaluations(*[3] * counted)
    decision = one(programme, record(), components)
    assert decision.reasons == [f"peer evaluation for lung: {counted} of 2 valid"]
    assert decision.missing == [f"peer lung {counted}/2"]


def test_a_peer_evaluation_past_the_window_does_not_count(programme: Programme) -> None:
    components = complete()
    components.evaluations["lung"] = evaluations(3, 95)
    reasons = one(programme, record(), components, today=date(2026, 5, 1)).reasons
    assert reasons == [
        "peer evaluation for lung by E-1: completed 95 days after purchase, 5 days past the "
        "90-day window",
        "peer evaluation for lung: 1 of 2 valid",
    ]


@pytest.mark.parametrize(("cases", "short"), [(19, 1), (20, 0)])
def test_the_attested_cases_must_reach_the_area_count(
    programme: Programme, cases: int, short: int
) -> None:
    attestation = Attestation(PURCHASED, {"lung": AttestedArea(cases, date(2024, 6, 1))})
    decision = one(programme, record(attestation=attestation), complete())
    assert decision.reasons == (
        [f"attestation for lung: {cases} cases attested, {short} short of 20"] if short else []
    )


@pytest.mark.parametrize(
    ("earliest", "ok"), [(date(2024, 1, 1), True), (date(2023, 12, 31), False)]
)
def test_attested_cases_must_lie_within_two_years(
    programme: Programme, earliest: date, ok: bool
) -> None:
    attestation = Attestation(PURCHASED, {"lung": AttestedArea(25, earliest)})
    decision = one(programme, record(attestation=attestation), complete())
    assert decision.certified is ok
    if not ok:
        assert decision.reasons == [
            "attestation for lung: earliest case 2023-12-31 is more than 2 years before the "
            "attestation of 2026-01-01 (by 1 days)"
        ]


def test_the_attestation_must_name_each_area(programme: Programme) -> None:
    rec = record(attestation=Attestation(PURCHASED, {"cardiac": AttestedArea(40, PURCHASED)}))
    assert one(programme, rec, complete()).reasons == [
        "attestation for lung: not attested (20 cases needed)"
    ]
    assert one(programme, record(attestation=None), complete()).reasons == [
        "attestation: none in the record"
    ]


def test_the_prerequisite_must_be_held(programme: Programme) -> None:
    decision = one(programme, record(prerequisites=("first-aid",)), complete())
    assert decision.reasons == [
        "prerequisite: POCUS fundamentals certificate not held (the record names none of "
        "fundamentals-certificate, emergency-medicine-ultrasound-fellowship)"
    ]
    equivalent = record(prerequisites=("emergency-medicine-ultrasound-fellowship",))
    assert one(programme, equivalent, complete()).certified


def submission(
    days: int, name: str, roles: tuple[str, ...] = ("normal", "pathology", "measurement")
) -> SubmissionFact:
    return SubmissionFact(Path(name), "aaa", at(days), name * 8, frozenset(roles))


def review(sub: SubmissionFact, days: int, passes: bool) -> ReviewFact:
    verdict = "Pass" if passes else "Comments for re-submission"
    return ReviewFact(
        Path(f"rv{days}"),
        sub.sha256,
        "R-1",
        verdict,
        passes,
        at(days),
        "" if passes else "Longer clip",
    )


def specialty(*pairs: tuple[SubmissionFact, list[ReviewFact]]) -> Components:
    components = complete("aaa", "aaa")
    components.submissions = [s for s, _ in pairs]
    components.reviews = [r for _, reviews in pairs for r in reviews]
    return components


def test_a_specialty_needs_a_submission_passed_by_a_reviewer(programme: Programme) -> None:
    rec = record("aaa-specialty", "aaa")
    assert one(programme, rec, specialty()).reasons == [
        "video submission for aaa: none (a normal and a pathology video)"
    ]
    first = submission(20, "s1")
    assert one(programme, rec, specialty((first, []))).missing == ["videos aaa unreviewed"]
    assert one(programme, rec, specialty((first, [review(first, 25, True)]))).certified


def test_a_submission_sent_back_needs_a_newer_passing_one(programme: Programme) -> None:
    rec = record("aaa-specialty", "aaa")
    old, new = submission(20, "s1"), submission(40, "s2")
    sent_back = (old, [review(old, 25, False)])
    decision = one(programme, rec, specialty(sent_back))
    assert decision.reasons == [
        "video submission for aaa (s1, checked 2026-01-21): reviewed 'Comments for "
        "re-submission' by R-1 on 2026-01-26: a newer submission passed by a reviewer is "
        "needed (comments: Longer clip)"
    ]
    # A pass given later to the submission sent back does not replace a newer one...
    overruled = (old, [review(old, 25, False), review(old, 30, True)])
    assert one(programme, rec, specialty(overruled)).missing == ["videos aaa resubmit"]
    # ...the newer submission, passed, does.
    assert one(programme, rec, specialty(sent_back, (new, [review(new, 45, True)]))).certified
    pending = one(programme, rec, specialty(sent_back, (new, [])))
    assert pending.reasons[0].endswith("needed; a newer one awaits review (comments: Longer clip)")


def test_an_older_pass_does_not_outweigh_a_newer_submission_sent_back(programme: Programme) -> None:
    rec = record("aaa-specialty", "aaa")
    old, new = submission(20, "s1"), submission(40, "s2")
    decision = one(
        programme, rec, specialty((old, [review(old, 25, True)]), (new, [review(new, 45, False)]))
    )
    assert decision.missing == ["videos aaa resubmit"]


def test_a_specialty_submission_must_have_the_still_its_area_needs(programme: Programme) -> None:
    rec = record("aaa-specialty", "aaa")
    videos_only = submission(20, "s1", ("normal", "pathology"))
    decision = one(programme, rec, specialty((videos_only, [review(videos_only, 25, True)])))
    assert decision.missing == ["videos aaa no still"]


def test_a_submission_checked_past_the_window_is_late(programme: Programme) -> None:
    rec = record("aaa-specialty", "aaa")
    late = submission(181, "s1")
    decision = one(programme, rec, specialty((late, [review(late, 182, True)])), date(2026, 8, 1))
    assert decision.missing == ["videos aaa late"]
    assert "1 days past the 180-day window" in decision.reasons[0]


def test_a_certificate_the_programme_does_not_offer_gets_no_decision(programme: Programme) -> None:
    assert decide(programme, record("no-such-certificate"), complete(), TODAY) == []
