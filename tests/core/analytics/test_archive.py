"""The archive: verified in parallel, refused files listed with why, adding again adds nothing."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from choicecases import sign_attempts
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from casebook_player.core.analytics import archive
from casebook_player.core.case.model import Case
from casebook_player.core.crypto.signing import sign_document


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
    assert seen[-1] == 1.0 and len(seen) == 3  # a step per chunk of 5, 5 and 2 files
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
