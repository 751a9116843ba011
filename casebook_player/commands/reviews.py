"""``casebook review-submission``: a reviewer's signed verdict on a video submission.

The submission's manifest is verified first (signature and every file's sha256) against the
trusted keys; the review then names it by the sha256 of the manifest and gives one of the
programme's verdicts. Written into the candidate's record (``reviews/``) when the submission
sits in one, else to ``--out``.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any

from casebook_player.commands import EXIT_OK, Failed, UsageError
from casebook_player.commands.certify import (
    add_programme_arguments,
    programme_argument,
    trusted_keys,
)
from casebook_player.commands.keys import load_signing_key
from casebook_player.commands.wallclock import add_at_argument, at_argument
from casebook_player.core.certification.record import REVIEWS, SUBMISSIONS, is_record
from casebook_player.core.certification.review import (
    ReviewError,
    manifest_sha256,
    review_document,
    review_file_name,
    write_review,
)
from casebook_player.core.printable import one_line
from casebook_player.core.submissions.manifest import verify_submission


def add_parsers(verbs: Any) -> None:
    review = verbs.add_parser(
        "review-submission", help="give a signed verdict on a candidate's video submission"
    )
    review.add_argument("submission", type=Path, metavar="SUBMISSION_DIR")
    add_programme_arguments(review)
    review.add_argument("--reviewer", required=True, metavar="ID", help="who reviews")
    review.add_argument(
        "--verdict", required=True, metavar="VERDICT", help="one of the programme's verdict ids"
    )
    review.add_argument("--comments", default="", help="what to change (needed to send back)")
    review.add_argument("--candidate", metavar="ID", help="when the manifest names no candidate")
    review.add_argument("--sign", type=Path, required=True, metavar="PRIVATE_KEY")
    review.add_argument("--out", type=Path, metavar="FILE", help="write the review here")
    add_at_argument(review)
    review.set_defaults(func=run_review)


def run_review(args: argparse.Namespace) -> int:
    if not args.submission.is_dir():
        raise UsageError(f"no such folder: {args.submission}")
    programme = programme_argument(args.programme)
    verdict = programme.verdict(args.verdict)
    if verdict is None:
        known = ", ".join(v.id for v in programme.verdicts)
        raise UsageError(f"--verdict {args.verdict!r} is not one of the programme's: {known}")
    at = at_argument(args.at)
    verification = verify_submission(args.submission, trusted_keys(args.keys))
    manifest = verification.document
    if manifest is None or not verification.ok:
        raise Failed("the submission does not verify:", verification.problems)
    candidate = manifest["candidate"] or args.candidate
    if not candidate:
        raise UsageError("the manifest names no candidate: give --candidate ID")
    if args.candidate and args.candidate != candidate:
        raise UsageError(f"the manifest is candidate {candidate!r}'s, not {args.candidate!r}")
    key = load_signing_key(args.sign)
    try:
        document = review_document(
            programme,
            manifest,
            manifest_sha256(args.submission),
            candidate,
            args.reviewer,
            verdict,
            args.comments,
            time.time() if at is None else at,
        )
    except ReviewError as exc:
        raise Failed(str(exc)) from None
    out = args.out or _record_reviews(args.submission) / review_file_name(document)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        write_review(out, document, key)
    except OSError as exc:
        raise Failed(f"cannot write {out}: {exc.strerror}") from None
    area = one_line(str(manifest["area"]))
    print(f"review of {one_line(candidate)}'s {area} submission: {one_line(verdict.label)}")
    print(f"signed: {out}")
    return EXIT_OK


def _record_reviews(submission: Path) -> Path:
    """``RECORD/reviews`` for a submission at ``RECORD/submissions/NAME``; else --out."""
    parent = submission.resolve().parent
    if parent.name == SUBMISSIONS and is_record(parent.parent):
        return parent.parent / REVIEWS
    raise UsageError("the submission is not in a candidate's record: give --out FILE")
