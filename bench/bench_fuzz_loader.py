"""Fuzz the case loader: every input must give a valid case or a clear error, never a
traceback or a hang.

    .venv/bin/python bench/bench_fuzz_loader.py [--inputs 10000] [--workers 2] [--seed 1]

Inputs come from the hypothesis strategies in tests/fuzzcases.py (mutations of a valid case,
YAML-ish token soup, any text, any bytes) plus the malformed corpus in tests/data/malformed/.
Each input is written as the case.yaml of a folder holding the fixture media and loaded with
load_case. "Clear error" means a CaseError whose every problem prints as one line
`file:line:col: path: message`. A per-input alarm fails an input after --limit seconds, and a
watchdog kills a worker that prints nothing for --watchdog seconds (a hang in C code that no
alarm can interrupt), keeping the input that hung.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import re
import select
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import IO, Any

import benchlib
from benchlib import format_distribution, header


def worker(seed: int, inputs: int, folder: Path, limit: float) -> None:
    """Check `inputs` generated inputs, printing one JSON line each."""
    from fuzzcases import check, prepare_folder, tagged_case_files
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import seed as hypothesis_seed

    file = prepare_folder(folder)

    @hypothesis_seed(seed)
    @settings(
        max_examples=inputs,
        deadline=None,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(tagged=tagged_case_files)
    def run(tagged: tuple[str, bytes]) -> None:
        family, content = tagged
        outcome = check(file, content, limit)
        line: dict[str, Any] = {"family": family, "kind": outcome.kind, "s": outcome.seconds}
        if outcome.kind == "failure":
            line["detail"] = outcome.detail
            line["input"] = base64.b64encode(content).decode()
        elif outcome.kind == "error":
            line["first"] = _first_problem(file)
        print(json.dumps(line), flush=True)

    run()


def _first_problem(file: Path) -> str:
    """The first problem's message for the last input, its specifics blanked (for counts)."""
    from casebook_player.core.case.loader import load_case
    from casebook_player.core.case.problems import CaseError

    try:
        load_case(file.parent)
    except CaseError as exc:
        message = exc.problems[0].message
        message = re.sub(r"'[^']*'|\"[^\"]*\"", "…", message)
        return re.sub(r"(?<![\w-])-?\d[\d,._]*", "N", message)[:70]
    return ""


class Run:
    """What the workers reported."""

    def __init__(self) -> None:
        self.kinds: Counter[str] = Counter()
        self.by_family: dict[str, Counter[str]] = defaultdict(Counter)
        self.first_problems: Counter[str] = Counter()
        self.seconds: list[float] = []
        self.failures: list[dict[str, Any]] = []

    def add(self, line: dict[str, Any]) -> None:
        self.kinds[line["kind"]] += 1
        self.by_family[line["family"]][line["kind"]] += 1
        self.seconds.append(line["s"])
        if line.get("first"):
            self.first_problems[line["first"]] += 1
        if line["kind"] == "failure":
            self.failures.append(line)

    @property
    def total(self) -> int:
        return sum(self.kinds.values())


def _start(seed: int, inputs: int, folder: Path, limit: float) -> subprocess.Popen[str]:
    args = [sys.executable, __file__, "--worker", "--seed", str(seed), "--inputs", str(inputs)]
    args += ["--folder", str(folder), "--limit", str(limit)]
    return subprocess.Popen(args, stdout=subprocess.PIPE, text=True, bufsize=1)


def run_workers(args: argparse.Namespace, root: Path, run: Run) -> None:
    """Spread --inputs over --workers processes; restart any that hang or die early."""
    share = [
        args.inputs // args.workers + (i < args.inputs % args.workers) for i in range(args.workers)
    ]
    next_seed = args.seed
    active: dict[IO[str], tuple[subprocess.Popen[str], Path, list[int], float]] = {}

    def launch(i: int, remaining: int) -> None:
        nonlocal next_seed
        folder = root / f"worker-{i}-{next_seed}"
        process = _start(next_seed, remaining, folder, args.limit)
        next_seed += 1
        assert process.stdout is not None
        active[process.stdout] = (process, folder, [remaining], time.monotonic())

    for i, n in enumerate(share):
        if n:
            launch(i, n)
    while active:
        ready, _, _ = select.select(list(active), [], [], 1.0)
        now = time.monotonic()
        for stream in ready:
            process, folder, remaining, _ = active[stream]
            text = stream.readline()
            if text:
                run.add(json.loads(text))
                remaining[0] -= 1
                active[stream] = (process, folder, remaining, now)
                continue
            del active[stream]
            code = process.wait()
            if remaining[0] > 0:  # died before its share (a crash of the interpreter itself)
                run.add(_lost(folder, f"worker exited with {code}", 0.0))
                launch(len(active) + 1, remaining[0] - 1)
        for stream, (process, folder, remaining, last) in list(active.items()):
            if now - last > args.watchdog:
                process.kill()
                process.wait()
                del active[stream]
                run.add(_lost(folder, f"no answer within {args.watchdog} s (hang)", now - last))
                if remaining[0] > 1:
                    launch(len(active) + 1, remaining[0] - 1)


