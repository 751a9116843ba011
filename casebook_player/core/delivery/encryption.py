"""Encryption of case package members: AES-256-GCM with a key from a passphrase or a key file.

A delivery passphrase becomes a key through scrypt (RFC 7914) with a random salt kept in the
manifest; a key file holds the 32-byte key itself (raw, or as 64 hex digits). Every member is
sealed on its own with a fresh random 96-bit nonce, stored in front of the ciphertext, and
the member's name as associated data, so a member cannot be moved under another name.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

CIPHER = "AES-256-GCM"
KEY_BYTES = 32
NONCE_BYTES = 12
TAG_BYTES = 16
SEAL_OVERHEAD = NONCE_BYTES + TAG_BYTES
SALT_BYTES = 16

# scrypt cost for new packages: 128 MiB of memory and a few tenths of a second per guess.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**17, 8, 1
# Opening accepts no more than that: a package asking n=2^20, r=16, p=16 cost 67 s and
# 2.1 GB for each passphrase tried. Checked before deriving anything.
MAX_SCRYPT_N, MAX_SCRYPT_R, MAX_SCRYPT_P = 2**17, 8, 1
MIN_PASSPHRASE_CHARS = 8

_AD_PREFIX = b"casebook-package/1\x00"
_HEX_KEY = re.compile(rb"\s*([0-9a-fA-F]{64})\s*")
WRONG_SECRET = "wrong delivery passphrase or key file"


class CryptoError(Exception):
    """A key cannot be made or a member cannot be decrypted; the message says why."""


class WrongSecret(CryptoError):
    """The passphrase or key file is not the one the package was encrypted with."""

    def __init__(self) -> None:
        super().__init__(WRONG_SECRET)


@dataclass(frozen=True)
class ScryptParams:
    salt: bytes
    n: int = SCRYPT_N
    r: int = SCRYPT_R
    p: int = SCRYPT_P

    @classmethod
    def new(cls) -> ScryptParams:
        return cls(os.urandom(SALT_BYTES), SCRYPT_N, SCRYPT_R, SCRYPT_P)

    def check(self) -> None:
        """Refuse parameters no package of ours uses (and that could exhaust memory or time)."""
        power_of_two = self.n > 1 and self.n & (self.n - 1) == 0
        if not (power_of_two and self.r >= 1 and self.p >= 1 and len(self.salt) >= SALT_BYTES):
            raise CryptoError(
                f"unsupported scrypt parameters (n={self.n}, r={self.r}, p={self.p}, "
                f"salt of {len(self.salt)} bytes)"
            )
        if self.n > MAX_SCRYPT_N or self.r > MAX_SCRYPT_R or self.p > MAX_SCRYPT_P:
            raise CryptoError(
                f"the package asks for a costlier key derivation than this player allows "
                f"(scrypt n={self.n}, r={self.r}, p={self.p}; at most n={MAX_SCRYPT_N}, "
                f"r={MAX_SCRYPT_R}, p={MAX_SCRYPT_P}): refused without trying the passphrase"
            )


def passphrase_bytes(text: str) -> bytes:
    """A typed passphrase as bytes: NFC-normalised UTF-8, so every keyboard gives the same."""
    return unicodedata.normalize("NFC", text).encode("utf-8")


def key_from_passphrase(passphrase: bytes, params: ScryptParams) -> bytes:
    """The 32-byte key scrypt derives from ``passphrase`` with ``params``."""
    if not passphrase:
        raise CryptoError("the delivery passphrase is empty")
    params.check()
    kdf = Scrypt(salt=params.salt, length=KEY_BYTES, n=params.n, r=params.r, p=params.p)
    return kdf.derive(passphrase)


def read_key_file(path: Path) -> bytes:
    """The key in a delivery key file: 32 raw bytes or 64 hex digits. Raises CryptoError."""
    try:
        with Path(path).open("rb") as file:
            data = file.read(1024)
    except FileNotFoundError:
        raise CryptoError(f"no key file at {path}") from None
    except IsADirectoryError:
        raise CryptoError(f"{path} is a folder, not a key file") from None
    except OSError as exc:
        raise CryptoError(f"cannot read the key file {path}: {exc.strerror}") from None
    match = _HEX_KEY.fullmatch(data)
    if match:
        return bytes.fromhex(match.group(1).decode("ascii"))
    if len(data) == KEY_BYTES:
        return data
    raise CryptoError(
        f"{path} is not a delivery key file: expected 32 bytes or 64 hex digits, "
        f"found {len(data)} bytes"
    )


def write_new_key_file(path: Path) -> bytes:
    """Create ``path`` (mode 0600, never over an existing file) holding a new random key."""
    key = os.urandom(KEY_BYTES)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags, 0o600)
    except FileExistsError:
        raise CryptoError(f"not overwriting the existing file {path}") from None
    except OSError as exc:
        raise CryptoError(f"cannot create the key file {path}: {exc.strerror}") from None
    with os.fdopen(fd, "wb") as file:
        file.write(key.hex().encode("ascii") + b"\n")
        file.flush()
        os.fsync(file.fileno())
    return key


def key_check(key: bytes) -> bytes:
    """A value the signed manifest carries to tell a wrong key from an altered index: an
    HMAC of a fixed label, which says nothing of the key to whoever lacks it."""
    return hmac.new(key, b"casebook package key check", hashlib.sha256).digest()[:16]


def check_key(key: bytes, expected: bytes | None) -> None:
    """WrongSecret unless ``key`` gives the manifest's check value (None: not recorded)."""
    if expected is not None and not hmac.compare_digest(key_check(key), expected):
        raise WrongSecret()


def seal(key: bytes, name: str, plaintext: bytes) -> bytes:
    """nonce || AES-GCM(plaintext) || tag, bound to the member ``name``."""
    nonce = os.urandom(NONCE_BYTES)
    return nonce + AESGCM(key).encrypt(nonce, plaintext, _AD_PREFIX + name.encode("utf-8"))


def nonce_of(sealed: bytes) -> bytes:
    return sealed[:NONCE_BYTES]


def unseal(key: bytes, name: str, sealed: bytes) -> bytes:
    """The plaintext of a sealed member; WrongSecret when it does not authenticate.

    The key or the member is wrong: once one member has authenticated with the key (the
    index, opened first), a failure means the member was altered, swapped or cut.
    """
    if len(sealed) < SEAL_OVERHEAD:
        raise CryptoError(f"the encrypted member {name} is too short")
    nonce, body = sealed[:NONCE_BYTES], sealed[NONCE_BYTES:]
    try:
        return AESGCM(key).decrypt(nonce, body, _AD_PREFIX + name.encode("utf-8"))
    except InvalidTag:
        raise WrongSecret() from None
