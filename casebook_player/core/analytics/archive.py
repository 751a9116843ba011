"""The results archive: signed results verified in parallel and kept in an embedded DuckDB file.

Every attempt is kept (a candidate's retakes too); the statistics read the ``first_attempts``
view (stats_sql.py), one attempt per candidate and case version, as item analysis does.
Adding is idempotent: a result is known by the SHA-256 of its file's bytes, and a file added
again (or twice in one run) adds nothing.

Verification is the one ``casebook verify`` does (core.crypto.signing.verify_document), one
file at a time, in worker processes taking chunks of files; each worker writes its rows to CSV
files that DuckDB then copies in whole, which is far faster than inserting row by row.
"""

from __future__ import annotations

import csv
import hashlib
import os
import tempfile
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from casebook_player.core.analytics.documents import NotAResult, ResultRows, result_rows
from casebook_player.core.analytics.stats_sql import FIRST_ATTEMPTS_VIEW
from casebook_player.core.crypto.signing import SignatureError, verify_document

Progress = Callable[[float], None]

CHUNK_FILES = 500
# DuckDB takes up to 80 % of the machine's memory by default (12.8 GB over a million results
# here); capped, it spills to a folder beside the archive and the statistics of a million
# results take ~1.1 GB. Its own progress bar would write into the command's output.
MEMORY_LIMIT = "1GB"
_NULL = "\\N"

TABLES: dict[str, str] = {
    "results": """
        result_hash VARCHAR PRIMARY KEY, file VARCHAR, candidate_id VARCHAR,
        case_id VARCHAR, case_version VARCHAR, case_sha256 VARCHAR, kind VARCHAR,
        tamper_proof BOOLEAN, attempt INTEGER, started_at VARCHAR, ended_at VARCHAR,
        end_reason VARCHAR, raw DOUBLE, max DOUBLE, percent DOUBLE, cut_score DOUBLE,
        passed BOOLEAN""",
    "responses": """
        result_hash VARCHAR, item_id VARCHAR, type VARCHAR, answered BOOLEAN,
        points DOUBLE, max_points DOUBLE, x DOUBLE, y DOUBLE, from_x DOUBLE, from_y DOUBLE,
        to_x DOUBLE, to_y DOUBLE, response VARCHAR""",
    "selections": "result_hash VARCHAR, item_id VARCHAR, option_id VARCHAR",
    "domain_scores": """
        result_hash VARCHAR, domain_id VARCHAR, raw DOUBLE, max DOUBLE, percent DOUBLE""",
}
_ROW_FIELDS = {
    "results": "result",
    "responses": "responses",
    "selections": "selections",
    "domain_scores": "domains",
}


@dataclass
class AddReport:
    """What one ``add`` did: results added, files already archived, files refused and why."""

    added: int = 0
    already: int = 0
    refused: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class _Chunk:
    """What a worker hands back: the CSV file per table, the hashes it read, files refused."""

    csv: dict[str, str]
    hashes: list[str]
    refused: list[tuple[str, str]]


def open_archive(path: Path) -> duckdb.DuckDBPyConnection:
    """The archive at ``path``, created with its tables and views when new."""
    connection = duckdb.connect(str(path), config={"memory_limit": MEMORY_LIMIT})
    connection.execute("SET enable_progress_bar = false")
    for table, columns in TABLES.items():
        connection.execute(f"CREATE TABLE IF NOT EXISTS {table} ({columns})")
    connection.execute(f"CREATE OR REPLACE VIEW first_attempts AS {FIRST_ATTEMPTS_VIEW}")
    return connection


def add_results(
    archive: Path,
    files: Sequence[Path],
    key: Ed25519PublicKey,
    progress: Progress | None = None,
    chunk_files: int = CHUNK_FILES,
    workers: int | None = None,
) -> AddReport:
    """Verify ``files`` against ``key`` and add the valid results not yet in ``archive``."""
    report = AddReport()
    with tempfile.TemporaryDirectory(prefix="casebook-archive-") as staging:
        chunks = list(_verified_chunks(files, key, Path(staging), chunk_files, workers, progress))
        for chunk in chunks:
            report.refused.extend(chunk.refused)
        with open_archive(archive) as connection:
            _copy_in(connection, chunks, report)
    report.refused.sort()
    return report


def _verified_chunks(
    files: Sequence[Path],
    key: Ed25519PublicKey,
    staging: Path,
    chunk_files: int,
    workers: int | None,
    progress: Progress | None,
) -> Iterator[_Chunk]:
    """Each chunk of files verified; in worker processes once there is more than one chunk
    (starting a pool costs more than verifying a few hundred files here)."""
    key_bytes = key.public_bytes(Encoding.Raw, PublicFormat.Raw)
    parts = [
        ([str(f) for f in files[i : i + chunk_files]], str(staging / f"chunk{n}"))
        for n, i in enumerate(range(0, len(files), chunk_files))
    ]
    done = 0
    if len(parts) <= 1:
        for names, prefix in parts:
            yield verify_chunk(names, key_bytes, prefix)
        _report(progress, 1.0)
        return
    with ProcessPoolExecutor(max_workers=workers or os.cpu_count() or 1) as pool:
        futures = {
            pool.submit(verify_chunk, names, key_bytes, prefix): len(names)
            for names, prefix in parts
        }
        for future in as_completed(futures):
            done += futures[future]
            _report(progress, done / len(files))
            yield future.result()