def _lost(folder: Path, detail: str, seconds: float) -> dict[str, Any]:
    try:
        content = (folder / "case.yaml").read_bytes()
    except OSError:
        content = b""
    return {
        "family": "?",
        "kind": "failure",
        "s": seconds,
        "detail": detail,
        "input": base64.b64encode(content).decode(),
    }


def check_corpus(root: Path, run: Run, limit: float) -> None:
    from fuzzcases import check, malformed_corpus, prepare_folder

    file = prepare_folder(root / "corpus")
    for source in malformed_corpus():
        content = source.read_bytes()
        outcome = check(file, content, limit)
        line: dict[str, Any] = {"family": "malformed corpus", "kind": outcome.kind}
        line["s"] = outcome.seconds
        if outcome.kind != "error":  # the corpus is malformed: a valid case is a failure too
            line["kind"] = "failure"
            line["detail"] = outcome.detail or f"{source.name} loaded as a valid case"
            line["input"] = base64.b64encode(content).decode()
        run.add(line)


def report(run: Run, elapsed: float, keep: Path | None) -> int:
    print(f"\ninputs checked: {run.total:,} in {elapsed:.1f} s ({run.total / elapsed:,.0f}/s)")
    for kind in ("valid", "error", "failure"):
        print(f"  {kind:<8} {run.kinds.get(kind, 0):7,}")
    print("\nby family            valid    error  failure")
    for family, counts in sorted(run.by_family.items()):
        print(
            f"  {family:<17} {counts.get('valid', 0):7,}  {counts.get('error', 0):7,}  "
            f"{counts.get('failure', 0):7,}"
        )
    print()
    print(format_distribution("time per input (load_case)", run.seconds, "ms", 1000))
    print("\nmost frequent first problems (specifics blanked):")
    for message, n in run.first_problems.most_common(12):
        print(f"  {n:6,}  {message}")
    if run.failures:
        print(f"\nFAILURES ({len(run.failures)}):")
        for i, failure in enumerate(run.failures[:20]):
            print(f"  [{i}] {failure['family']}: {failure['detail']}")
            if keep is not None:
                keep.mkdir(parents=True, exist_ok=True)
                path = keep / f"failure-{i}.yaml"
                path.write_bytes(base64.b64decode(failure["input"]))
                print(f"      input kept in {path}")
    print(f"\nRESULT: {'PASS' if not run.failures else 'FAIL'} ({len(run.failures)} failures)")
    return 1 if run.failures else 0


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--inputs", type=int, default=10_000, help="generated inputs (10000)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="processes")
    parser.add_argument("--seed", type=int, default=1, help="first hypothesis seed")
    parser.add_argument("--limit", type=float, default=2.0, help="seconds allowed per input")
    parser.add_argument("--watchdog", type=float, default=10.0, help="seconds before a kill")
    parser.add_argument("--keep", type=Path, help="write failing inputs into this folder")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--folder", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.seed, args.inputs, args.folder, args.limit)
        return 0

    header(f"case loader fuzzing: {args.inputs:,} generated inputs + the malformed corpus")
    print(f"   {args.workers} workers, {args.limit} s per input, watchdog {args.watchdog} s")
    run = Run()
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="casebook-fuzz-") as tmp:
        check_corpus(Path(tmp), run, args.limit)
        run_workers(args, Path(tmp), run)
    return report(run, time.monotonic() - started, args.keep)


if __name__ == "__main__":
    assert benchlib.ROOT  # puts tests/ (fuzzcases, casefactory) on sys.path
    sys.exit(main())
