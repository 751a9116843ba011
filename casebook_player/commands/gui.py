"""``casebook play CASE``: the player window (imports Qt only when a window is wanted)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from casebook_player.commands import UsageError
from casebook_player.commands.keys import load_signing_key
from casebook_player.commands.packages import add_delivery_arguments, env_passphrase
from casebook_player.core.delivery.private_temp import remove_stale_folders


def add_parsers(verbs: Any) -> None:
    play = verbs.add_parser("play", help="take a case in the player window")
    play.add_argument(
        "case", type=Path, metavar="CASE", help="a signed package (.cbk), or a case folder"
    )
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
        "--proctor",
        "--kiosk",
        dest="proctor",
        action="store_true",
        help="test-centre kiosk: full screen, keyboard grabbed, PIN-protected",
    )
    add_delivery_arguments(play)
    play.set_defaults(func=run_play)


def run_play(args: argparse.Namespace) -> int:
    if not args.case.exists():
        raise UsageError(f"no such case: {args.case}")
    remove_stale_folders()  # decrypted media that a crashed player left behind
    key = load_signing_key(args.sign) if args.sign is not None else None
    from casebook_player.ui.app import PlayerOptions, run_player

    options = PlayerOptions(
        backend=args.backend,
        journal_dir=args.journal_dir,
        results_dir=args.results_dir,
        signing_key=key,
        high_contrast=args.high_contrast,
        proctor=args.proctor,
        trusted_dir=args.trusted,
        delivery_passphrase=env_passphrase(args.passphrase_env),
        delivery_key_file=args.key_file,
    )
    return run_player(args.case, options)
