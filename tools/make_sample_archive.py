"""The sample library's archive: synthetic candidates take every case in cases/, their results
are signed, added with `casebook archive add` and analysed with `casebook stats`.

One case is given two flaws the report must find: in lung-pneumothorax the candidates who
know q-sliding choose `left-b` rather than the key (as if the item were mis-keyed), and
q-first-site is so easy that nearly everyone knows it. Nothing generated is committed:

    .venv/bin/python tools/make_sample_archive.py --out /tmp/sample-archive [--candidates 500]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from casebook_player.cli import main as casebook  # noqa: E402
from casebook_player.core.analytics.synthetic import Cohort, ItemModel, write_signed  # noqa: E402
from casebook_player.core.case.loader import load_case  # noqa: E402
from casebook_player.core.crypto.keys import generate_keypair, load_private_key  # noqa: E402

FLAWED_CASE = "lung-pneumothorax"
FLAWS = {
    "q-sliding": ItemModel(1.6, 0.0, believed="left-b"),  # mis-keyed
    "q-first-site": ItemModel(1.2, -5.0),  # too easy
}


def make(out: Path, candidates: int, cases: list[Path]) -> int:
    """Generate, sign, archive and analyse; the exit status of `casebook stats`."""
    private, public = generate_keypair(out / "keys", None)
    key = load_private_key(private, None)
    for seed, folder in enumerate(cases, 1):
        case = load_case(folder)
        models = FLAWS if case.id == FLAWED_CASE else None
        write_signed(
            case, Cohort(candidates, seed=seed, models=models), key, out / "results" / case.id
        )
        print(f"{case.id}: {candidates} candidates signed")
    archive = out / "archive.duckdb"
    folders = [str(p) for p in sorted((out / "results").iterdir())]
    status = casebook(["archive", "add", *folders, "--key", str(public), "--archive", str(archive)])
    if status:
        return status
    return casebook(
        [
            "stats",
            "--archive",
            str(archive),
            "--case",
            *map(str, cases),
            "--out",
            str(out / "report"),
        ]
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--candidates", type=int, default=500)
    parser.add_argument("--cases", type=Path, nargs="*", default=None)
    args = parser.parse_args()
    cases = args.cases or sorted(
        p for p in (ROOT / "cases").iterdir() if (p / "case.yaml").is_file()
    )
    return make(args.out, args.candidates, cases)


if __name__ == "__main__":
    sys.exit(main())
