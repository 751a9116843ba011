"""``casebook keygen`` and ``casebook verify``: signing keys and signed result files."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from casebook_player.commands import EXIT_FAILED, EXIT_OK, Failed
from casebook_player.commands.output import passphrase
from casebook_player.core.keys import (
    KeyFileError,
    generate_keypair,
    jwk_thumbprint,
    load_private_key,
    load_public_key,
)
from casebook_player.core.results import score_summary
from casebook_player.core.signing import SignatureError, verify_result

_ENCRYPTED_LABEL = b"-----BEGIN ENCRYPTED PRIVATE KEY-----"


def add_parsers(verbs: Any) -> None:
    keygen = verbs.add_parser("keygen", help="make an Ed25519 key pair for signing results")
    keygen.add_argument("--out", type=Path, required=True, metavar="DIR")
    keygen.add_argument(
        "--passphrase", action="store_true", help="protect the private key with a passphrase"
    )
    keygen.set_defaults(func=run_keygen)

    verify = verbs.add_parser("verify", help="check a signed result file")
    verify.add_argument("result", type=Path, metavar="RESULT")
    verify.add_argument("--key", type=Path, required=True, metavar="PUBLIC_KEY")
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
    try:
        key = load_public_key(args.key)
        data = args.result.read_bytes()
    except KeyFileError as exc:
        raise Failed(str(exc)) from None
    except OSError as exc:
        raise Failed(f"cannot read {args.result}: {exc.strerror}") from None
    try:
        document = verify_result(data, key)
    except SignatureError as exc:
        print(f"NOT VALID: {args.result}: {exc}")
        return EXIT_FAILED
    print(f"valid signature: {args.result} (key id {jwk_thumbprint(key)})")
    try:
        print(score_summary(document))
    except (KeyError, TypeError, ValueError):
        raise Failed("the signature is valid but the document is not a result") from None
    return EXIT_OK
