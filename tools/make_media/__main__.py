"""Regenerate the sample case library: `python -m tools.make_media [CASE-ID ...]`."""

from __future__ import annotations

import argparse
import importlib
import shutil
import sys
import time
from pathlib import Path

from .casedef import write_case

CASES = {
    "lung-pneumothorax": "lung_pneumothorax",
    "efast-trauma": "efast_trauma",
    "cardiac-tamponade": "cardiac_tamponade",
    "aaa": "aaa",
    "dvt": "dvt",
}
ROOT = Path(__file__).resolve().parents[2] / "cases"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.make_media", description=__doc__)
    parser.add_argument("cases", nargs="*", metavar="CASE-ID", help="default: all cases")
    parser.add_argument("--root", type=Path, default=ROOT, help="cases folder (default: cases/)")
    args = parser.parse_args(argv)
    for tool in ("ffmpeg", "ffprobe", "espeak-ng"):
        if shutil.which(tool) is None:
            print(
                f"make_media: '{tool}' is needed (apt-get install ffmpeg espeak-ng)",
                file=sys.stderr,
            )
            return 2
    wanted = args.cases or list(CASES)
    unknown = [c for c in wanted if c not in CASES]
    if unknown:
        parser.error(f"unknown case(s): {', '.join(unknown)}; known: {', '.join(CASES)}")
    for case_id in wanted:
        started = time.monotonic()
        folder = args.root / case_id
        if (folder / "media").is_dir():
            shutil.rmtree(folder / "media")  # no stale files from an older definition
        module = importlib.import_module(f".library.{CASES[case_id]}", __package__)
        path = write_case(args.root, module.case(args.root))
        print(f"{path} ({time.monotonic() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
