"""``casebook validate PATH...``: check case scripts, every problem at once."""

from __future__ import annotations

import argparse
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from casebook_player.commands import EXIT_FAILED, EXIT_OK, UsageError
from casebook_player.core.case.loader import CASE_FILE, load_case
from casebook_player.core.case.problems import CaseError
from casebook_player.core.printable import one_line


def add_parsers(verbs: Any) -> None:
    parser = verbs.add_parser("validate", help="check case scripts (files or folders)")
    parser.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    parser.add_argument("-q", "--quiet", action="store_true", help="print problems only")
    parser.set_defaults(func=run)


def case_files(paths: Sequence[Path]) -> Iterator[Path]:
    """Case scripts named by ``paths``: files as given, folders searched for case.yaml."""
    for path in paths:
        if path.is_file():
            yield path
        elif path.is_dir():
            found = sorted(path.rglob(CASE_FILE))
            if not found:
                raise UsageError(f"no {CASE_FILE} found under {path}")
            yield from found
        else:
            raise UsageError(f"no such file or folder: {path}")


def run(args: argparse.Namespace) -> int:
    files = list(case_files(args.paths))
    invalid = problems = 0
    for file in files:
        try:
            load_case(file)
        except CaseError as exc:
            invalid += 1
            problems += len(exc.problems)
            for problem in exc.problems:
                print(problem)
        else:
            if not args.quiet:
                print(f"{one_line(str(file))}: ok")
    noun = "case" if len(files) == 1 else "cases"
    summary = f"{len(files)} {noun} checked: {len(files) - invalid} valid, {invalid} invalid"
    if problems:
        summary += f" ({problems} problem{'s' if problems != 1 else ''})"
    print(summary)
    return EXIT_FAILED if invalid else EXIT_OK
