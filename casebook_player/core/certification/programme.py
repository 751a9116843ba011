"""The programme definition: certificates, clinical areas and the rules that decide them.

A YAML file checked by schemas/programme.schema.json and a few rules the schema cannot say
(each certificate's areas and prerequisite defined, ids once); problems are reported like a
case script's, ``file:line:col: json.path: message``, all at once. docs/certification.md.
"""

from __future__ import annotations

from collections.abc import Mapping
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
from casebook_player.core.case.yamlsource import JsonPath, YamlDocument

CERTIFICATE, SPECIALTY = "certificate", "specialty"
_ROOT = "(programme)"


class ProgrammeError(ProblemsError):
    """The programme definition cannot be used."""


@dataclass(frozen=True)
class AssessmentCase:
    case: str
    versions: tuple[str, ...] = ()  # empty: every version counts

    def counts(self, case_id: str, version: str) -> bool:
        return case_id == self.case and (not self.versions or version in self.versions)


@dataclass(frozen=True)
class Area:
    id: str
    name: str
    cases_required: int
    assessment: tuple[AssessmentCase, ...]
    measurement_still: bool = False

    def counts(self, case_id: str, version: str) -> bool:
        """Whether a result of this case script, in this version, counts for the area."""
        return any(case.counts(case_id, version) for case in self.assessment)


@dataclass(frozen=True)
class Certificate:
    id: str
    name: str
    level: str
    areas: tuple[str, ...]
    window_days: int
    prerequisite: str | None = None
    description: str = ""

    @property
    def needs_submissions(self) -> bool:
        return self.level == SPECIALTY


@dataclass(frozen=True)
class Verdict:
    id: str
    label: str
    passes: bool


@dataclass(frozen=True)
class Prerequisite:
    id: str
    name: str
    accepted: tuple[str, ...]


@dataclass(frozen=True)
class Issuer:
    id: str
    name: str
    url: str = ""
    email: str = ""


@dataclass(frozen=True)
class Programme:
    id: str
    name: str
    issuer: Issuer
    reapply_wait_days: int
    attestation_years: int
    areas: Mapping[str, Area]
    certificates: tuple[Certificate, ...]
    verdicts: tuple[Verdict, ...]
    prerequisites: Mapping[str, Prerequisite]
    revocation_list: str = ""
    path: Path | None = None

    def certificate(self, certificate_id: str) -> Certificate | None:
        return next((c for c in self.certificates if c.id == certificate_id), None)

    def verdict(self, verdict_id: str) -> Verdict | None:
        return next((v for v in self.verdicts if v.id == verdict_id), None)


def load_programme(path: Path) -> Programme:
    """The validated programme at ``path``; raises ProgrammeError listing every problem."""
    file = Path(path)
    doc = parse_yaml(read_limited(file, _ROOT, ProgrammeError), file, _ROOT, ProgrammeError)
    problems = schema_problems(doc, file, "programme")
    if not problems:
        problems = _semantic_problems(doc, file)
    if problems:
        raise ProgrammeError(problems)
    return _build(doc.data, file)


def _semantic_problems(doc: YamlDocument, file: Path) -> list[Problem]:
    problems: list[Problem] = []

    def report(path: JsonPath, message: str) -> None:
        line, col = doc.position(path)
        problems.append(Problem(file, line, col, format_path(path, _ROOT), message))

    data = doc.data
    prerequisites = data.get("prerequisites", {})
    seen: set[str] = set()
    for index, certificate in enumerate(data["certificates"]):
        where: JsonPath = ("certificates", index)
        if certificate["id"] in seen:
            report((*where, "id"), f"certificate '{certificate['id']}' is defined twice")
        seen.add(certificate["id"])
        for position, area in enumerate(certificate["areas"]):
            if area not in data["areas"]:
                report((*where, "areas", position), f"area '{area}' is not defined under areas")
        wanted = certificate.get("prerequisite")
        if wanted is not None and wanted not in prerequisites:
            report((*where, "prerequisite"), f"'{wanted}' is not defined under prerequisites")
    verdicts = data["verdicts"]
    ids = [v["id"] for v in verdicts]
    for index, verdict_id in enumerate(ids):
        if verdict_id in ids[:index]:
            report(("verdicts", index, "id"), f"verdict '{verdict_id}' is defined twice")
    if not any(v["passes"] for v in verdicts) or all(v["passes"] for v in verdicts):
        report(("verdicts",), "give at least one verdict that passes and one that does not")
    return sorted(problems)


def _build(data: dict[str, Any], file: Path) -> Programme:
    issuer = data["issuer"]
    return Programme(
        id=data["id"],
        name=data["name"],
        issuer=Issuer(issuer["id"], issuer["name"], issuer.get("url", ""), issuer.get("email", "")),
        reapply_wait_days=data["reapply_wait_days"],
        attestation_years=data["attestation"]["within_years"],
        areas={
            area_id: Area(
                area_id,
                area["name"],
                area["cases_required"],
                tuple(
                    AssessmentCase(c["case"], tuple(c.get("versions", ())))
                    for c in area["assessment"]
                ),
                area.get("measurement_still", False),
            )
            for area_id, area in data["areas"].items()
        },
        certificates=tuple(
            Certificate(
                c["id"],
                c["name"],
                c["level"],
                tuple(c["areas"]),
                c["window_days"],
                c.get("prerequisite"),
                c.get("description", ""),
            )
            for c in data["certificates"]
        ),
        verdicts=tuple(Verdict(v["id"], v["label"], v["passes"]) for v in data["verdicts"]),
        prerequisites={
            p_id: Prerequisite(p_id, p["name"], tuple(p["accepted"]))
            for p_id, p in data.get("prerequisites", {}).items()
        },
        revocation_list=data.get("revocation_list", ""),
        path=file,
    )
