"""``casebook revoke``: add a badge to the programme's signed revocation list; and what
``casebook verify`` says of a badge (verified offline against the programme's key)."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from casebook_player.commands import EXIT_FAILED, EXIT_OK, Failed
from casebook_player.commands.certify import today_argument
from casebook_player.commands.keys import load_signing_key
from casebook_player.core.certification.badge import BadgeError, verification_code, verify_badge
from casebook_player.core.certification.revocation import (
    RevocationError,
    empty_list,
    read_list,
    revocation_of,
    with_revoked,
    write_list,
)
from casebook_player.core.printable import one_line


def add_parsers(verbs: Any) -> None:
    revoke = verbs.add_parser("revoke", help="revoke an issued badge (a signed revocation list)")
    revoke.add_argument("badge", type=Path, metavar="BADGE")
    revoke.add_argument("--key", type=Path, required=True, metavar="PROGRAMME_KEY")
    revoke.add_argument(
        "--list", type=Path, required=True, metavar="FILE", help="the revocation list (made anew)"
    )
    revoke.add_argument("--reason", required=True)
    revoke.add_argument("--today", metavar="YYYY-MM-DD", help="date the revocation")
    revoke.set_defaults(func=run_revoke)


def run_revoke(args: argparse.Namespace) -> int:
    key = load_signing_key(args.key)
    public = key.public_key()
    credential = _badge(args.badge, public)
    today: date = today_argument(args.today)
    try:
        document = (
            read_list(args.list, public)
            if args.list.exists()
            else empty_list(credential["issuer"]["id"])
        )
        document = with_revoked(document, credential, args.reason, today)
        write_list(args.list, document, key)
    except RevocationError as exc:
        raise Failed(str(exc)) from None
    except OSError as exc:
        raise Failed(f"cannot write {args.list}: {exc.strerror}") from None
    code = verification_code(credential["id"])
    count = len(document["revoked"])
    print(f"revoked {code} ({one_line(credential['name'])}); {count} in {args.list}")
    return EXIT_OK


def _badge(path: Path, key: Ed25519PublicKey) -> dict[str, Any]:
    try:
        return verify_badge(path.read_bytes(), [key])
    except OSError as exc:
        raise Failed(f"cannot read {path}: {exc.strerror}") from None
    except BadgeError as exc:
        raise Failed(f"{path}: {exc}") from None


def verify_badge_file(path: Path, key: Ed25519PublicKey, revocations: Path | None) -> int:
    """Print what a badge says once verified, and whether it is revoked; the exit status."""
    credential = _badge(path, key)
    subject = credential["credentialSubject"]
    names = {i["identityType"]: i["identityHash"] for i in subject.get("identifier", [])}
    code = verification_code(credential["id"])
    print(
        f"valid badge: {one_line(str(path))} (signed by {one_line(credential['issuer']['name'])})"
    )
    print(f"  {one_line(subject['achievement']['name'])}")
    who, identifier = one_line(names.get("name", "?")), one_line(names.get("identifier", "?"))
    print(f"  awarded to {who} ({identifier})")
    print(f"  valid from {one_line(credential['validFrom'])} · verification code {code}")
    if revocations is None:
        print("  revocation not checked (give --revocations FILE)")
        return EXIT_OK
    try:
        revoked = revocation_of(read_list(revocations, key), credential["id"])
    except RevocationError as exc:
        raise Failed(str(exc)) from None
    if revoked is None:
        print(f"  not revoked (list {one_line(str(revocations))})")
        return EXIT_OK
    print(f"REVOKED on {one_line(revoked.revoked_on)}: {one_line(revoked.reason)}")
    return EXIT_FAILED
