"""Journal durability: how long the candidate waits for each durably committed response.

    .venv/bin/python bench/bench_journal.py [--records 2000] [--case cases/lung-pneumothorax]

Runs the case's timeline with correct answers, journaled exactly as `casebook simulate
--journal` and the player do (Journal.record with a fresh snapshot, SQLite WAL,
synchronous=FULL), attempt after attempt, until --records records were written in each
folder: the system temp folder and a folder on the repository's file system. The folders
take turns, one attempt each, so both see the same machine conditions. The latency is the
time from the answer to `record` returning (snapshot built, transaction committed, fsync
done; the snapshot is built just before): what the screen waits for before it
acknowledges the answer.
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from benchlib import ROOT, format_distribution, header, percentile

from casebook_player.core.case.loader import load_case
from casebook_player.core.case.model import Case
from casebook_player.core.session.attempt import open_attempt
from casebook_player.core.session.custody import custody_for
from casebook_player.core.session.journal import JournalKind
from casebook_player.core.session.results import Attempt, Candidate
from casebook_player.core.session.simulate import FakeClock, Script, correct_answers, drive


def mount_of(path: Path) -> str:
    """'ext4 on /dev/vda (/)' for the file system holding `path`."""
    best = ("", "?", "?")
    try:
        for line in Path("/proc/mounts").read_text().splitlines():
            device, point, kind = line.split()[:3]
            if str(path.resolve()).startswith(point) and len(point) >= len(best[0]):
                best = (point, device, kind)
    except OSError:
        pass
    return f"{best[2]} on {best[1]} ({best[0]})"


def one_attempt(case: Case, folder: Path, n: int) -> tuple[list[float], list[float], int]:
    """Journal one whole attempt; (response latencies, other event latencies, snapshot bytes)."""
    clock = FakeClock()
    opened = open_attempt(
        case,
        Attempt(Candidate(f"bench-{n}")),
        custody_for(JournalKind.SIMULATED, folder, None),
        clock,
    )
    session, journal = opened.session, opened.session.journal
    assert journal is not None
    responses: list[float] = []
    others: list[float] = []
    size = 0
    write = journal.record

    def timed(kind: str, payload: dict[str, Any], snapshot: dict[str, Any] | None) -> None:
        """The session's own journal write, timed: the snapshot is built before it."""
        nonlocal size
        started = time.perf_counter()
        write(kind, payload, snapshot)
        elapsed = time.perf_counter() - started
        (responses if kind == "response" else others).append(elapsed)
        size = max(size, len(repr(snapshot)))

    journal.record = timed  # type: ignore[method-assign]
    with journal:
        drive(session, Script(correct_answers(case)), clock)
    return responses, others, size


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--records", type=int, default=2000, help="records per folder (2000)")
    parser.add_argument("--case", type=Path, default=ROOT / "cases" / "lung-pneumothorax")
    parser.add_argument(
        "--dirs", type=Path, nargs="*", help="folders to journal in (default: temp and repo)"
    )
    args = parser.parse_args()

    case = load_case(args.case)
    made: list[Path] = []
    dirs = args.dirs or [Path(tempfile.gettempdir()), ROOT]
    folders = []
    for parent in dirs:
        folder = Path(tempfile.mkdtemp(prefix=".casebook-journal-bench-", dir=parent))
        made.append(folder)
        folders.append(folder)
    header(f"journal: latency per durably committed record, case {case.id}")
    results: dict[Path, tuple[list[float], list[float]]] = {f: ([], []) for f in folders}
    attempts, size = 0, 0
    try:
        while any(len(r) + len(o) < args.records for r, o in results.values()):
            for folder in folders:
                responses, others, size = one_attempt(case, folder, attempts)
                results[folder][0].extend(responses)
                results[folder][1].extend(others)
            attempts += 1
    finally:
        for folder in made:
            shutil.rmtree(folder, ignore_errors=True)
    per_attempt = len(results[folders[0]][0]), len(results[folders[0]][1])
    print(
        f"   {attempts} attempts per folder; each {per_attempt[0] // attempts} responses and "
        f"{per_attempt[1] // attempts} other events; snapshot ≈ {size:,} bytes; "
        f"journal synchronous=FULL, WAL; pid {os.getpid()}"
    )
    for folder in folders:
        responses, others = results[folder]
        print(f"\n{folder.parent} — {mount_of(folder)}")
        print(format_distribution("  responses", responses, "ms", 1000))
        print(format_distribution("  all records", responses + others, "ms", 1000))
        p99 = percentile(sorted(responses + others), 99) * 1000
        verdict = "met" if p99 < 20 else "MISSED"
        print(f"  target p99 < 20 ms: {verdict} (p99 {p99:.2f} ms)")


if __name__ == "__main__":
    main()
