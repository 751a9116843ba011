"""Read a candidate's record and verify every signed component against the trusted keys.

What verifies becomes a fact for `rules`; everything else is listed with the reason it does
not count (altered or signed by an untrusted key, not this candidate's, not well-formed).
Peer evaluations go through core.peer.summary, which decides the first two valid per area.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from casebook_player.core.case.schema import validator
from casebook_player.core.certification.programme import Programme
from casebook_player.core.certification.record import (
    EVALUATIONS,
    RESULTS,
    REVIEWS,
    CandidateRecord,
)
from casebook_player.core.certification.review import (
    Review,
    ReviewError,
    manifest_sha256,
    read_review,
)
from casebook_player.core.certification.rules import (
    Components,
    EvaluationFact,
    ResultFact,
    ReviewFact,
    SubmissionFact,
)
from casebook_player.core.crypto.signing import RESULT_TYPE, SignatureError, verify_with_keys
from casebook_player.core.peer.summary import summarise
from casebook_player.core.submissions.manifest import verify_submission


def read_components(
    programme: Programme, record: CandidateRecord, keys: Sequence[Ed25519PublicKey]
) -> Components:
    components = Components()
    _read_results(record, keys, components)
    _read_evaluations(record, keys, components)
    _read_submissions(record, keys, components)
    _read_reviews(programme, record, keys, components)
    return components


def when(timestamp: str) -> datetime:
    """An ISO 8601 time from a document, in UTC; ValueError when it is none."""
    moment = datetime.fromisoformat(timestamp.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        raise ValueError(f"{timestamp!r} has no time zone")
    return moment.astimezone(UTC)


def _name(record: CandidateRecord, path: Path) -> str:
    try:
        return str(path.relative_to(record.folder))
    except ValueError:
        return str(path)


def _read_results(
    record: CandidateRecord, keys: Sequence[Ed25519PublicKey], components: Components
) -> None:
    for path in record.files(RESULTS):
        try:
            document = verify_with_keys(path.read_bytes(), keys, RESULT_TYPE)
            fact = _result_fact(path, document, record.id)
        except OSError as exc:
            components.invalid.append(f"{_name(record, path)}: cannot read: {exc.strerror}")
        except (SignatureError, ValueError) as exc:
            components.invalid.append(f"{_name(record, path)}: {exc}")
        else:
            components.results.append(fact)


def _result_fact(path: Path, document: dict[str, Any], candidate: str) -> ResultFact:
    errors = sorted(validator("result").iter_errors(document), key=lambda e: e.json_path)
    if errors:
        raise ValueError(f"not a well-formed result: {errors[0].message}")
    if document["candidate"]["id"] != candidate:
        raise ValueError(f"the result of candidate {document['candidate']['id']!r}, not this one")
    if document["ended_at"] is None:
        raise ValueError("the attempt has no end time")
    case = document["case"]
    return ResultFact(
        path,
        case["id"],
        case["version"],
        case["clinical_area"],
        bool(document["passed"]),
        when(document["ended_at"]),
        float(document["percent"]),
    )


def _read_evaluations(
    record: CandidateRecord, keys: Sequence[Ed25519PublicKey], components: Components
) -> None:
    summary = summarise(record.files(EVALUATIONS), keys)
    for invalid in summary.invalid:
        components.invalid.append(f"{_name(record, invalid.path)}: {invalid.reason}")
    for area in summary.areas:
        if area.candidate != record.id:
            for evaluation in [*area.counted, *(i.evaluation for i in area.ignored)]:
                components.invalid.append(
                    f"{_name(record, evaluation.path)}: an evaluation of candidate "
                    f"{area.candidate!r}, not this one"
                )
            continue
        components.evaluations[area.area] = [
            EvaluationFact(e.path, e.evaluator, when(e.ended_at)) for e in area.counted
        ]
        for ignored in area.ignored:
            components.invalid.append(ignored.reason)


def _read_submissions(
    record: CandidateRecord, keys: Sequence[Ed25519PublicKey], components: Components
) -> None:
    for folder in record.submission_folders():
        name = _name(record, folder)
        verification = verify_submission(folder, keys)
        document = verification.document
        if document is None or not verification.ok:
            components.invalid.append(f"{name}: " + "; ".join(verification.problems))
            continue
        if document["candidate"] not in (None, record.id):
            components.invalid.append(
                f"{name}: the submission of candidate {document['candidate']!r}, not this one"
            )
            continue
        try:
            checked = when(document["checked_at"])
        except ValueError as exc:
            components.invalid.append(f"{name}: {exc}")
            continue
        components.submissions.append(
            SubmissionFact(
                folder,
                document["area"],
                checked,
                manifest_sha256(folder),
                frozenset(f["role"] for f in document["files"]),
            )
        )


def _read_reviews(
    programme: Programme,
    record: CandidateRecord,
    keys: Sequence[Ed25519PublicKey],
    components: Components,
) -> None:
    known = {s.sha256 for s in components.submissions}
    for path in record.files(REVIEWS):
        name = _name(record, path)
        try:
            review = read_review(path, keys)
            document = review.document
            problem = _review_problem(programme, record.id, review, known)
            if problem is not None:
                raise ReviewError(problem)
            verdict = programme.verdict(document["verdict"])
            assert verdict is not None  # _review_problem says when there is none
            reviewed = when(document["reviewed_at"])
        except (ReviewError, ValueError) as exc:
            components.invalid.append(f"{name}: {exc}")
            continue
        components.reviews.append(
            ReviewFact(
                path,
                review.manifest_sha256,
                review.reviewer,
                verdict.label,
                verdict.passes,
                reviewed,
                document["comments"],
            )
        )


def _review_problem(
    programme: Programme, candidate: str, review: Review, known: set[str]
) -> str | None:
    document = review.document
    if document["candidate"] != candidate:
        return f"a review of candidate {document['candidate']!r}, not this one"
    if document["programme"] != programme.id:
        return f"a review for programme {document['programme']!r}, not {programme.id!r}"
    if programme.verdict(document["verdict"]) is None:
        return f"verdict {document['verdict']!r} is not one of the programme's"
    if review.manifest_sha256 not in known:
        return "it reviews no valid submission in this record"
    return None
