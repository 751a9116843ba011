"""The archive: verified in parallel, refused files listed with why, adding again adds nothing."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import pytest
from choicecases import sign_attempts
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from casebook_player.core.analytics import archive, documents, synthetic
from casebook_player.core.case.loader import load_case
from casebook_player.core.case.model import Case
from casebook_player.core.crypto.signing import read_unverified, sign_document

CASES = Path(__file__).parents[3] / "cases"


@pytest.fixture
def signed(tmp_path: Path, choice_case: Case, signing_key: Ed25519PrivateKey) -> list[Path]:
    answers = {f"c{n}": {"q1": "A", "q2": "AB"[n % 2]} for n in range(12)}
    return sign_attempts(choice_case, answers, signing_key, tmp_path / "results")


def counts(db: Path) -> tuple[int, ...]:
    with duckdb.connect(str(db)) as c:
        return tuple(
            c.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]  # type: ignore[index]
            for t in ("results", "responses", "selections", "domain_scores")
        )


def test_adding_again_changes_nothing(
    tmp_path: Path, signed: list[Path], signing_key: Ed25519PrivateKey
) -> None:
    db = tmp_path / "a.duckdb"
    first = archive.add_results(db, signed, signing_key.public_key())
    assert (first.added, first.already, first.refused) == (12, 0, [])
    before = counts(db)
    assert before == (12, 48, 24, 24)  # 4 responses, 2 chosen, 2 domains each
    again = archive.add_results(db, [*signed, signed[0]], signing_key.public_key())
    assert (again.added, again.already) == (0, 13)
    assert counts(db) == before


def test_worker_processes_give_the_same_archive(
    tmp_path: Path, signed: list[Path], signing_key: Ed25519PrivateKey
) -> None:
    seen: list[float] = []
    pooled = archive.add_results(
        tmp_path / "p.duckdb", signed, signing_key.public_key(), seen.append, chunk_files=5
    )
    archive.add_results(tmp_path / "s.duckdb", signed, signing_key.public_key())
    assert pooled.added == 12
    # A step per chunk of 5, 5 and 2 files verified, then the last once they are stored.
    assert len(seen) == 4 and seen == sorted(seen)
    assert seen[2:] == [pytest.approx(archive.VERIFYING_SHARE), 1.0]
    with (
        duckdb.connect(str(tmp_path / "p.duckdb")) as p,
        duckdb.connect(str(tmp_path / "s.duckdb")) as s,
    ):
        query = "SELECT * FROM responses ORDER BY result_hash, item_id"
        assert p.execute(query).fetchall() == s.execute(query).fetchall()


def test_invalid_files_are_refused_with_the_reason(
    tmp_path: Path, signed: list[Path], signing_key: Ed25519PrivateKey
) -> None:
    altered = tmp_path / "altered.json"
    altered.write_bytes(signed[0].read_bytes().replace(b'"signature":"', b'"signature":"A', 1))
    other = tmp_path / "other-key.json"
    other.write_text(sign_document({"x": 1}, Ed25519PrivateKey.generate()))
    not_result = tmp_path / "not-a-result.json"
    not_result.write_text(sign_document({"format": "casebook-result/1"}, signing_key))
    missing = tmp_path / "missing.json"
    report = archive.add_results(
        tmp_path / "a.duckdb",
        [*signed[:2], altered, other, not_result, missing],
        signing_key.public_key(),
    )
    assert report.added == 2
    reasons = dict(report.refused)
    assert set(reasons) == {str(p) for p in (altered, other, not_result, missing)}
    assert "not a result" in reasons[str(not_result)]
    assert "cannot read it" in reasons[str(missing)]
    assert reasons[str(other)] != reasons[str(altered)]


def test_parquet_export_holds_every_table(
    tmp_path: Path, signed: list[Path], signing_key: Ed25519PrivateKey
) -> None:
    db = tmp_path / "a.duckdb"
    archive.add_results(db, signed, signing_key.public_key())
    written = archive.export_parquet(db, tmp_path / "parquet")
    assert [p.name for p in written] == [
        "results.parquet",
        "responses.parquet",
        "selections.parquet",
        "domain_scores.parquet",
        "first_attempts.parquet",
    ]
    with duckdb.connect() as c:
        rows = c.execute("SELECT COUNT(*) FROM read_parquet(?)", [str(written[1])]).fetchone()
    assert rows == (48,)


def test_the_archive_caps_duckdbs_memory(tmp_path: Path) -> None:
    """DuckDB's default (80 % of the machine) took 12.8 GB for a million results' statistics."""
    with archive.open_archive(tmp_path / "a.duckdb") as connection:
        limit = connection.execute("SELECT current_setting('memory_limit')").fetchone()
    assert limit is not None and limit[0] == "953.6 MiB"  # 1 GB


def _resigned(path: Path, key: Ed25519PrivateKey, change: Callable[[dict[str, Any]], None]) -> str:
    document = read_unverified(path.read_bytes())
    change(document)
    return sign_document(document, key)


def _set(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def change(document: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        target = document
        for part in parents:
            target = target[int(part)] if isinstance(target, list) else target[part]
        if value is _DELETE:
            del target[last]
        else:
            target[last] = value

    return change


_DELETE = object()


@pytest.mark.parametrize(
    ("change", "why"),
    [
        (_set("raw", _DELETE), "no valid raw"),
        (_set("raw", "nine"), "no valid raw"),
        (_set("case.sha256", None), "no valid case.sha256"),
        (_set("format", "casebook-result/2"), "its format is not casebook-result/1"),
        (
            _set("responses.0.points", _DELETE),
            "a response without item, type, points or max_points",
        ),
        (_set("domains", {"id": "x"}), "no valid domains"),
        (_set("responses.0.type", "hotspot"), "a click or calipers without numeric coordinates"),
    ],
    ids=["missing", "wrong-type", "null", "format", "response", "not-a-list", "geometry"],
)
def test_a_document_the_archive_cannot_read_is_refused_naming_why(
    tmp_path: Path,
    signed: list[Path],
    signing_key: Ed25519PrivateKey,
    change: Callable[[dict[str, Any]], None],
    why: str,
) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text(_resigned(signed[0], signing_key, change))
    db = tmp_path / "a.duckdb"
    report = archive.add_results(db, [broken, *signed[1:3]], signing_key.public_key())
    assert (report.added, report.already) == (2, 0)
    assert report.refused == [(str(broken), f"{documents.NOT_A_RESULT} ({why})")]
    assert counts(db) == (2, 8, 4, 4)  # nothing of the refused one is left


def test_the_rows_hold_each_documents_fields(
    tmp_path: Path, signing_key: Ed25519PrivateKey
) -> None:
    """DuckDB's reading of the documents against a plain Python one, on both sample cases
    with clicks (lung) and calipers (aaa): every row the same."""
    files = []
    for name in ("lung-pneumothorax", "aaa"):
        case = load_case(CASES / name)
        files += synthetic.write_signed(case, synthetic.Cohort(15), signing_key, tmp_path / name)
    db = tmp_path / "a.duckdb"
    assert archive.add_results(db, files, signing_key.public_key()).added == len(files)
    expected: dict[str, list[tuple[Any, ...]]] = {
        "results": [],
        "responses": [],
        "selections": [],
        "domain_scores": [],
    }
    for path in files:
        document = read_unverified(path.read_bytes())
        result_hash = hashlib.sha256(path.read_bytes()).hexdigest()
        case, journal = document["case"], document["journal"]
        expected["results"].append(
            (
                result_hash,
                path.name,
                document["candidate"]["id"],
                *(case[k] for k in ("id", "version", "sha256")),
                *(journal[k] for k in ("kind", "tamper_proof")),
                document["ledger"]["attempt"],
                *(document[k] for k in ("started_at", "ended_at", "end_reason", "raw", "max")),
                *(document[k] for k in ("percent", "cut_score", "passed")),
            )
        )
        expected["domain_scores"] += [
            (result_hash, d["id"], d["raw"], d["max"], d["percent"]) for d in document["domains"]
        ]
        for r in document["responses"]:
            value, kind = r["response"], r["type"]
            click = value if kind == "hotspot" and value else {}
            ends = (
                value if kind == "measurement" and value else {"from": [None] * 2, "to": [None] * 2}
            )
            expected["responses"].append(
                (
                    result_hash,
                    r["item"],
                    kind,
                    value is not None,
                    r["points"],
                    r["max_points"],
                    click.get("x"),
                    click.get("y"),
                    *ends["from"],
                    *ends["to"],
                    json.dumps(value, separators=(",", ":"), ensure_ascii=False),
                )
            )
            if kind in ("single", "multiple") and value is not None:
                chosen = [value] if isinstance(value, str) else value
                expected["selections"] += [(result_hash, r["item"], c) for c in chosen]
    with duckdb.connect(str(db)) as c:
        for table, rows in expected.items():
            assert sorted(c.execute(f"SELECT * FROM {table}").fetchall(), key=str) == sorted(
                rows, key=str
            )
        assert (
            c.execute(
                "SELECT COUNT(*) FROM responses WHERE type = 'measurement' AND from_x IS NOT NULL"
            ).fetchone()[0]
            > 0
        )  # type: ignore[index]


def test_a_file_name_that_is_not_utf8_is_kept_readably(
    tmp_path: Path, signed: list[Path], signing_key: Ed25519PrivateKey
) -> None:
    odd = Path(os.fsdecode(bytes(tmp_path) + b"/r\xff.json"))
    odd.write_bytes(signed[0].read_bytes())
    db = tmp_path / "a.duckdb"
    assert archive.add_results(db, [odd], signing_key.public_key()).added == 1
    with duckdb.connect(str(db)) as c:
        assert c.execute("SELECT file FROM results").fetchall() == [("r\ufffd.json",)]
