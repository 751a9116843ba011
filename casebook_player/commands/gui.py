"""``casebook play CASE``: the player window (imports Qt only when a window is wanted), and
``casebook proctor-pin``: a centre's proctor PIN file for the kiosk."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path
from typing import Any

from casebook_player.commands import EXIT_OK, Failed, UsageError
from casebook_player.commands.keys import load_signing_key
from casebook_player.commands.packages import add_delivery_arguments, env_passphrase
from casebook_player.core.crypto.pin import PinError, PinHash
from casebook_player.core.delivery.private_temp import remove_stale_folders
from casebook_player.core.files import write_text_atomically

PIN_ENV = "CASEBOOK_PROCTOR_PIN"


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
    play.add_argument(
        "--pin-file",
        type=Path,
        metavar="FILE",
        help="with --kiosk: the centre's proctor PIN (from `casebook proctor-pin`), not one "
        "set at each start",
    )
    add_delivery_arguments(play)
    play.set_defaults(func=run_play)

    pin = verbs.add_parser(
        "proctor-pin",
        help="write a centre's proctor PIN file for `play --kiosk --pin-file`",
        description="The PIN is read from the CASEBOOK_PROCTOR_PIN environment variable, or "
        "asked twice on the terminal; the file holds only its salted scrypt hash. Keep it "
        "where the candidate's account can read but not write it (docs/test-centre.md).",
    )
    pin.add_argument("--out", type=Path, required=True, metavar="FILE")
    pin.set_defaults(func=run_proctor_pin)


def run_play(args: argparse.Namespace) -> int:
    if not args.case.exists():
        raise UsageError(f"no such case: {args.case}")
    if args.pin_file is not None and not args.proctor:
        raise UsageError("--pin-file goes with --kiosk (or --proctor)")
    pin = None
    if args.pin_file is not None:
        try:
            pin = PinHash.from_file(args.pin_file)
        except PinError as exc:
            raise Failed(str(exc)) from None
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
        proctor_pin=pin,
        trusted_dir=args.trusted,
        delivery_passphrase=env_passphrase(args.passphrase_env),
        delivery_key_file=args.key_file,
    )
    return run_player(args.case, options)


def run_proctor_pin(args: argparse.Namespace) -> int:
    text = os.environ.get(PIN_ENV)
    if text is None:
        if not sys.stdin.isatty():
            raise Failed(f"no terminal to ask for the PIN: set {PIN_ENV}")
        text = getpass.getpass("New proctor PIN: ")
        if getpass.getpass("The same PIN again: ") != text:
            raise Failed("the two PINs differ: nothing was written")
    try:
        hashed = PinHash.create(text)
    except PinError as exc:
        raise Failed(str(exc)) from None
    try:
        write_text_atomically(args.out, hashed.to_text())
        args.out.chmod(0o644)  # the kiosk user reads it; only its owner may replace it
    except OSError as exc:
        raise Failed(f"cannot write {args.out}: {exc.strerror or exc}") from None
    print(f"wrote {args.out}: the proctor PIN's salted hash; start with --kiosk --pin-file")
    return EXIT_OK
