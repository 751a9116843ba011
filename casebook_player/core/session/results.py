"""The result document: everything an attempt produced, as JSON (schemas/result.schema.json)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from casebook_player import __version__
from casebook_player.core.crypto.signing import sign_document
from casebook_player.core.files import write_text_atomically
from casebook_player.core.session.scoring import ScoreReport, score
from casebook_player.core.session.timeline import Phase, Timeline
from casebook_player.core.timestamps import iso

RESULT_FORMAT = "casebook-result/1"


@dataclass(frozen=True)
class Candidate:
    id: str
    name: str = ""


@dataclass(frozen=True)
class Attempt:
    """Who took the case, and what happened around it (accommodations, incidents); and where
    it was journaled (``provenance``: the result's ``journal`` and ``ledger``, once known)."""

    candidate: Candidate
    accommodations: dict[str, Any] = field(default_factory=dict)
    incidents: tuple[dict[str, Any], ...] = ()
    provenance: dict[str, Any] = field(default_factory=dict)


def score_timeline(timeline: Timeline) -> ScoreReport:
    return score(timeline.case, timeline.responses(), timeline.counted_items())


def result_document(timeline: Timeline, attempt: Attempt) -> dict[str, Any]:
    """The result of an ended attempt."""
    if timeline.phase is not Phase.ENDED:
        raise ValueError("the attempt has not ended")
    case, state = timeline.case, timeline.state
    report = score_timeline(timeline)
    by_item = {s.item_id: s for s in report.items}
    key_point_of = {i.id: kp.id for _, kp in case.key_points() for i in kp.items}
    responses = []
    for item_id in timeline.counted_items():
        record = state.responses.get(item_id)
        responses.append(
            {
                "item": item_id,
                "key_point": key_point_of[item_id],
                "type": str(case.item(item_id).type),
                "response": record.value if record else None,
                "answered_at": iso(record.answered_at) if record else None,
                "time_spent_s": record.time_spent if record else None,
                "points": by_item[item_id].points,
                "max_points": by_item[item_id].max_points,
            }
        )
    return {
        "format": RESULT_FORMAT,
        "case": {
            "id": case.id,
            "title": case.title,
            "version": case.version,
            "clinical_area": case.clinical_area,
            "sha256": case.sha256,
        },
        "candidate": {"id": attempt.candidate.id, "name": attempt.candidate.name},
        "player": {"name": "casebook_player", "version": __version__},
        "started_at": iso(state.started_at),
        "ended_at": iso(state.ended_at),
        "end_reason": str(state.end_reason),
        "path": list(state.path),
        "responses": responses,
        "domains": [
            {
                "id": d.id,
                "name": d.name,
                "raw": d.raw,
                "max": d.max,
                "percent": d.percent,
                "weight": d.weight,
            }
            for d in report.domains
        ],
        "raw": report.raw,
        "max": report.max,
        "percent": report.percent,
        "cut_score": report.cut_score,
        "passed": report.passed,
        "accommodations": dict(attempt.accommodations),
        "incidents": list(attempt.incidents),
        **{k: attempt.provenance[k] for k in ("journal", "ledger") if k in attempt.provenance},
    }


def write_result(path: Path, document: dict[str, Any], key: Ed25519PrivateKey | None) -> None:
    """Write the result file: a signed JWS when ``key`` is given, else plain JSON."""
    if key is not None:
        write_text_atomically(path, sign_document(document, key))
    else:
        write_text_atomically(path, json.dumps(document, indent=2, ensure_ascii=False) + "\n")


def result_file_name(document: dict[str, Any], signed: bool) -> str:
    """``<case>--<candidate>--<end time>[.signed].json``."""
    stamp = re.sub(r"[^0-9T]", "", document["ended_at"] or "")[:15]
    candidate = re.sub(r"[^A-Za-z0-9_.-]+", "_", document["candidate"]["id"])
    return f"{document['case']['id']}--{candidate}--{stamp}{'.signed' if signed else ''}.json"


def score_headline(document: dict[str, Any]) -> list[str]:
    """Two lines: the candidate and case; the score against the cut score."""
    case = document["case"]
    verdict = "PASS" if document["passed"] else "FAIL"
    return [
        f"candidate {document['candidate']['id']} · case {case['id']} {case['version']}",
        f"{document['raw']:g}/{document['max']:g} points, {document['percent']:.1f} % "
        f"(cut score {document['cut_score']:g} %) {verdict}",
    ]


def custody_lines(document: dict[str, Any]) -> list[str]:
    """Where the attempt stands among those on its machine, and what its journal was."""
    lines = []
    ledger, journal = document.get("ledger"), document.get("journal")
    if ledger:
        lines.append(
            f"attempt {ledger['attempt']} on this machine for this candidate and case "
            f"(ledger {ledger['ledger_id'][:8]}, entry {ledger['position']})"
        )
    if journal and not journal["tamper_proof"]:
        lines.append("journal NOT tamper-proof: kept without a centre key")
    for altered in (journal or {}).get("altered", []):
        lines.append(
            f"journal found ALTERED ({altered['problem']}); "
            f"{altered['decision'].replace('_', ' ')} by the proctor"
        )
    return lines


def custody_flags(document: dict[str, Any]) -> list[str]:
    """What of ``custody_lines`` a one-line listing must show."""
    flags = []
    if (document.get("ledger") or {}).get("attempt", 1) > 1:
        flags.append(f"attempt {document['ledger']['attempt']}")
    if (document.get("journal") or {}).get("altered"):
        flags.append("journal ALTERED")
    return flags


def score_summary(document: dict[str, Any]) -> str:
    """A few lines: the candidate and case, the score against the cut score, each domain,
    and the attempt's place among those on its machine."""
    lines = score_headline(document)
    for domain in document["domains"]:
        if domain["max"]:
            lines.append(
                f"  {domain['name']:<34} {domain['raw']:g}/{domain['max']:g}"
                f"  {domain['percent']:.1f} %"
            )
    lines.extend(custody_lines(document))
    return "\n".join(lines)
