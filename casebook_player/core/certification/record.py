"""A candidate's record: one folder a programme office keeps per candidate, on a file share.

    <candidate>/candidate.yaml       who, what was purchased when, attestation, prerequisites
    <candidate>/results/*.json       signed results of the case-based assessment
    <candidate>/evaluations/*.json   signed peer evaluations
    <candidate>/submissions/<any>/   a video submission: clean copies and manifest.signed.json
    <candidate>/reviews/*.json       signed reviewers' verdicts on the submissions

``candidate.yaml`` is checked by schemas/candidate.schema.json, problems placed in the file.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
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
from casebook_player.core.case.yamlsource import JsonPath, YamlDocument

RECORD_NAME = "candidate.yaml"
RESULTS, EVALUATIONS, SUBMISSIONS, REVIEWS = "results", "evaluations", "submissions", "reviews"
_ROOT = "(candidate)"


class RecordError(ProblemsError):
    """A candidate's record cannot be used."""


@dataclass(frozen=True)
class Application:
    certificate: str
    purchased: date


@dataclass(frozen=True)
class AttestedArea:
    cases: int
    earliest: date


@dataclass(frozen=True)
class Attestation:
    date: date
    areas: Mapping[str, AttestedArea]


@dataclass(frozen=True)
class CandidateRecord:
    id: str
    name: str
    applications: tuple[Application, ...]
    prerequisites: tuple[str, ...]
    attestation: Attestation | None
    folder: Path

    def files(self, kind: str) -> list[Path]:
        """The ``*.json`` files of one kind (results, evaluations, reviews), by name."""
        return sorted(p for p in (self.folder / kind).glob("*.json") if p.is_file())

    def submission_folders(self) -> list[Path]:
        return sorted(p for p in (self.folder / SUBMISSIONS).glob("*") if p.is_dir())


def is_record(folder: Path) -> bool:
    return (folder / RECORD_NAME).is_file()


def load_record(folder: Path) -> CandidateRecord:
    """The record in ``folder``; raises RecordError listing every problem of candidate.yaml."""
    file = Path(folder) / RECORD_NAME
    doc = parse_yaml(read_limited(file, _ROOT, RecordError), file, _ROOT, RecordError)
    problems = schema_problems(doc, file, "candidate")
    if not problems:
        problems = _date_problems(doc, file)
    if problems:
        raise RecordError(problems)
    return _build(doc.data, Path(folder))


def _date_problems(doc: YamlDocument, file: Path) -> list[Problem]:
    """Dates that match the pattern but are no day of the calendar (2026-02-30)."""
    problems = []
    data = doc.data
    places: list[JsonPath] = [
        ("applications", i, "purchased") for i in range(len(data["applications"]))
    ]
    if "attestation" in data:
        places.append(("attestation", "date"))
        places += [("attestation", "areas", a, "earliest") for a in data["attestation"]["areas"]]
    for where in places:
        value: Any = data
        for part in where:
            value = value[part]
        try:
            date.fromisoformat(value)
        except ValueError:
            line, col = doc.position(where)
            problems.append(
                Problem(file, line, col, format_path(where, _ROOT), f"{value!r} is no date")
            )
    seen: set[str] = set()
    for index, application in enumerate(data["applications"]):
        if application["certificate"] in seen:
            line, col = doc.position(("applications", index, "certificate"))
            problems.append(
                Problem(
                    file,
                    line,
                    col,
                    format_path(("applications", index, "certificate")),
                    f"'{application['certificate']}' is applied for twice: keep the latest "
                    "purchase only",
                )
            )
        seen.add(application["certificate"])
    return problems


def _build(data: dict[str, Any], folder: Path) -> CandidateRecord:
    attestation = None
    if "attestation" in data:
        given = data["attestation"]
        attestation = Attestation(
            date.fromisoformat(given["date"]),
            {
                area: AttestedArea(value["cases"], date.fromisoformat(value["earliest"]))
                for area, value in given["areas"].items()
            },
        )
    return CandidateRecord(
        id=data["id"],
        name=data["name"],
        applications=tuple(
            Application(a["certificate"], date.fromisoformat(a["purchased"]))
            for a in data["applications"]
        ),
        prerequisites=tuple(p["id"] for p in data.get("prerequisites", ())),
        attestation=attestation,
        folder=folder,
    )
