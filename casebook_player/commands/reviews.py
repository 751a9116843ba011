"""``casebook review-submission``: a reviewer's signed verdict on a video submission.

The submission's manifest is verified first (signature and every file's sha256) against the
trusted keys; the review then names it by the sha256 of the manifest and gives one of the
programme's verdicts, given with ``--verdict`` or chosen in a small window (as
``casebook evaluate`` does without ``--responses``). Written into the candidate's record
(``reviews/``) when the submission sits in one, else to ``--out``.
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
from casebook_player.core.certification.programme import Verdict
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
        "--verdict",
        metavar="VERDICT",
        help="one of the programme's verdict ids (without it: choose in a window)",
    )
    review.add_argument("--comments", default="", help="what to change (needed to send back)")
    review.add_argument("--candidate", metavar="ID", help="when the manifest names no candidate")
    review.add_argument("--sign", type=Path, required=True, metavar="PRIVATE_KEY")
    review.add_argument("--out", type=Path, metavar="FILE", help="write the review here")
    review.add_argument("--high-contrast", action="store_true", help="high-contrast window")
    add_at_argument(review)
    review.set_defaults(func=run_review)


def run_review(args: argparse.Namespace) -> int:
    if not args.submission.is_dir():
        raise UsageError(f"no such folder: {args.submission}")
    programme = programme_argument(args.programme)
    verdict = None if args.verdict is None else programme.verdict(args.verdict)
    if args.verdict is not None and verdict is None:
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
    out = args.out or _record_reviews(args.submission)
    area = one_line(str(manifest["area"]))

    def save(chosen: Verdict, comments: str) -> Path:
        try:
            document = review_document(
                programme,
                manifest,
                manifest_sha256(args.submission),
                candidate,
                args.reviewer,
                chosen,
                comments,
                time.time() if at is None else at,
            )
        except ReviewError as exc:
            raise Failed(str(exc)) from None
        path = _free_name(out / review_file_name(document)) if args.out is None else out
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_review(path, document, key)
        except OSError as exc:
            raise Failed(f"cannot write {path}: {exc.strerror}") from None
        print(f"review of {one_line(candidate)}'s {area} submission: {one_line(chosen.label)}")
        print(f"signed: {path}", flush=True)
        return path

    if verdict is not None:
        save(verdict, args.comments)
        return EXIT_OK
    from casebook_player.ui.submission_review import run_review_window

    def save_in_window(chosen: Verdict, comments: str) -> Path | str:
        try:
            return save(chosen, comments)
        except Failed as exc:
            return str(exc)

    summary = [
        f"Candidate: {one_line(candidate)}",
        f"Clinical area: {area}",
        f"Reviewer: {one_line(args.reviewer)}",
        "Files: " + ", ".join(one_line(str(f["name"])) for f in manifest.get("files", [])),
        "The submission's signature and every file's checksum are verified.",
    ]
    return run_review_window(summary, programme.verdicts, save_in_window, args.high_contrast)


def _free_name(path: Path) -> Path:
    """``path``, or with -2, -3 … before its suffixes: a review is never written over another
    (two in one second by one reviewer on one area share a name)."""
    stem, suffix = path.name.removesuffix(".signed.json"), ".signed.json"
    number = 1
    while path.exists():
        number += 1
        path = path.with_name(f"{stem}-{number}{suffix}")
    return path


def _record_reviews(submission: Path) -> Path:
    """``RECORD/reviews`` for a submission at ``RECORD/submissions/NAME``; else --out."""
    parent = submission.resolve().parent
    if parent.name == SUBMISSIONS and is_record(parent.parent):
        return parent.parent / REVIEWS
    raise UsageError("the submission is not in a candidate's record: give --out FILE")
