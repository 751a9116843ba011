"""The proctor PIN: kept only as a salted scrypt hash for the session, compared in constant time."""

from __future__ import annotations

import hashlib
import hmac
import os
from dataclasses import dataclass

MIN_LENGTH = 4


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


def check_new_pin(pin: str) -> None:
    if len(pin) < MIN_LENGTH or not pin.isdigit():
        raise PinError(f"the PIN must be at least {MIN_LENGTH} digits")


def _hash(pin: str, salt: bytes) -> bytes:
    return hashlib.scrypt(pin.encode(), salt=salt, n=2**14, r=8, p=1, dklen=32)
