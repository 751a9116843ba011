"""``casebook keygen`` and ``casebook verify``: signing keys and signed result files."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from casebook_player.commands import EXIT_FAILED, EXIT_OK, Failed
from casebook_player.commands.output import passphrase
from casebook_player.core.crypto.keys import (
    KeyFileError,
    generate_keypair,
    jwk_thumbprint,
    load_private_key,
    load_public_key,
)
from casebook_player.core.crypto.signing import SignatureError, verify_document
from casebook_player.core.printable import one_line
from casebook_player.core.session.results import (
    custody_flags,
    custody_lines,
    score_headline,
    score_summary,
)

_ENCRYPTED_LABEL = b"-----BEGIN ENCRYPTED PRIVATE KEY-----"


def add_parsers(verbs: Any) -> None:
    keygen = verbs.add_parser("keygen", help="make an Ed25519 key pair for signing results")
    keygen.add_argument("--out", type=Path, required=True, metavar="DIR")
    keygen.add_argument(
        "--passphrase", action="store_true", help="protect the private key with a passphrase"
    )
    keygen.set_defaults(func=run_keygen)

    verify = verbs.add_parser("verify", help="check signed result files")
    verify.add_argument(
        "results",
        type=Path,
        nargs="+",
        metavar="RESULT",
        help="a result file, or a folder: every *.json file in it",
    )
    verify.add_argument("--key", type=Path, required=True, metavar="PUBLIC_KEY")
    verify.add_argument(
        "--revocations", type=Path, metavar="FILE", help="for a badge: the revocation list"
    )
    verify.set_defaults(func=run_verify)


def load_signing_key(path: Path) -> Ed25519PrivateKey:
    """The private key at ``path``, asking for its passphrase when it has one."""
    try:
        protected = _ENCRYPTED_LABEL in path.read_bytes()[:4096]
    except OSError:
        protected = False  # load_private_key says what is wrong with the path
    try:
        secret = passphrase(f"Passphrase for {path}: ") if protected else None
        return load_private_key(path, secret)
    except KeyFileError as exc:
        raise Failed(str(exc)) from None


def run_keygen(args: argparse.Namespace) -> int:
    secret = None
    if args.passphrase:
        secret = passphrase("New passphrase: ")
        if not secret:
            raise Failed("the passphrase is empty")
    try:
        private, public = generate_keypair(args.out, secret)
    except KeyFileError as exc:
        raise Failed(str(exc)) from None
    print(f"private key: {private} (keep it secret; mode 0600)")
    print(f"public key:  {public} (give it to whoever verifies results)")
    print(f"key id:      {jwk_thumbprint(load_public_key(public))}")
    return EXIT_OK


def run_verify(args: argparse.Namespace) -> int:
    """One file: its scores in full. More: a line each, then the count (one process, fast)."""
    try:
        key = load_public_key(args.key)
    except KeyFileError as exc:
        raise Failed(str(exc)) from None
    paths = result_paths(args.results)
    if len(paths) == 1 and _is_badge(paths[0]):
        from casebook_player.commands.badges import verify_badge_file

        return verify_badge_file(paths[0], key, args.revocations)
    if not paths:
        raise Failed("no result files (*.json) in " + ", ".join(map(str, args.results)))
    key_id = jwk_thumbprint(key)
    invalid = 0
    for path in paths:
        outcome = verified_result(path, key)
        if isinstance(outcome, str):
            invalid += 1
            print(f"NOT VALID: {one_line(str(path))}: {one_line(outcome)}")
        elif len(paths) == 1:
            print(f"valid signature: {one_line(str(path))} (key id {key_id})")
            print(score_summary(outcome))
        else:
            listed = [*score_headline(outcome), *custody_flags(outcome)]
            print(f"valid: {one_line(str(path))} · " + " · ".join(listed))
    if len(paths) > 1:
        print(f"{len(paths) - invalid} valid, {invalid} not valid (key id {key_id})")
    return EXIT_FAILED if invalid else EXIT_OK


def _is_badge(path: Path) -> bool:
    from casebook_player.core.certification.badge import looks_like_badge

    try:
        with path.open("rb") as file:
            return looks_like_badge(file.read(4096))
    except OSError:
        return False  # verified_result says what is wrong with the path


def result_paths(arguments: list[Path]) -> list[Path]:
    """The files named, with each folder replaced by its *.json files in name order."""
    paths: list[Path] = []
    for argument in arguments:
        paths.extend(sorted(argument.glob("*.json")) if argument.is_dir() else [argument])
    return paths


def verified_result(path: Path, key: Ed25519PublicKey) -> dict[str, Any] | str:
    """The result document signed by `key` in `path`, or why there is none."""
    try:
        document = verify_document(path.read_bytes(), key)
    except OSError as exc:
        return f"cannot read it: {exc.strerror}"
    except SignatureError as exc:
        return str(exc)
    try:
        score_headline(document)
        custody_lines(document)
    except (KeyError, TypeError, ValueError, AttributeError):
        return "the signature is valid but the document is not a result"
    return document