def _report(progress: Progress | None, fraction: float) -> None:
    if progress is not None:
        progress(fraction)


def verify_chunk(names: list[str], key_bytes: bytes, prefix: str) -> _Chunk:
    """Verify each file (in a worker process) and write the valid ones' rows to CSV."""
    key = Ed25519PublicKey.from_public_bytes(key_bytes)
    refused: list[tuple[str, str]] = []
    hashes: list[str] = []
    paths = {table: f"{prefix}-{table}.csv" for table in TABLES}
    with _writers(paths) as writers:
        for name in names:
            rows = _verified_rows(Path(name), key)
            if isinstance(rows, str):
                refused.append((name, rows))
                continue
            hashes.append(rows.result[0])
            for table, attribute in _ROW_FIELDS.items():
                value = getattr(rows, attribute)
                writers[table].writerows(_csv_rows(value if isinstance(value, list) else [value]))
    return _Chunk(paths, hashes, refused)


def _verified_rows(path: Path, key: Ed25519PublicKey) -> ResultRows | str:
    """The archive rows of the result in ``path`` signed by ``key``, or why there are none."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        return f"cannot read it: {exc.strerror}"
    try:
        document = verify_document(data, key)
        return result_rows(document, hashlib.sha256(data).hexdigest(), path.name)
    except (SignatureError, NotAResult) as exc:
        return str(exc)


@contextmanager
def _writers(paths: dict[str, str]) -> Iterator[dict[str, Any]]:
    """A CSV writer per table, writing to its path."""
    with ExitStack() as stack:
        yield {
            table: csv.writer(stack.enter_context(open(path, "w", newline="", encoding="utf-8")))
            for table, path in paths.items()
        }


def _csv_rows(rows: list[tuple[Any, ...]]) -> Iterator[tuple[Any, ...]]:
    return (tuple(_NULL if v is None else v for v in row) for row in rows)


def _copy_in(
    connection: duckdb.DuckDBPyConnection, chunks: list[_Chunk], report: AddReport
) -> None:
    """Copy the chunks' rows in through staging tables, keeping only results not archived yet;
    all or nothing, in one transaction."""
    read = sum(len(chunk.hashes) for chunk in chunks)
    connection.execute("BEGIN TRANSACTION")
    try:
        for table in TABLES:
            connection.execute(f"CREATE TEMP TABLE staged_{table} AS SELECT * FROM {table} LIMIT 0")
            files = [chunk.csv[table] for chunk in chunks]
            if files:  # all chunks' files in one COPY: DuckDB reads them in parallel
                connection.execute(
                    f"INSERT INTO staged_{table} SELECT * FROM read_csv(?, header = false, "
                    f"nullstr = ?, quote = '\"', columns = {_csv_columns(connection, table)})",
                    [files, _NULL],
                )
        connection.execute(
            "CREATE TEMP TABLE new_hashes AS SELECT DISTINCT result_hash FROM staged_results "
            "WHERE result_hash NOT IN (SELECT result_hash FROM results)"
        )
        connection.execute(
            "INSERT INTO results SELECT DISTINCT ON (result_hash) * FROM staged_results "
            "WHERE result_hash IN (SELECT result_hash FROM new_hashes) ORDER BY result_hash, file"
        )
        # The same file given twice in one run wrote its rows twice; only then is DISTINCT,
        # a sort of every row, worth its cost.
        repeated = connection.execute(
            "SELECT COUNT(*) > COUNT(DISTINCT result_hash) FROM staged_results"
        ).fetchone()
        distinct = "DISTINCT" if repeated and repeated[0] else ""
        for table in ("responses", "selections", "domain_scores"):
            connection.execute(
                f"INSERT INTO {table} SELECT {distinct} * FROM staged_{table} "
                "WHERE result_hash IN (SELECT result_hash FROM new_hashes)"
            )
        added = connection.execute("SELECT COUNT(*) FROM new_hashes").fetchone()
        for table in (*(f"staged_{t}" for t in TABLES), "new_hashes"):
            connection.execute(f"DROP TABLE {table}")
        connection.execute("COMMIT")
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    report.added = int(added[0]) if added else 0
    report.already = read - report.added


def _csv_columns(connection: duckdb.DuckDBPyConnection, table: str) -> str:
    """The table's columns as read_csv's ``columns`` struct: names and types, not guessed."""
    described = connection.execute(f"DESCRIBE {table}").fetchall()
    return "{" + ", ".join(f"'{name}': '{kind}'" for name, kind, *_ in described) + "}"


def export_parquet(archive: Path, folder: Path) -> list[Path]:
    """Each table of the archive (and the first-attempts view) as a Parquet file in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    with open_archive(archive) as connection:
        for table in (*TABLES, "first_attempts"):
            target = folder / f"{table}.parquet"
            connection.execute(
                f"COPY (SELECT * FROM {table}) TO '{_sql_path(target)}' (FORMAT PARQUET)"
            )
            written.append(target)
    return written


def _sql_path(path: Path) -> str:
    """A path inside a SQL string literal (COPY TO takes no parameter)."""
    return str(path).replace("'", "''")
