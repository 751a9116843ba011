"""Archive scale: verify + add N signed results against one-by-one `casebook verify`, the
statistics over M archived results (time, peak memory), and the same SQL on Apache Spark.

    .venv/bin/python bench/bench_archive.py [--results 100000] [--rows 1000000] [--spark]

1. N signed results of the sample case lung-pneumothorax are generated (the real session,
   headless, signed like real results) and `casebook archive add` verifies and stores them.
   The baseline, `casebook verify FILE` once per file, is timed in one process (the verb
   called as the command line calls it, on a sample of files, and again without its argument
   parsing) and as one process per file (a sample: running 100,000 would take hours), each
   extrapolated per file to N; `casebook verify FOLDER` (all files, one call) is timed in full.
2. For M rows the archive's results are copied in SQL until it holds M results (each copy
   with new hashes and candidate ids: the generator writes archive rows directly here, as
   driving the session a million times would take most of an hour); the statistics run in a
   fresh process, whose peak resident memory is read from the kernel.
3. With --spark, the archive's tables go to Parquet and the same SQL strings (stats_sql.py)
   run on Spark in local mode; every number must agree with DuckDB's.
"""

from __future__ import annotations

import argparse
import math
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchlib import CASEBOOK, PYTHON, ROOT

sys.path.insert(0, str(ROOT))
from casebook_player.core.analytics import archive, synthetic
from casebook_player.core.case.loader import load_case
from casebook_player.core.crypto.keys import generate_keypair, load_private_key

CASE = ROOT / "cases" / "lung-pneumothorax"
STATS_CHILD = """
import sys, time, resource
from pathlib import Path
from casebook_player.commands.analytics import archive_statistics
from casebook_player.core.case.loader import load_case
start = time.perf_counter()
found = archive_statistics(Path(sys.argv[1]), [load_case(Path(sys.argv[2]))])
took = time.perf_counter() - start
stats = found[0][0]
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(took, peak, stats.candidates, stats.overall["alpha"])
"""
# `casebook verify FILE` for each file, in this one process: as the command line calls the
# verb, then the verb's own work without building and parsing the command line.
VERIFY_CHILD = """
import argparse, contextlib, os, sys, time
from pathlib import Path
from casebook_player import cli
from casebook_player.commands.keys import run_verify
key, files = sys.argv[1], Path(sys.argv[2]).read_text().splitlines()
with open(os.devnull, "w") as sink, contextlib.redirect_stdout(sink):
    start = time.perf_counter()
    for f in files:
        cli.main(["verify", f, "--key", key])
    verb = time.perf_counter() - start
    start = time.perf_counter()
    for f in files:
        run_verify(argparse.Namespace(results=[Path(f)], key=Path(key), revocations=None))
    work = time.perf_counter() - start
print(verb / len(files), work / len(files))
"""


def generate(folder: Path, results: int) -> tuple[list[Path], Path]:
    private, public = generate_keypair(folder / "keys", None)
    start = time.perf_counter()
    files = synthetic.write_signed(
        load_case(CASE),
        synthetic.Cohort(results, retake_share=0),
        load_private_key(private, None),
        folder / "results",
    )
    print(f"generated {len(files)} signed results in {time.perf_counter() - start:.1f} s")
    return files, public


