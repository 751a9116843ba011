"""Authenticated hash chains: each record's MAC covers the record and the MAC before it, so a
record changed, removed, added or moved breaks every MAC after it.

The MAC key is either derived from the centre's Ed25519 signing key (HKDF-SHA256), which the
proctor unlocks and the candidate's account never holds, so the chain is tamper-proof; or a
machine key kept in a file beside the journals, which anyone using that account can read, so
the chain then only detects damage and careless edits, never a deliberate forgery.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from casebook_player.core.crypto import b64url
from casebook_player.core.crypto.keys import KeyFileError, jwk_thumbprint, write_new_file

GENESIS = bytes(32)  # what the first record's MAC chains from
MACHINE_KEY_NAME = "machine-chain.key"
_KEY_BYTES = 32


class ChainKeyError(Exception):
    """The machine key file cannot be used; the message says why."""


@dataclass(frozen=True)
class ChainKey:
    """A MAC key; ``key_id`` names it without revealing it, ``tamper_proof`` says whether the
    candidate's account can hold it."""

    secret: bytes = field(repr=False)
    key_id: str
    tamper_proof: bool

    @property
    def source(self) -> str:
        return "centre signing key" if self.tamper_proof else "machine key (not tamper-proof)"

    def for_purpose(self, purpose: str) -> ChainKey:
        """A key of its own for one use (a kind of journal, the ledger): a MAC made for one
        purpose never checks for another."""
        return ChainKey(_hkdf(self.secret, purpose.encode()), self.key_id, self.tamper_proof)

    def link(self, previous: bytes, body: bytes) -> bytes:
        return hmac.new(self.secret, previous + body, hashlib.sha256).digest()

    def matches(self, mac: bytes, previous: bytes, body: bytes) -> bool:
        return hmac.compare_digest(mac, self.link(previous, body))


def key_from_signing_key(private: Ed25519PrivateKey) -> ChainKey:
    """The chain key of the holder of the centre's signing key."""
    seed = private.private_bytes(
        serialization.Encoding.Raw,
        serialization.PrivateFormat.Raw,
        serialization.NoEncryption(),
    )
    secret = _hkdf(seed, b"casebook chain key/1")
    return ChainKey(secret, jwk_thumbprint(private.public_key())[:16], tamper_proof=True)


def machine_key(folder: Path) -> ChainKey:
    """The machine key in ``folder``, made on first use (mode 0600). Raises ChainKeyError."""
    path = folder / MACHINE_KEY_NAME
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    if not path.exists():
        # KeyFileError: another player made it at the same moment; read theirs.
        with contextlib.suppress(KeyFileError):
            write_new_file(path, os.urandom(_KEY_BYTES), 0o600)
    try:
        secret = path.read_bytes()
    except OSError as exc:
        raise ChainKeyError(f"cannot read the machine key {path}: {exc.strerror}") from None
    if len(secret) != _KEY_BYTES:
        raise ChainKeyError(
            f"the machine key {path} is damaged ({len(secret)} bytes, expected {_KEY_BYTES}): "
            "ask for support; journals made with it can no longer be checked"
        )
    key_id = b64url.encode(hashlib.sha256(b"casebook machine key id" + secret).digest())[:16]
    return ChainKey(secret, key_id, tamper_proof=False)


def _hkdf(secret: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=_KEY_BYTES, salt=None, info=info).derive(secret)
