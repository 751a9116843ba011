"""The proctor PIN: kept only as a salted scrypt hash, compared in constant time.

A hash is made for the session (the proctor sets a PIN when the player starts) or read from
a centre's PIN file (``PinHash.to_text``: one line, ``casebook-pin/1 SALT DIGEST``), which a
test centre keeps where the candidate's account can read but not write it: after a restart
the same PIN guards the attempt, not one whoever is at the machine sets.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from dataclasses import dataclass
from pathlib import Path

from casebook_player.core.crypto import b64url

MIN_LENGTH = 4
PIN_FILE_FORMAT = "casebook-pin/1"


class PinError(ValueError):
    """A PIN that cannot be used; the message says why."""


@dataclass(frozen=True)
class PinHash:
    salt: bytes
    digest: bytes

    @classmethod
    def create(cls, pin: str) -> PinHash:
        check_new_pin(pin)
        salt = os.urandom(16)
        return cls(salt, _hash(pin, salt))

    def matches(self, pin: str) -> bool:
        return hmac.compare_digest(self.digest, _hash(pin, self.salt))

    def to_text(self) -> str:
        return f"{PIN_FILE_FORMAT} {b64url.encode(self.salt)} {b64url.encode(self.digest)}\n"

    @classmethod
    def from_file(cls, path: Path) -> PinHash:
        """The hash in a PIN file; PinError saying what is wrong with it."""
        try:
            text = path.read_text(encoding="ascii")
        except (OSError, UnicodeDecodeError) as exc:
            raise PinError(f"cannot read the PIN file {path}: {exc}") from None
        parts = text.split()
        try:
            if len(parts) != 3 or parts[0] != PIN_FILE_FORMAT:
                raise ValueError
            salt, digest = b64url.decode(parts[1]), b64url.decode(parts[2])
        except ValueError:
            raise PinError(
                f"{path} is not a PIN file (make one with `casebook proctor-pin --out FILE`)"
            ) from None
        if len(salt) < 16 or len(digest) != 32:
            raise PinError(f"{path}: a damaged PIN file (make it again)")
        return cls(salt, digest)


def check_new_pin(pin: str) -> None:
    if len(pin) < MIN_LENGTH or not pin.isdigit():
        raise PinError(f"the PIN must be at least {MIN_LENGTH} digits")


def _hash(pin: str, salt: bytes) -> bytes:
    return hashlib.scrypt(pin.encode(), salt=salt, n=2**14, r=8, p=1, dklen=32)
