"""Certification decisions: pure functions over verified components, dates and "today".

Nothing here reads a file or a clock: `components` verifies a record's signed files into
the facts below, and every rule is a function of those facts, the programme and ``today``,
so each rule is tested with dates chosen to sit on either side of its limit. Every reason
a certificate is not granted is kept, with the days it is off by (docs/certification.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from casebook_player.core.certification.programme import Area, Certificate, Programme
from casebook_player.core.certification.record import Attestation, CandidateRecord

PEER_EVALUATIONS_NEEDED = 2  # the programme's rule; core.peer.summary counts the first two


@dataclass(frozen=True)
class ResultFact:
    path: Path
    case: str
    version: str
    area: str
    passed: bool
    ended: datetime
    percent: float


@dataclass(frozen=True)
class EvaluationFact:
    path: Path
    evaluator: str
    submitted: datetime


@dataclass(frozen=True)
class SubmissionFact:
    folder: Path
    area: str
    checked: datetime
    sha256: str
    roles: frozenset[str]


@dataclass(frozen=True)
class ReviewFact:
    path: Path
    sha256: str
    reviewer: str
    verdict: str  # the programme's label
    passes: bool
    reviewed: datetime
    comments: str


@dataclass
class Components:
    """What a record holds, verified: only these facts count."""

    results: list[ResultFact] = field(default_factory=list)
    evaluations: dict[str, list[EvaluationFact]] = field(default_factory=dict)  # counted, by area
    submissions: list[SubmissionFact] = field(default_factory=list)
    reviews: list[ReviewFact] = field(default_factory=list)
    invalid: list[str] = field(default_factory=list)  # files that do not count, and why


@dataclass
class Decision:
    candidate: str
    name: str
    certificate: Certificate
    purchased: date
    today: date
    reasons: list[str] = field(default_factory=list)  # why it is not granted
    counted: list[str] = field(default_factory=list)  # what counted towards it
    missing: list[str] = field(default_factory=list)  # short forms of the reasons, for a table

    @property
    def certified(self) -> bool:
        return not self.reasons

    @property
    def deadline(self) -> date:
        return self.purchased + timedelta(days=self.certificate.window_days)

    @property
    def days_left(self) -> int:
        return (self.deadline - self.today).days

    def fail(self, reason: str, short: str) -> None:
        self.reasons.append(reason)
        self.missing.append(short)


def decide(
    programme: Programme,
    record: CandidateRecord,
    components: Components,
    today: date,
) -> list[Decision]:
    """One decision per certificate the candidate applied for."""
    decisions = []
    for application in record.applications:
        certificate = programme.certificate(application.certificate)
        if certificate is None:
            continue  # reported by `unknown_certificates`
        decision = Decision(record.id, record.name, certificate, application.purchased, today)
        check_prerequisite(programme, record, decision)
        check_attestation(programme, record.attestation, decision)
        for area_id in certificate.areas:
            area = programme.areas[area_id]
            check_assessment(programme, area, components.results, decision)
            check_peer(area, components.evaluations.get(area_id, []), decision)
            if certificate.needs_submissions:
                check_submission(area, components.submissions, components.reviews, decision)
        decisions.append(decision)
    return decisions


def unknown_certificates(programme: Programme, record: CandidateRecord) -> list[str]:
    return [
        a.certificate for a in record.applications if programme.certificate(a.certificate) is None
    ]


def check_prerequisite(programme: Programme, record: CandidateRecord, decision: Decision) -> None:
    wanted = decision.certificate.prerequisite
    if wanted is None:
        return
    prerequisite = programme.prerequisites[wanted]
    held = [p for p in record.prerequisites if p in prerequisite.accepted]
    if held:
        decision.counted.append(f"prerequisite {prerequisite.name}: {held[0]}")
    else:
        decision.fail(
            f"prerequisite: {prerequisite.name} not held (the record names none of "
            f"{', '.join(prerequisite.accepted)})",
            "prerequisite",
        )


def years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February, in a year without one
        return day.replace(year=day.year - years, day=28)


def check_attestation(
    programme: Programme, attestation: Attestation | None, decision: Decision
) -> None:
    if attestation is None:
        decision.fail("attestation: none in the record", "attestation")
        return
    years = programme.attestation_years
    oldest_allowed = years_before(attestation.date, years)
    for area_id in decision.certificate.areas:
        area = programme.areas[area_id]
        attested = attestation.areas.get(area_id)
        if attested is None:
            decision.fail(
                f"attestation for {area_id}: not attested ({area.cases_required} cases needed)",
                f"attestation {area_id}",
            )
            continue
        if attested.cases < area.cases_required:
            short = area.cases_required - attested.cases
            decision.fail(
                f"attestation for {area_id}: {attested.cases} cases attested, {short} short "
                f"of {area.cases_required}",
                f"attestation {area_id} {attested.cases}/{area.cases_required}",
            )
        if attested.earliest < oldest_allowed:
            by = (oldest_allowed - attested.earliest).days
            decision.fail(
                f"attestation for {area_id}: earliest case {attested.earliest} is more than "
                f"{years} years before the attestation of {attestation.date} (by {by} days)",
                f"attestation {area_id} too old",
            )
        elif attested.cases >= area.cases_required:
            decision.counted.append(
                f"attestation for {area_id}: {attested.cases} cases since {attested.earliest}"
            )


def window_problem(when: datetime, decision: Decision) -> str | None:
    """Why a component finished at ``when`` is outside the certificate's window, or None."""
    days = (when.date() - decision.purchased).days
    window = decision.certificate.window_days
    if days < 0:
        return f"finished {-days} days before the purchase on {decision.purchased}"
    if days > window:
        return (
            f"completed {days} days after purchase, {days - window} days past the "
            f"{window}-day window"
        )
    return None