def bench_add(folder: Path, files: list[Path], public: Path, sample: int, in_process: int) -> Path:
    db = folder / "archive.duckdb"
    start = time.perf_counter()
    subprocess.run(
        [
            *CASEBOOK,
            "archive",
            "add",
            str(folder / "results"),
            "--key",
            str(public),
            "--archive",
            str(db),
            "--quiet",
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    add = time.perf_counter() - start
    n = len(files)
    print(f"archive add, {n} results: {add:.1f} s ({n / add:,.0f}/s)")

    def against(what: str, per_file: float) -> None:
        print(
            f"{what}: {per_file * 1e6:,.0f} us per file, {per_file * n:,.1f} s for {n}: "
            f"archive add is {per_file * n / add:.2f}x as fast"
        )

    chosen = files[:: max(1, n // in_process)][:in_process]
    listed = folder / "in-process.txt"
    listed.write_text("\n".join(map(str, chosen)))
    child = subprocess.run(
        [PYTHON, "-c", VERIFY_CHILD, str(public), str(listed)],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    verb, work = map(float, child.stdout.split())
    against(f"casebook verify FILE per file in one process ({len(chosen)} files)", verb)
    against("  the same without building and parsing the command line", work)
    chosen = files[:: max(1, n // sample)][:sample]
    start = time.perf_counter()
    for file in chosen:
        subprocess.run(
            [*CASEBOOK, "verify", str(file), "--key", str(public)],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    against(
        f"casebook verify FILE, one process per file ({len(chosen)} files)",
        (time.perf_counter() - start) / len(chosen),
    )
    start = time.perf_counter()
    subprocess.run(
        [*CASEBOOK, "verify", str(folder / "results"), "--key", str(public)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    against("casebook verify FOLDER, one call for every file", (time.perf_counter() - start) / n)
    return db


def grow(db: Path, rows: int) -> None:
    """Copy the archive's results until it holds ``rows`` (new hash and candidate per copy)."""
    with archive.open_archive(db) as c:
        base = c.execute("SELECT COUNT(*) FROM results").fetchone()[0]  # type: ignore[index]
        for copy in range(1, math.ceil(rows / base)):
            limit = min(base, rows - base * copy)
            c.execute(
                f"CREATE TEMP TABLE pick AS SELECT result_hash FROM results "
                f"WHERE result_hash NOT LIKE '%-%' ORDER BY result_hash LIMIT {limit}"
            )
            tag = f"'-{copy}'"
            c.execute(
                f"INSERT INTO results SELECT result_hash || {tag} AS result_hash, file, "
                f"candidate_id || {tag}, * EXCLUDE (result_hash, file, candidate_id) "
                "FROM results WHERE result_hash IN (SELECT result_hash FROM pick)"
            )
            for table in ("responses", "selections", "domain_scores"):
                c.execute(
                    f"INSERT INTO {table} SELECT result_hash || {tag} AS result_hash, "
                    f"* EXCLUDE (result_hash) FROM {table} "
                    "WHERE result_hash IN (SELECT result_hash FROM pick)"
                )
            c.execute("DROP TABLE pick")
        total = c.execute("SELECT COUNT(*) FROM results").fetchone()[0]  # type: ignore[index]
        responses = c.execute("SELECT COUNT(*) FROM responses").fetchone()[0]  # type: ignore[index]
    print(f"archive grown to {total:,} results ({responses:,} responses)")


def bench_stats(db: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-c", STATS_CHILD, str(db), str(CASE)],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    took, rss_kb, candidates, alpha = run.stdout.splitlines()[-1].split()  # after any notes
    print(
        f"stats over {int(candidates):,} first attempts: {float(took):.1f} s, "
        f"peak RSS {int(rss_kb) / 1024:,.0f} MB (alpha {float(alpha):.4f})"
    )


SPARK_TABLES = ("results", "responses", "selections", "case_items", "item_options", "item_domains")


def bench_spark(db: Path, folder: Path) -> None:
    from pyspark.sql import SparkSession

    from casebook_player.core.analytics.case_tables import register_case
    from casebook_player.core.analytics.ctt import form_statistics, query_archive
    from casebook_player.core.analytics.stats_sql import FIRST_ATTEMPTS_VIEW, QUERIES, STAGES

    parquet = folder / "parquet"
    parquet.mkdir()
    with archive.open_archive(db) as c:
        register_case(c, load_case(CASE))
        duck = form_statistics(query_archive(c))
        for table in SPARK_TABLES:
            c.execute(f"COPY {table} TO '{parquet / table}.parquet' (FORMAT PARQUET)")
    spark = SparkSession.builder.master("local[2]").appName("casebook").getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    for table in SPARK_TABLES:
        spark.read.parquet(str(parquet / f"{table}.parquet")).createOrReplaceTempView(table)
    spark.sql(FIRST_ATTEMPTS_VIEW).createOrReplaceTempView("first_attempts")
    start = time.perf_counter()
    for name, sql in STAGES.items():
        spark.sql(sql).cache().createOrReplaceTempView(name)
    rows = {name: [r.asDict() for r in spark.sql(sql).collect()] for name, sql in QUERIES.items()}
    took = time.perf_counter() - start
    sparked = form_statistics(rows)
    differences = compare(duck, sparked)
    spark.stop()
    print(
        f"Spark {spark.version if hasattr(spark, 'version') else ''} local[2]: all queries in "
        f"{took:.1f} s; {differences} numbers differ from DuckDB's (tolerance 1e-9)"
    )


def compare(a: dict, b: dict) -> int:  # type: ignore[type-arg]
    differ = 0
    assert a.keys() == b.keys(), "different forms"
    for form in a:
        for name in (
            "items",
            "options",
            "reliability",
            "distribution",
            "click_map",
            "measurement_errors",
        ):
            left, right = getattr(a[form], name), getattr(b[form], name)
            assert len(left) == len(right), f"{name}: {len(left)} rows vs {len(right)}"
            for x, y in zip(left, right, strict=True):
                for key in x:
                    u, v = x[key], y[key]
                    if isinstance(u, int | float) and not isinstance(u, bool) and v is not None:
                        bad = not math.isclose(float(u), float(v), rel_tol=1e-9, abs_tol=1e-9)
                    else:
                        bad = u != v
                    if bad and differ < 5:
                        print(f"  differs: {name} {key}: DuckDB {u!r}, Spark {v!r}")
                    differ += bad
        differ += a[form].flags != b[form].flags
    return differ


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--results", type=int, default=100_000)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--sample", type=int, default=30, help="files verified one process each")
    parser.add_argument(
        "--in-process", type=int, default=10_000, help="files verified one by one in one process"
    )
    parser.add_argument("--spark", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-archive-") as tmp:
        folder = Path(tmp)
        files, public = generate(folder, args.results)
        db = bench_add(folder, files, public, args.sample, args.in_process)
        if args.spark:
            bench_spark(db, folder)
        if args.rows > args.results:
            grow(db, args.rows)
        bench_stats(db)
    print(f"bench peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
