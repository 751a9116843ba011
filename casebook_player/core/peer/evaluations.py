"""A peer evaluation: one evaluator's ratings of one candidate on a form, as a (signed) file.

The document (schemas/evaluation.schema.json) is written like a result file and signed the
same way, as a JWS of kind ``casebook-evaluation``. The headless path reads the ratings from a
YAML responses file; the window builds the same `Ratings` from its radio buttons.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from casebook_player import __version__
from casebook_player.core.case.problems import Problem, format_path, parse_yaml, read_limited
from casebook_player.core.case.schema import validator
from casebook_player.core.crypto.signing import (
    EVALUATION_TYPE,
    SignatureError,
    sign_document,
    verify_with_keys,
)
from casebook_player.core.files import write_text_atomically
from casebook_player.core.peer.forms import CRITERIA, NOT_APPLICABLE, FormError, PeerForm
from casebook_player.core.timestamps import iso

EVALUATION_FORMAT = "casebook-evaluation/1"

Rating = int | str  # a scale value, or NOT_APPLICABLE
Ratings = Mapping[str, Rating]

_NOT_APPLICABLE_SPELLINGS = {"n/a", "na", "not applicable", "not_applicable", "not-applicable"}

_RESPONSES = "(responses)"


class EvaluationError(Exception):
    """An evaluation file cannot be counted; the message says why."""


def rating_problems(form: PeerForm, ratings: Ratings, comments: str) -> list[str]:
    """What keeps these answers from being submitted (empty when they are complete)."""
    problems = []
    for criterion in form.criteria:
        value = ratings.get(criterion.id)
        if value is None:
            problems.append(f"{criterion.label}: not rated yet")
        elif value == NOT_APPLICABLE and not criterion.allows_not_applicable:
            problems.append(f"{criterion.label}: 'not applicable' is not allowed; give a rating")
        elif value != NOT_APPLICABLE and value not in form.values:
            problems.append(f"{criterion.label}: {value!r} is not on the scale {_scale(form)}")
    unknown = sorted(set(ratings) - {c.id for c in form.criteria})
    problems += [f"'{name}' is not a criterion of this form" for name in unknown]
    if form.comments_required and not comments.strip():
        problems.append(f"{form.comments_label}: required")
    if len(comments) > form.comments_max_length:
        problems.append(
            f"{form.comments_label}: {len(comments)} characters; at most {form.comments_max_length}"
        )
    return problems


def evaluation_document(
    form: PeerForm,
    candidate: str,
    evaluator: str,
    ratings: Ratings,
    comments: str,
    started_at: float,
    ended_at: float,
) -> dict[str, Any]:
    """The evaluation of a completed form; ValueError when the answers are not complete."""
    problems = rating_problems(form, ratings, comments)
    if problems:
        raise ValueError("; ".join(problems))
    return {
        "format": EVALUATION_FORMAT,
        "form": {
            "id": form.id,
            "title": form.title,
            "version": form.version,
            "clinical_area": form.clinical_area,
            "sha256": form.sha256,
        },
        "candidate": {"id": candidate},
        "evaluator": {"id": evaluator},
        "player": {"name": "casebook_player", "version": __version__},
        "started_at": iso(started_at),
        "ended_at": iso(ended_at),
        "scale": [{"value": p.value, "label": p.label} for p in form.scale],
        "ratings": [
            {"criterion": c.id, "label": c.label, "rating": ratings[c.id]} for c in form.criteria
        ],
        "comments": comments,
    }


def write_evaluation(
    path: Path, document: Mapping[str, Any], key: Ed25519PrivateKey | None
) -> None:
    """Write the evaluation file: a signed JWS when ``key`` is given, else plain JSON."""
    if key is not None:
        write_text_atomically(path, sign_document(document, key, typ=EVALUATION_TYPE))
    else:
        write_text_atomically(path, json.dumps(document, indent=2, ensure_ascii=False) + "\n")


def evaluation_file_name(document: Mapping[str, Any], signed: bool) -> str:
    """``<form>--<candidate>--<evaluator>--<end time>[.signed].json``, safe on every system."""
    parts = [
        document["form"]["id"],
        document["candidate"]["id"],
        document["evaluator"]["id"],
        "".join(ch for ch in document["ended_at"] if ch.isdigit() or ch == "T")[:15],
    ]
    safe = ["".join(ch if ch.isalnum() or ch in "_.-" else "_" for ch in p) for p in parts]
    return "--".join(safe) + (".signed.json" if signed else ".json")


def load_responses(form: PeerForm, path: Path) -> tuple[dict[str, Rating], str]:
    """Ratings and comments from a YAML file; FormError with each problem placed in it.

    The file maps ``ratings:`` criterion id → scale value or ``n/a``, plus ``comments:``.
    """
    file = Path(path)
    doc = parse_yaml(read_limited(file, _RESPONSES, FormError), file, _RESPONSES, FormError)

    problems: list[Problem] = []

    def report(where: tuple[str | int, ...], message: str) -> None:
        line, col = doc.position(where)
        problems.append(Problem(file, line, col, format_path(where), message))

    data = doc.data
    if not isinstance(data, dict):
        raise FormError([Problem(file, 1, 1, _RESPONSES, "expected ratings: and comments:")])
    for key in sorted(set(data) - {"ratings", "comments"}):
        line, col = doc.key_position((key,))
        problems.append(Problem(file, line, col, key, f"unknown field '{key}'"))
    given = data.get("ratings")
    if not isinstance(given, dict):
        report(("ratings",), "expected a mapping of criterion id to a rating or n/a")
        given = {}
    comments = data.get("comments") or ""
    if not isinstance(comments, str):
        report(("comments",), "expected text")
        comments = ""
    ratings: dict[str, Rating] = {}
    for name, value in given.items():
        where = ("ratings", name)
        if name not in CRITERIA:
            report(where, f"'{name}' is not a criterion (one of {', '.join(CRITERIA)})")
        elif isinstance(value, str) and value.strip().casefold() in _NOT_APPLICABLE_SPELLINGS:
            if form.criterion(name).allows_not_applicable:
                ratings[name] = NOT_APPLICABLE
            else:
                report(where, "'not applicable' is not allowed for this criterion: give a rating")
        elif isinstance(value, int) and not isinstance(value, bool) and value in form.values:
            ratings[name] = value
        else:
            report(where, f"{value!r} is not a rating: give a value of {_scale(form)} or n/a")
    missing = [c.id for c in form.criteria if c.id not in given]
    if missing:
        report(("ratings",), f"not rated: {', '.join(missing)}")
    if not problems:
        for message in rating_problems(form, ratings, comments):  # the comments' rules
            report(("comments",), message)
    if problems:
        raise FormError(sorted(problems))
    return ratings, comments


@dataclass(frozen=True)
class Evaluation:
    """A counted-or-not evaluation read back from its file."""

    path: Path
    document: dict[str, Any]

    @property
    def candidate(self) -> str:
        return str(self.document["candidate"]["id"])

    @property
    def evaluator(self) -> str:
        return str(self.document["evaluator"]["id"])

    @property
    def area(self) -> str:
        return str(self.document["form"]["clinical_area"])

    @property
    def ended_at(self) -> str:
        return str(self.document["ended_at"])

    def ratings(self) -> dict[str, Rating]:
        return {r["criterion"]: r["rating"] for r in self.document["ratings"]}


def read_evaluation(path: Path, keys: Sequence[Ed25519PublicKey]) -> Evaluation:
    """A signed, well-formed evaluation file; EvaluationError saying why not."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise EvaluationError(f"cannot read: {exc.strerror}") from None
    document = _verified(data, keys)
    errors = sorted(validator("evaluation").iter_errors(document), key=lambda e: e.json_path)
    if errors:
        first = errors[0]
        where = first.json_path.removeprefix("$.").removeprefix("$") or "(evaluation)"
        raise EvaluationError(f"not a well-formed evaluation: {where}: {first.message}")
    named = [r["criterion"] for r in document["ratings"]]
    if sorted(named) != sorted(CRITERIA):
        raise EvaluationError("not a well-formed evaluation: each criterion must be rated once")
    values = {p["value"] for p in document["scale"]}
    for rating in document["ratings"]:
        if rating["rating"] != NOT_APPLICABLE and rating["rating"] not in values:
            raise EvaluationError(
                f"not a well-formed evaluation: {rating['criterion']} is rated off the scale"
            )
    if document["candidate"]["id"] == document["evaluator"]["id"]:
        raise EvaluationError("the evaluator is the candidate: a self-evaluation does not count")
    return Evaluation(path, document)


def _verified(data: bytes, keys: Sequence[Ed25519PublicKey]) -> dict[str, Any]:
    if data.lstrip().startswith(b"{") and b'"signature"' not in data and keys:
        raise EvaluationError("not signed: only signed evaluations count")
    try:
        return verify_with_keys(data, keys, EVALUATION_TYPE)
    except SignatureError as exc:
        raise EvaluationError(str(exc)) from None


def _scale(form: PeerForm) -> str:
    return f"{form.values[0]}–{form.values[-1]}"