def counted_results(
    programme: Programme, area: Area, results: Sequence[ResultFact]
) -> tuple[list[ResultFact], list[str]]:
    """The area's results that count, oldest first, and why the others do not: a result
    taken within the reapply wait after an unsuccessful one does not count."""
    wait = programme.reapply_wait_days
    counted: list[ResultFact] = []
    ignored: list[str] = []
    last_fail: ResultFact | None = None
    for result in sorted(results, key=lambda r: r.ended):
        if not area.counts(result.case, result.version):
            continue
        if last_fail is not None:
            after = (result.ended.date() - last_fail.ended.date()).days
            if after < wait:
                ignored.append(
                    f"result {result.path.name}: taken {after} days after the unsuccessful "
                    f"result of {last_fail.ended.date()}, inside the {wait}-day reapply wait"
                )
                continue
        counted.append(result)
        if not result.passed:
            last_fail = result
    return counted, ignored


def check_assessment(
    programme: Programme, area: Area, results: Sequence[ResultFact], decision: Decision
) -> None:
    counted, ignored = counted_results(programme, area, results)
    passed = [r for r in counted if r.passed and window_problem(r.ended, decision) is None]
    if passed:
        result = passed[-1]
        decision.counted.append(
            f"assessment for {area.id}: {result.case} {result.version} passed "
            f"({result.percent:.1f} %) on {result.ended.date()}"
        )
        return
    decision.reasons.extend(ignored)
    if not counted:
        cases = ", ".join(c.case for c in area.assessment)
        decision.fail(
            f"assessment for {area.id}: no result that counts (cases: {cases})",
            f"assessment {area.id}",
        )
        return
    for result in counted:
        if result.passed:
            decision.fail(
                f"result {result.path.name}: {window_problem(result.ended, decision)}",
                f"assessment {area.id} late",
            )
    last = counted[-1]
    if not last.passed:
        decision.fail(
            f"assessment for {area.id}: {last.case} {last.version} not passed "
            f"({last.percent:.1f} %) on {last.ended.date()}",
            f"assessment {area.id} failed",
        )
        decision.reasons.append(reapply_line(programme, last.ended.date(), decision.today))


def reapply_line(programme: Programme, failed_on: date, today: date) -> str:
    wait = programme.reapply_wait_days
    left = (failed_on + timedelta(days=wait) - today).days
    if left > 0:
        return f"reapply wait: last unsuccessful result {failed_on}, {left} days left of {wait}"
    return f"reapply wait: over since {failed_on + timedelta(days=wait)}; the case may be retaken"


def check_peer(area: Area, counted: Sequence[EvaluationFact], decision: Decision) -> None:
    inside = 0
    for evaluation in counted:
        problem = window_problem(evaluation.submitted, decision)
        if problem is None:
            inside += 1
            decision.counted.append(
                f"peer evaluation for {area.id} by {evaluation.evaluator} on "
                f"{evaluation.submitted.date()}"
            )
        else:
            decision.reasons.append(
                f"peer evaluation for {area.id} by {evaluation.evaluator}: {problem}"
            )
    if inside < PEER_EVALUATIONS_NEEDED:
        decision.fail(
            f"peer evaluation for {area.id}: {inside} of {PEER_EVALUATIONS_NEEDED} valid",
            f"peer {area.id} {inside}/{PEER_EVALUATIONS_NEEDED}",
        )


def check_submission(
    area: Area,
    submissions: Sequence[SubmissionFact],
    reviews: Sequence[ReviewFact],
    decision: Decision,
) -> None:
    """The newest reviewed submission of the area decides: one sent back with comments
    (even if passed by a later review) needs a newer submission that a reviewer passes."""
    mine = sorted((s for s in submissions if s.area == area.id), key=lambda s: s.checked)
    by_sha: dict[str, list[ReviewFact]] = {}
    for review in sorted(reviews, key=lambda r: r.reviewed):
        by_sha.setdefault(review.sha256, []).append(review)
    reviewed = [s for s in mine if s.sha256 in by_sha]
    what = f"video submission for {area.id}"
    if not mine:
        decision.fail(f"{what}: none (a normal and a pathology video)", f"videos {area.id}")
        return
    if not reviewed:
        decision.fail(
            f"{what} checked {mine[-1].checked.date()}: not reviewed yet",
            f"videos {area.id} unreviewed",
        )
        return
    newest = reviewed[-1]
    # Once sent back, a submission stays sent back: only a newer one can pass.
    sent_back = [r for r in by_sha[newest.sha256] if not r.passes]
    verdict = sent_back[0] if sent_back else by_sha[newest.sha256][-1]
    where = f"{what} ({newest.folder.name}, checked {newest.checked.date()})"
    pending = [s for s in mine if s.checked > newest.checked and s.sha256 not in by_sha]
    if not verdict.passes:
        waiting = "; a newer one awaits review" if pending else ""
        comments = " ".join(verdict.comments.split())
        decision.fail(
            f"{where}: reviewed '{verdict.verdict}' by {verdict.reviewer} on "
            f"{verdict.reviewed.date()}: a newer submission passed by a reviewer is "
            f"needed{waiting}" + (f" (comments: {comments})" if comments else ""),
            f"videos {area.id} resubmit",
        )
        return
    problem = window_problem(newest.checked, decision)
    if problem is not None:
        decision.fail(f"{where}: {problem}", f"videos {area.id} late")
    elif area.measurement_still and "measurement" not in newest.roles:
        decision.fail(
            f"{where}: no still image with a measurement, which {area.name} needs",
            f"videos {area.id} no still",
        )
    else:
        decision.counted.append(
            f"{where}: passed by {verdict.reviewer} on {verdict.reviewed.date()}"
        )
