"""Journal edits detected: each class of edit a hostile candidate made, applied to a packaged,
signed attempt interrupted at its first key point, then the player resumes.

    .venv/bin/python bench/bench_journal_tamper.py [--rounds 20]

An edit is detected when the resume is refused until a proctor decides (or, for a deleted
journal, when the new attempt's result says "attempt 2"). Untouched journals are resumed the
same number of times: every one must resume silently (no false alarm).
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from benchlib import header
from casefactory import write_case
from journaltamper import EDITS, Centre, detected

from casebook_player.core.case.loader import load_case


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20, help="trials of each class of edit")
    args = parser.parse_args()
    header(f"journal edits detected: {len(EDITS)} classes × {args.rounds} rounds")
    with tempfile.TemporaryDirectory() as tmp:
        case = load_case(write_case(Path(tmp) / "case"))
        total = caught = 0
        for name, edit in EDITS.items():
            hits = 0
            for n in range(args.rounds):
                centre = Centre(case, Path(tmp) / f"{name}-{n}")
                hits += detected(centre, edit(centre))
            total, caught = total + args.rounds, caught + hits
            print(f"  {name:<36} {hits}/{args.rounds}")
        false_alarms = 0
        for n in range(args.rounds):
            centre = Centre(case, Path(tmp) / f"untouched-{n}")
            centre.interrupted()
            false_alarms += detected(centre, "refused")
    print(f"detected: {caught}/{total} ({100 * caught / total:.0f} %)")
    print(f"untouched journals refused (false alarms): {false_alarms}/{args.rounds}")


if __name__ == "__main__":
    main()
