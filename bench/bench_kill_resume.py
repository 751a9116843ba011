"""kill -9 and resume: no acknowledged response is ever lost, and the result is unchanged.

    .venv/bin/python bench/bench_kill_resume.py [--trials 100] [--max-kills 3] [--seed 1]

Each trial runs `casebook simulate CASE --responses correct --journal DIR --step-delay S`
and SIGKILLs it at a random moment, up to --max-kills times (each later run with --resume),
then resumes it to the end. After every kill, every response the process had printed as saved
("saved response <id>" is printed only once the journal has it on disk) must be in the
journal; the final result must equal an uninterrupted run's (times aside). The same approach
as tests/test_cli_results.py, with more trials and repeated kills.

SIGKILL ends the process, not the machine: what the kernel already holds survives it. Power
loss is what synchronous=FULL is for, and is not simulated here.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from benchlib import CASEBOOK, format_distribution, header
from journaltamper import journal_of, journaled_responses

from casebook_player.core.case.loader import load_case
from casebook_player.core.session.custody import custody_for
from casebook_player.core.session.journal import JournalKind


def simulate_args(case_dir: Path, journal: Path, candidate: str, delay: float) -> list[str]:
    return [
        *CASEBOOK,
        "simulate",
        str(case_dir),
        "--responses",
        "correct",
        "--journal",
        str(journal),
        "--candidate",
        candidate,
        "--step-delay",
        str(delay),
    ]


def run_and_kill(args: list[str], after: float) -> tuple[str, list[str], list[str]]:
    """Run `args`, SIGKILL it after `after` s; (when the kill landed, saved lines, responses)."""
    process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        out, err = process.communicate(timeout=after)
        landed = "after the end" if process.returncode == 0 else f"failed: {err[-300:]}"
        if "nothing to resume" in err:
            landed = "nothing to resume"
    except subprocess.TimeoutExpired:
        process.kill()
        out, _ = process.communicate()
        landed = ""
    saved = [line for line in out.splitlines() if line.startswith("saved ")]
    responses = [line.split()[-1] for line in saved if line.startswith("saved response")]
    if not landed:
        landed = "mid-run" if saved else "before the first save"
    return landed, saved, responses


def without_times(document: dict[str, Any]) -> dict[str, Any]:
    document = json.loads(json.dumps(document))
    for key in ("started_at", "ended_at"):
        document.pop(key, None)
    document["candidate"]["id"] = "-"
    # Each resume of an unfinished attempt is an incident; the uninterrupted run has none.
    document["incidents"] = [i for i in document["incidents"] if i["kind"] != "restart"]
    for response in document["responses"]:
        response.pop("answered_at", None)
        response.pop("time_spent_s", None)
    return document


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--trials", type=int, default=100, help="trials (100)")
    parser.add_argument("--max-kills", type=int, default=3, help="kills per trial, at most (3)")
    parser.add_argument("--step-delay", type=float, default=0.03, help="seconds between steps")
    parser.add_argument("--case", type=Path, help="a case folder (default: the test fixture)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory(prefix="casebook-kill-") as tmp:
        root = Path(tmp)
        case_dir = args.case
        if case_dir is None:
            from casefactory import write_case

            case_dir = root / "case"
            write_case(case_dir)
        case = load_case(case_dir)
        header(f"kill -9 and resume: {args.trials} trials, case {case.id}")
        reference_file = root / "reference.json"
        uninterrupted = [*CASEBOOK, "simulate", str(case_dir), "--responses", "correct"]
        done = subprocess.run(
            [*uninterrupted, "--out", str(reference_file)], capture_output=True, check=False
        )
        assert done.returncode == 0, done.stderr
        reference = without_times(json.loads(reference_file.read_text()))
        journal = root / "journal"
        started = time.monotonic()
        run_and_kill(simulate_args(case_dir, journal, "timing", args.step_delay), 60)
        whole = time.monotonic() - started
        print(f"   one uninterrupted journaled run: {whole:.2f} s (process start included)")

        landed: Counter[str] = Counter()
        acknowledged_total = lost = equal = 0
        duplicates = 0
        kill_times: list[float] = []
        for trial in range(args.trials):
            candidate = f"kill-{trial}"
            acknowledged: set[str] = set()
            for kill in range(rng.randint(1, args.max_kills)):
                command = simulate_args(case_dir, journal, candidate, args.step_delay)
                if (
                    kill
                    and journal_of(
                        custody_for(JournalKind.SIMULATED, journal, None), case, candidate
                    ).exists()
                ):
                    command.append("--resume")
                after = rng.uniform(0.15, 1.0) * whole
                kill_times.append(after)
                where, _, responses = run_and_kill(command, after)
                landed[where] += 1
                acknowledged |= set(responses)
                saved = journaled_responses(
                    custody_for(JournalKind.SIMULATED, journal, None), case, candidate
                )
                missing = acknowledged - set(saved)
                lost += len(missing)
                if missing:
                    print(f"   trial {trial} kill {kill}: LOST {sorted(missing)}")
                if where == "after the end":
                    break
            acknowledged_total += len(acknowledged)
            out = root / f"result-{trial}.json"
            final = [*simulate_args(case_dir, journal, candidate, 0), "--out", str(out)]
            resumed = subprocess.run([*final, "--resume"], capture_output=True, text=True)
            if "nothing to resume" in resumed.stderr:
                resumed = subprocess.run(final, capture_output=True, text=True)
            if resumed.returncode != 0:
                print(f"   trial {trial}: resume failed: {resumed.stderr[-300:]}")
                continue
            saved = journaled_responses(
                custody_for(JournalKind.SIMULATED, journal, None), case, candidate
            )
            duplicates += len(saved) - len(set(saved))
            if without_times(json.loads(out.read_text())) == reference:
                equal += 1
            else:
                print(f"   trial {trial}: the resumed result differs from the uninterrupted one")
    kills = sum(landed.values())
    print()
    print(format_distribution("kill moment", kill_times, "ms", 1000))
    print(f"kills: {kills} in {args.trials} trials")
    for where in ("mid-run", "before the first save", "after the end"):
        print(f"  {where:<24} {landed.get(where, 0):5}")
    for where, n in landed.items():
        if where not in ("mid-run", "before the first save", "after the end"):
            print(f"  {where:<24} {n:5}")
    print(f"acknowledged responses checked: {acknowledged_total}")
    print(f"responses lost:                 {lost}   (target 0)")
    print(f"responses journaled twice:      {duplicates}")
    print(f"resumed result = uninterrupted: {equal}/{args.trials}")
    ok = lost == 0 and equal == args.trials
    print(f"\nRESULT: {'PASS' if ok else 'FAIL'}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
