"""``casebook play CASE``: the player window (imports Qt only when a window is wanted)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from casebook_player.commands import UsageError
from casebook_player.commands.keys import load_signing_key


def add_parsers(verbs: Any) -> None:
    play = verbs.add_parser("play", help="take a case in the player window")
    play.add_argument("case", type=Path, metavar="CASE", help="a case folder or its case.yaml")
    play.add_argument(
        "--backend",
        choices=("auto", "qt", "vlc"),
        default="auto",
        help="media backend (auto: Qt Multimedia, else libvlc)",
    )
    play.add_argument("--sign", type=Path, metavar="PRIVATE_KEY", help="sign the result file")
    play.add_argument("--journal-dir", type=Path, metavar="DIR", help="where journals are kept")
    play.add_argument("--results-dir", type=Path, metavar="DIR", help="where results are saved")
    play.add_argument("--high-contrast", action="store_true", help="high-contrast theme")
    play.add_argument(
        "--proctor", action="store_true", help="test-centre kiosk: full screen, PIN-protected"
    )
    play.set_defaults(func=run_play)


def run_play(args: argparse.Namespace) -> int:
    if not args.case.exists():
        raise UsageError(f"no such case: {args.case}")
    key = load_signing_key(args.sign) if args.sign is not None else None
    from casebook_player.ui.app import PlayerOptions, run_player

    options = PlayerOptions(
        backend=args.backend,
        journal_dir=args.journal_dir,
        results_dir=args.results_dir,
        signing_key=key,
        high_contrast=args.high_contrast,
        proctor=args.proctor,
    )
    return run_player(args.case, options)
