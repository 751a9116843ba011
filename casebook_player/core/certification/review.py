"""A reviewer's verdict on one video submission, as a signed document (``casebook-review``).

The review names the submission by the sha256 of its signed manifest's exact bytes, so it
stands for those files and no others (the manifest holds each file's sha256), and gives one
of the programme's verdicts (schemas/review.schema.json). Whether the verdict passes is the
programme's to say: `certify` reads it from the programme definition, not from the review.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from casebook_player import __version__
from casebook_player.core.case.schema import validator
from casebook_player.core.certification.programme import Programme, Verdict
from casebook_player.core.crypto.signing import (
    REVIEW_TYPE,
    SignatureError,
    sign_document,
    verify_with_keys,
)
from casebook_player.core.files import write_text_atomically
from casebook_player.core.submissions.manifest import SIGNED_NAME
from casebook_player.core.timestamps import iso

REVIEW_FORMAT = "casebook-review/1"
MAX_COMMENTS = 4000


class ReviewError(Exception):
    """A review cannot be written or counted; the message says why."""


@dataclass(frozen=True)
class Review:
    path: Path
    document: dict[str, Any]

    @property
    def manifest_sha256(self) -> str:
        return str(self.document["submission"]["manifest_sha256"])

    @property
    def reviewer(self) -> str:
        return str(self.document["reviewer"]["id"])


def manifest_sha256(submission: Path) -> str:
    """The sha256 of the signed manifest of the submission folder, as a review names it."""
    try:
        return hashlib.sha256((submission / SIGNED_NAME).read_bytes()).hexdigest()
    except OSError as exc:
        raise ReviewError(f"cannot read {submission / SIGNED_NAME}: {exc.strerror}") from None


def review_document(
    programme: Programme,
    manifest: dict[str, Any],
    sha256: str,
    candidate: str,
    reviewer: str,
    verdict: Verdict,
    comments: str,
    reviewed_at: float,
) -> dict[str, Any]:
    """The review of the submission whose verified manifest is ``manifest``."""
    if not reviewer.strip():
        raise ReviewError("the reviewer's id is empty")
    if reviewer == candidate:
        raise ReviewError("the reviewer is the candidate: a submission cannot be self-reviewed")
    if len(comments) > MAX_COMMENTS:
        raise ReviewError(f"comments: {len(comments)} characters; at most {MAX_COMMENTS}")
    if not verdict.passes and not comments.strip():
        raise ReviewError(f"'{verdict.label}' needs comments saying what to change")
    return {
        "format": REVIEW_FORMAT,
        "programme": programme.id,
        "candidate": candidate,
        "area": manifest["area"],
        "submission": {"manifest_sha256": sha256, "checked_at": manifest["checked_at"]},
        "reviewer": {"id": reviewer},
        "verdict": verdict.id,
        "label": verdict.label,
        "passes": verdict.passes,
        "comments": comments,
        "reviewed_at": iso(reviewed_at),
        "player": {"name": "casebook_player", "version": __version__},
    }


def write_review(path: Path, document: dict[str, Any], key: Ed25519PrivateKey) -> None:
    write_text_atomically(path, sign_document(document, key, typ=REVIEW_TYPE))


def review_file_name(document: dict[str, Any]) -> str:
    """``review--<area>--<reviewer>--<time>.signed.json``, safe on every system."""
    stamp = "".join(ch for ch in document["reviewed_at"] if ch.isdigit() or ch == "T")[:15]
    parts = [document["area"], document["reviewer"]["id"], stamp]
    safe = ["".join(ch if ch.isalnum() or ch in "_.-" else "_" for ch in p) for p in parts]
    return "review--" + "--".join(safe) + ".signed.json"


def read_review(path: Path, keys: Sequence[Ed25519PublicKey]) -> Review:
    """A signed, well-formed review; ReviewError saying why not."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ReviewError(f"cannot read: {exc.strerror}") from None
    try:
        document = verify_with_keys(data, keys, REVIEW_TYPE)
    except SignatureError as exc:
        raise ReviewError(str(exc)) from None
    errors = sorted(validator("review").iter_errors(document), key=lambda e: e.json_path)
    if errors:
        where = errors[0].json_path.removeprefix("$.").removeprefix("$") or "(review)"
        raise ReviewError(f"not a well-formed review: {where}: {errors[0].message}")
    if document["reviewer"]["id"] == document["candidate"]:
        raise ReviewError("the reviewer is the candidate: a self-review does not count")
    return Review(path, document)
