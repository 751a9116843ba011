"""A result document as the archive's rows, read by its schema (schemas/result.schema.json).

Documents are data: this module reads the fields the schema defines and nothing of the code
that wrote them, so an archive can take results of any player version that keeps the format.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

RESULT_FORMAT = "casebook-result/1"
CHOICE_TYPES = ("single", "multiple")


class NotAResult(ValueError):
    """The document is signed but is not a result this archive can read."""


@dataclass(frozen=True)
class ResultRows:
    """One result's rows for each archive table (tuples in the tables' column order)."""

    result: tuple[Any, ...]
    responses: list[tuple[Any, ...]]
    selections: list[tuple[Any, ...]]
    domains: list[tuple[Any, ...]]


def result_rows(document: dict[str, Any], result_hash: str, file: str) -> ResultRows:
    """The archive rows of ``document``; raises NotAResult when a field is missing or wrong."""
    try:
        return _rows(document, result_hash, file)
    except (KeyError, TypeError, ValueError, AttributeError, IndexError) as exc:
        raise NotAResult(
            f"the signature is valid but the document is not a result ({exc})"
        ) from None


def _rows(doc: dict[str, Any], result_hash: str, file: str) -> ResultRows:
    if doc["format"] != RESULT_FORMAT:
        raise ValueError(f"format {doc['format']!r}")
    case, journal, ledger = doc["case"], doc.get("journal") or {}, doc.get("ledger") or {}
    result = (
        result_hash,
        file,
        str(doc["candidate"]["id"]),
        str(case["id"]),
        str(case["version"]),
        str(case["sha256"]),
        journal.get("kind"),
        journal.get("tamper_proof"),
        int(ledger.get("attempt", 1)),
        str(doc["started_at"]),
        str(doc["ended_at"]),
        str(doc["end_reason"]),
        float(doc["raw"]),
        float(doc["max"]),
        float(doc["percent"]),
        float(doc["cut_score"]),
        bool(doc["passed"]),
    )
    responses: list[tuple[Any, ...]] = []
    selections: list[tuple[Any, ...]] = []
    for r in doc["responses"]:
        value = r["response"]
        responses.append(
            (
                result_hash,
                str(r["item"]),
                str(r["type"]),
                value is not None,
                float(r["points"]),
                float(r["max_points"]),
                *_geometry(str(r["type"]), value),
                json.dumps(value, separators=(",", ":")),
            )
        )
        if r["type"] in CHOICE_TYPES and value is not None:
            chosen = [value] if isinstance(value, str) else list(value)
            selections.extend((result_hash, str(r["item"]), str(option)) for option in chosen)
    domains = [
        (result_hash, str(d["id"]), float(d["raw"]), float(d["max"]), float(d["percent"]))
        for d in doc["domains"]
    ]
    return ResultRows(result, responses, selections, domains)


def _geometry(kind: str, value: Any) -> tuple[float | None, ...]:
    """(x, y, from_x, from_y, to_x, to_y): the click of a hotspot, the calipers of a measurement."""
    if value is None:
        return (None,) * 6
    if kind == "hotspot":
        return (float(value["x"]), float(value["y"]), None, None, None, None)
    if kind == "measurement":
        (x1, y1), (x2, y2) = value["from"], value["to"]
        return (None, None, float(x1), float(y1), float(x2), float(y2))
    return (None,) * 6
