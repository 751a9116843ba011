"""``casebook preview CASE``: the item writers' view, reloading on save."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from casebook_player.commands import UsageError


def add_parsers(verbs: Any) -> None:
    parser = verbs.add_parser("preview", help="preview a case script: keys, jumps, live reload")
    parser.add_argument("case", type=Path, metavar="CASE", help="a case folder or its case.yaml")
    parser.add_argument("--backend", choices=("auto", "qt", "vlc"), default="auto")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if not args.case.exists():
        raise UsageError(f"no such case: {args.case}")
    from casebook_player.ui.preview import run_preview

    return run_preview(args.case, args.backend)
