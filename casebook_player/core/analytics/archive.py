"""The results archive: signed results verified in parallel and kept in an embedded DuckDB file.

Every attempt is kept (a candidate's retakes too); the statistics read the ``first_attempts``
view (stats_sql.py), one attempt per candidate and case version, as item analysis does.
Adding is idempotent: a result is known by the SHA-256 of its file's bytes, and a file added
again (or twice in one run) adds nothing.

Verification is the one ``casebook verify`` does (core.crypto.signing), one file at a time, in
worker processes taking chunks of files; each worker writes the signed documents as JSON lines,
and DuckDB parses them all at once into the tables (documents.py), far faster than building
and inserting the rows in Python.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from casebook_player.core.analytics.documents import (
    BAD_GEOMETRY,
    PROBLEMS,
    ROWS,
    STAGED_DOCUMENTS,
)
from casebook_player.core.analytics.stats_sql import FIRST_ATTEMPTS_VIEW
from casebook_player.core.crypto.signing import SignatureError, verified_payload

Progress = Callable[[float], None]

CHUNK_FILES = 500
# DuckDB takes up to 80 % of the machine's memory by default (12.8 GB over a million results
# here); capped, it spills to a folder beside the archive and the statistics of a million
# results take ~1.1 GB. Its own progress bar would write into the command's output.
MEMORY_LIMIT = "1GB"
# The share of an add's time spent verifying (the rest is DuckDB reading the documents in):
# 17 s and 4 s of 21 over 100,000 results here. Progress reaches 1.0 once they are stored.
VERIFYING_SHARE = 0.8

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


@dataclass
class AddReport:
    """What one ``add`` did: results added, files already archived, files refused and why."""

    added: int = 0
    already: int = 0
    refused: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class _Chunk:
    """What a worker hands back: its JSON lines file, the (hash, file) of each result in it,
    and the files refused."""

    lines: str
    accepted: list[tuple[str, str]]
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
    _report(progress, 1.0)
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
        ([str(f) for f in files[i : i + chunk_files]], str(staging / f"chunk{n}.ndjson"))
        for n, i in enumerate(range(0, len(files), chunk_files))
    ]
    done = 0
    if len(parts) <= 1:
        for names, lines in parts:
            yield verify_chunk(names, key_bytes, lines)
        return
    with ProcessPoolExecutor(max_workers=workers or os.cpu_count() or 1) as pool:
        futures = {
            pool.submit(verify_chunk, names, key_bytes, lines): len(names) for names, lines in parts
        }
        for future in as_completed(futures):
            done += futures[future]
            _report(progress, VERIFYING_SHARE * done / len(files))
            yield future.result()


def _report(progress: Progress | None, fraction: float) -> None:
    if progress is not None:
        progress(fraction)


def verify_chunk(names: list[str], key_bytes: bytes, lines: str) -> _Chunk:
    """Verify each file (in a worker process) and write each signed document, as it is, on a
    line of the file ``lines`` for DuckDB to read."""
    key = Ed25519PublicKey.from_public_bytes(key_bytes)
    chunk = _Chunk(lines, [], [])
    with open(lines, "wb") as out:
        for name in names:
            path = Path(name)
            try:
                data = path.read_bytes()
                document = verified_payload(data, key)
            except OSError as exc:
                chunk.refused.append((name, f"cannot read it: {exc.strerror}"))
                continue
            except SignatureError as exc:
                chunk.refused.append((name, str(exc)))
                continue
            result_hash = hashlib.sha256(data).hexdigest()
            # A file name that is not UTF-8 is shown with replacement characters.
            shown = os.fsencode(path.name).decode("utf-8", "replace")
            out.write(
                b'{"h":"%s","f":%s,"d":%s}\n'
                % (result_hash.encode(), json.dumps(shown).encode(), document)
            )
            chunk.accepted.append((result_hash, name))
    return chunk


def _copy_in(
    connection: duckdb.DuckDBPyConnection, chunks: list[_Chunk], report: AddReport
) -> None:
    """Parse the chunks' documents into staging tables and copy in the results not archived
    yet; a document that is not a result is refused. All or nothing, in one transaction."""
    names: dict[str, list[str]] = {}
    for chunk in chunks:
        for result_hash, name in chunk.accepted:
            names.setdefault(result_hash, []).append(name)
    if not names:
        return
    connection.execute("BEGIN TRANSACTION")
    try:
        # All chunks' files in one statement: DuckDB reads them in parallel.
        connection.execute(
            f"CREATE TEMP TABLE staged_documents AS {STAGED_DOCUMENTS}",
            [[chunk.lines for chunk in chunks if chunk.accepted]],
        )
        connection.execute(f"CREATE TEMP TABLE unreadable AS {PROBLEMS}")
        _drop_unreadable(connection, ("documents",))
        for table in TABLES:
            connection.execute(f"CREATE TEMP TABLE staged_{table} AS SELECT * FROM {table} LIMIT 0")
            connection.execute(f"INSERT INTO staged_{table} {ROWS[table]}")
        connection.execute(f"INSERT INTO unreadable {BAD_GEOMETRY}")
        _drop_unreadable(connection, TABLES)
        connection.execute(
            "CREATE TEMP TABLE new_hashes AS SELECT DISTINCT result_hash FROM staged_results "
            "WHERE result_hash NOT IN (SELECT result_hash FROM results)"
        )
        # The same file given twice in one run wrote its rows twice; only then is DISTINCT,
        # a sort of every row (2 s of 6 over 100,000 results), worth its cost.
        repeated = connection.execute(
            "SELECT COUNT(*) > COUNT(DISTINCT result_hash) FROM staged_results"
        ).fetchone()
        distinct = "DISTINCT" if repeated and repeated[0] else ""
        one_each = "DISTINCT ON (result_hash)" if distinct else ""
        by_file = "ORDER BY result_hash, file" if distinct else ""
        connection.execute(
            f"INSERT INTO results SELECT {one_each} * FROM staged_results "
            f"WHERE result_hash IN (SELECT result_hash FROM new_hashes) {by_file}"
        )
        for table in ("responses", "selections", "domain_scores"):
            connection.execute(
                f"INSERT INTO {table} SELECT {distinct} * FROM staged_{table} "
                "WHERE result_hash IN (SELECT result_hash FROM new_hashes)"
            )
        added = connection.execute("SELECT COUNT(*) FROM new_hashes").fetchone()
        refused = dict(connection.execute("SELECT * FROM unreadable").fetchall())
        for table in (*(f"staged_{t}" for t in ("documents", *TABLES)), "new_hashes", "unreadable"):
            connection.execute(f"DROP TABLE {table}")
        connection.execute("COMMIT")
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    report.refused.extend(
        (name, reason) for result_hash, reason in refused.items() for name in names[result_hash]
    )
    read = sum(len(names[h]) for h in names if h not in refused)
    report.added = int(added[0]) if added else 0
    report.already = read - report.added


def _drop_unreadable(connection: duckdb.DuckDBPyConnection, tables: Iterable[str]) -> None:
    """Remove the rows of the results found unreadable from the staging tables."""
    for table in tables:
        connection.execute(
            f"DELETE FROM staged_{table} WHERE result_hash IN (SELECT result_hash FROM unreadable)"
        )


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
