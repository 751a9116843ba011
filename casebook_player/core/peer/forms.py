"""Peer evaluation forms: the YAML script an evaluator fills in, validated and loaded.

A form names one clinical area, a rating scale and the eight criteria of the certification
programme's peer evaluation (docs/peer-evaluations.md); each criterion may allow "not
applicable". Problems are reported like a case script's: ``file:line:col: json.path: message``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from casebook_player.core.case.problems import (
    Problem,
    ProblemsError,
    format_path,
    parse_yaml,
    read_limited,
)
from casebook_player.core.case.schema import schema_problems
from casebook_player.core.case.yamlsource import YamlDocument

FORM_KIND = "peer-evaluation"
NOT_APPLICABLE = "not_applicable"

# The eight criteria of the peer evaluation, in the programme's order, with default labels.
CRITERIA: dict[str, str] = {
    "image_quality": "Images of diagnostic quality",
    "gain": "Use of gain",
    "depth": "Use of depth",
    "transducer_placement": "Transducer placement",
    "measurement_technique": "Measurement technique",
    "compression": "Appropriate compression",
    "doppler_mmode": "Use of M-mode, colour and power Doppler",
    "overall_experience": "Overall experience",
}

_ROOT = "(form)"


class FormError(ProblemsError):
    """The form (or a file of ratings for it) cannot be used."""


@dataclass(frozen=True)
class ScalePoint:
    value: int
    label: str


@dataclass(frozen=True)
class Criterion:
    id: str
    label: str
    help: str = ""
    allows_not_applicable: bool = True


@dataclass(frozen=True)
class PeerForm:
    id: str
    title: str
    version: str
    clinical_area: str
    scale: tuple[ScalePoint, ...]
    criteria: tuple[Criterion, ...]
    instructions: str = ""
    language: str = "en"
    comments_label: str = "Comments"
    comments_required: bool = False
    comments_max_length: int = 4000
    sha256: str = ""
    path: Path | None = None

    @property
    def values(self) -> tuple[int, ...]:
        return tuple(point.value for point in self.scale)

    def criterion(self, criterion_id: str) -> Criterion:
        for criterion in self.criteria:
            if criterion.id == criterion_id:
                return criterion
        raise KeyError(criterion_id)

    def label_of(self, value: int) -> str:
        return next(point.label for point in self.scale if point.value == value)


def load_form(path: Path) -> PeerForm:
    """The validated form at ``path``; raises FormError listing every problem."""
    file = Path(path)
    raw = read_limited(file, _ROOT, FormError)
    doc = parse_yaml(raw, file, _ROOT, FormError)
    problems = schema_problems(doc, file, "form")
    if not problems:
        problems = _semantic_problems(doc, file)
    if problems:
        raise FormError(problems)
    return _build_form(doc.data, file, hashlib.sha256(raw).hexdigest())


def _semantic_problems(doc: YamlDocument, file: Path) -> list[Problem]:
    """What the schema cannot say: each criterion once, scale values rising and unique."""
    problems: list[Problem] = []

    def report(path: tuple[str | int, ...], message: str) -> None:
        line, col = doc.position(path)
        problems.append(Problem(file, line, col, format_path(path, _ROOT), message))

    seen: dict[str, int] = {}
    for index, criterion in enumerate(doc.data["criteria"]):
        first = seen.setdefault(criterion["id"], index)
        if first != index:
            report(
                ("criteria", index, "id"),
                f"criterion '{criterion['id']}' is already criteria[{first}]",
            )
    missing = [c for c in CRITERIA if c not in seen]
    if missing:
        report(("criteria",), f"missing criteria: {', '.join(missing)}")
    values = [point["value"] for point in doc.data["scale"]]
    for index in range(1, len(values)):
        if values[index] <= values[index - 1]:
            report(
                ("scale", index, "value"),
                f"{values[index]} does not follow {values[index - 1]}: list the scale lowest "
                "first, each value once",
            )
    labels = [point["label"].strip().casefold() for point in doc.data["scale"]]
    for index, label in enumerate(labels):
        if label in labels[:index]:
            report(("scale", index, "label"), "the same label is used twice")
    return sorted(problems)


def _build_form(data: dict[str, Any], file: Path, sha256: str) -> PeerForm:
    comments = data.get("comments", {})
    return PeerForm(
        id=data["id"],
        title=data["title"],
        version=data["version"],
        clinical_area=data["clinical_area"],
        scale=tuple(ScalePoint(p["value"], p["label"]) for p in data["scale"]),
        criteria=tuple(
            Criterion(
                id=c["id"],
                label=c.get("label", CRITERIA[c["id"]]),
                help=c.get("help", ""),
                allows_not_applicable=c.get("not_applicable", True),
            )
            for c in data["criteria"]
        ),
        instructions=data.get("instructions", ""),
        language=data.get("language", "en"),
        comments_label=comments.get("label", "Comments"),
        comments_required=comments.get("required", False),
        comments_max_length=comments.get("max_length", 4000),
        sha256=sha256,
        path=file,
    )
