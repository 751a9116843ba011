"""Result documents as the archive's rows, read in SQL by their schema (schemas/result.schema.json).

Documents are data: these queries read the fields the schema defines and nothing of the code
that wrote them, so an archive can take results of any player version that keeps the format.
The worker processes verify the signatures and write each signed document as it is, one JSON
line per result; DuckDB parses them all at once (``STAGED_DOCUMENTS``), which is several
times faster than building the rows in Python. A document without the fields the archive
needs is refused with the first one missing (``PROBLEMS``), as a file with a bad signature is.
"""

from __future__ import annotations

import json

RESULT_FORMAT = "casebook-result/1"
NOT_A_RESULT = "the signature is valid but the document is not a result"

# The fields read, as json_transform's structure: a field missing, null or of another type
# comes out NULL, and PROBLEMS names it.
_STRUCTURE = json.dumps(
    {
        "format": "VARCHAR",
        "candidate": {"id": "VARCHAR"},
        "case": {"id": "VARCHAR", "version": "VARCHAR", "sha256": "VARCHAR"},
        "journal": {"kind": "VARCHAR", "tamper_proof": "BOOLEAN"},
        "ledger": {"attempt": "INTEGER"},
        "started_at": "VARCHAR",
        "ended_at": "VARCHAR",
        "end_reason": "VARCHAR",
        "raw": "DOUBLE",
        "max": "DOUBLE",
        "percent": "DOUBLE",
        "cut_score": "DOUBLE",
        "passed": "BOOLEAN",
        "responses": [
            {
                "item": "VARCHAR",
                "type": "VARCHAR",
                "points": "DOUBLE",
                "max_points": "DOUBLE",
                "response": "JSON",
            }
        ],
        "domains": [{"id": "VARCHAR", "raw": "DOUBLE", "max": "DOUBLE", "percent": "DOUBLE"}],
    }
)

# The documents of the workers' JSON lines ({"h": hash, "f": file name, "d": document}).
STAGED_DOCUMENTS = f"""
SELECT h AS result_hash, f AS file, json_transform(d, '{_STRUCTURE}') AS d
FROM read_ndjson(?, columns = {{h: 'VARCHAR', f: 'VARCHAR', d: 'JSON'}})
"""

_REQUIRED = (
    "candidate.id",
    "case.id",
    "case.version",
    "case.sha256",
    "started_at",
    "ended_at",
    "end_reason",
    "raw",
    "max",
    "percent",
    "cut_score",
    "passed",
    "responses",
    "domains",
)
_RESPONSE_FIELDS = ("item", "type", "points", "max_points")
_DOMAIN_FIELDS = ("id", "raw", "max", "percent")


def _field(path: str) -> str:
    return "d." + ".".join(f'"{part}"' for part in path.split("."))


def _missing_in(items: str, fields: tuple[str, ...]) -> str:
    condition = " OR ".join(f"x.{name} IS NULL" for name in fields)
    return f"len(list_filter({items}, lambda x: {condition})) > 0"


def _any_of(fields: tuple[str, ...]) -> str:
    return ", ".join(fields[:-1]) + " or " + fields[-1]


def _reason(what: str) -> str:
    return "'" + f"{NOT_A_RESULT} ({what})".replace("'", "''") + "'"


_CHECKS = [
    (f"d.format IS DISTINCT FROM '{RESULT_FORMAT}'", f"its format is not {RESULT_FORMAT}"),
    *((f"{_field(path)} IS NULL", f"no valid {path}") for path in _REQUIRED),
    (
        _missing_in("d.responses", _RESPONSE_FIELDS),
        "a response without " + _any_of(_RESPONSE_FIELDS),
    ),
    (_missing_in("d.domains", _DOMAIN_FIELDS), "a domain without " + _any_of(_DOMAIN_FIELDS)),
]

# Each staged document the archive cannot read, with why.
PROBLEMS = (
    "SELECT result_hash, reason FROM (SELECT result_hash, CASE "
    + " ".join(f"WHEN {condition} THEN {_reason(what)}" for condition, what in _CHECKS)
    + " END AS reason FROM staged_documents) WHERE reason IS NOT NULL"
)

_RESPONSES = "(SELECT result_hash, unnest(d.responses) AS r FROM staged_documents)"
_ANSWERED = "coalesce(json_type(r.response) <> 'NULL', false)"


def _coordinate(path: str, kind: str) -> str:
    return f"CASE WHEN r.type = '{kind}' THEN TRY_CAST(r.response ->> '{path}' AS DOUBLE) END"


# Each table's rows, in its columns' order, from the staged documents PROBLEMS left.
ROWS = {
    "results": """
        SELECT result_hash, file, d.candidate.id, d."case".id, d."case".version,
               d."case".sha256, d.journal.kind, d.journal.tamper_proof,
               coalesce(d.ledger.attempt, 1), d.started_at, d.ended_at, d.end_reason,
               d.raw, d.max, d.percent, d.cut_score, d.passed
        FROM staged_documents""",
    "responses": f"""
        SELECT result_hash, r.item, r.type, {_ANSWERED}, r.points, r.max_points,
               {_coordinate("$.x", "hotspot")}, {_coordinate("$.y", "hotspot")},
               {_coordinate("$.from[0]", "measurement")}, {_coordinate("$.from[1]", "measurement")},
               {_coordinate("$.to[0]", "measurement")}, {_coordinate("$.to[1]", "measurement")},
               coalesce(CAST(r.response AS VARCHAR), 'null')
        FROM {_RESPONSES}""",
    "selections": f"""
        SELECT result_hash, r.item, unnest(CASE WHEN json_type(r.response) = 'ARRAY'
               THEN json_extract_string(r.response, '$[*]')
               ELSE [json_extract_string(r.response, '$')] END)
        FROM {_RESPONSES}
        WHERE r.type IN ('single', 'multiple') AND {_ANSWERED}""",
    "domain_scores": """
        SELECT result_hash, x.id, x.raw, x.max, x.percent
        FROM (SELECT result_hash, unnest(d.domains) AS x FROM staged_documents)""",
}

# Answered hotspots and measurements whose coordinates are not numbers, found in the rows.
BAD_GEOMETRY = f"""
SELECT DISTINCT result_hash, {_reason("a click or calipers without numeric coordinates")}
FROM staged_responses
WHERE answered AND ((type = 'hotspot' AND (x IS NULL OR y IS NULL))
    OR (type = 'measurement'
        AND (from_x IS NULL OR from_y IS NULL OR to_x IS NULL OR to_y IS NULL)))
"""
