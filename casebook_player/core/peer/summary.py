"""The peer summary: per candidate and clinical area, the first two valid evaluations count.

"Valid" means the signature verifies with one of the given public keys and the document is a
well-formed evaluation (core.evaluations.read_evaluation). The first two are taken by the time
each evaluation was submitted (its ``ended_at``; ties keep the order the files were given), by
two different evaluators. Everything else is listed with the reason it does not count.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from casebook_player.core.peer.evaluations import (
    Evaluation,
    EvaluationError,
    Rating,
    read_evaluation,
)
from casebook_player.core.peer.forms import CRITERIA, NOT_APPLICABLE

COUNTED_PER_AREA = 2


@dataclass(frozen=True)
class Invalid:
    path: Path
    reason: str

    def __str__(self) -> str:
        return f"invalid: {self.path}: {self.reason}"


@dataclass(frozen=True)
class Ignored:
    evaluation: Evaluation
    reason: str

    def __str__(self) -> str:
        return f"ignored: {self.reason} [{self.evaluation.path}]"


@dataclass
class AreaSummary:
    """One candidate in one clinical area: the counted evaluations and the ignored ones."""

    candidate: str
    area: str
    counted: list[Evaluation] = field(default_factory=list)
    ignored: list[Ignored] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return len(self.counted) == COUNTED_PER_AREA

    def ratings(self, criterion: str) -> list[Rating]:
        """Each counted evaluation's rating of ``criterion``, in counting order."""
        return [e.ratings()[criterion] for e in self.counted]

    def mean(self, criterion: str) -> float | None:
        """The mean of the counted ratings, leaving out "not applicable"; None when none rate."""
        values = [r for r in self.ratings(criterion) if isinstance(r, int)]
        return sum(values) / len(values) if values else None

    def labels(self) -> dict[str, str]:
        """Criterion labels as the (first counted) form words them."""
        if not self.counted:
            return dict(CRITERIA)
        return {r["criterion"]: r["label"] for r in self.counted[0].document["ratings"]}


@dataclass
class PeerSummary:
    areas: list[AreaSummary]
    invalid: list[Invalid]


def summarise(paths: Sequence[Path], keys: Sequence[Ed25519PublicKey]) -> PeerSummary:
    """Read every evaluation file and decide which count."""
    valid: list[tuple[datetime, int, Evaluation]] = []
    invalid: list[Invalid] = []
    for order, path in enumerate(paths):
        try:
            evaluation = read_evaluation(path, keys)
            submitted = _when(evaluation.ended_at)
        except EvaluationError as exc:
            invalid.append(Invalid(path, str(exc)))
            continue
        valid.append((submitted, order, evaluation))
    areas: dict[tuple[str, str], AreaSummary] = {}
    seen_so_far: dict[tuple[str, str], int] = {}
    for _, _, evaluation in sorted(valid, key=lambda v: (v[0], v[1])):
        key = (evaluation.candidate, evaluation.area)
        area = areas.setdefault(key, AreaSummary(*key))
        seen_so_far[key] = position = seen_so_far.get(key, 0) + 1
        reason = _reason_to_ignore(area, evaluation, position)
        if reason is None:
            area.counted.append(evaluation)
        else:
            area.ignored.append(Ignored(evaluation, reason))
    return PeerSummary(sorted(areas.values(), key=lambda a: (a.candidate, a.area)), invalid)


def _reason_to_ignore(area: AreaSummary, evaluation: Evaluation, position: int) -> str | None:
    what = (
        f"{_ordinal(position)} evaluation of {area.candidate} {area.area} by {evaluation.evaluator}"
    )
    for counted in area.counted:
        if counted.document == evaluation.document:
            return f"{what} is the same evaluation as {counted.path} (given twice)"
        if counted.evaluator == evaluation.evaluator:
            return f"{what} (this evaluator is already counted; two evaluators are needed)"
    if area.complete:
        return f"{what} (only the first two count)"
    return None


def _when(timestamp: str) -> datetime:
    try:
        return datetime.fromisoformat(timestamp.replace("Z", "+00:00"))
    except ValueError:
        raise EvaluationError(f"the submission time {timestamp!r} is not a date") from None


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def format_rating(value: Rating) -> str:
    return "N/A" if value == NOT_APPLICABLE else str(value)
