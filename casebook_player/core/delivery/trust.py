"""Trusted author keys: the public keys whose signed case packages the player opens.

They are public key files (``*.pub``, PEM or Ed25519 JWK) in one folder, by default
``trusted-authors/`` in the user config folder. Whoever can write to that folder decides
which packages open, so it is created private (0700).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from casebook_player.core.crypto.keys import KeyFileError, jwk_thumbprint, load_public_key
from casebook_player.core.paths import trusted_authors_dir

KEY_SUFFIXES = (".pub", ".jwk")


@dataclass
class TrustedKeys:
    """Public keys by key id (RFC 7638 thumbprint); ``problems`` lists key files skipped."""

    keys: dict[str, Ed25519PublicKey] = field(default_factory=dict)
    source: str = "the given keys"
    problems: list[str] = field(default_factory=list)
    files: dict[str, Path] = field(default_factory=dict)

    @classmethod
    def of(cls, keys: Iterable[Ed25519PublicKey], source: str = "the given keys") -> TrustedKeys:
        return cls({jwk_thumbprint(key): key for key in keys}, source)


def load_trusted_keys(folder: Path | None = None) -> TrustedKeys:
    """Every readable key in ``folder``; a missing folder trusts no one."""
    folder = folder or trusted_authors_dir()
    trusted = TrustedKeys(source=str(folder))
    try:
        files = sorted(p for p in folder.iterdir() if p.suffix in KEY_SUFFIXES)
    except FileNotFoundError:
        return trusted
    except OSError as exc:
        trusted.problems.append(f"cannot read {folder}: {exc.strerror}")
        return trusted
    for file in files:
        try:
            key = load_public_key(file)
        except KeyFileError as exc:
            trusted.problems.append(f"ignoring {file}: {exc}")
            continue
        kid = jwk_thumbprint(key)
        trusted.keys[kid] = key
        trusted.files[kid] = file
    return trusted


def trust_key(public_key_file: Path, folder: Path | None = None) -> tuple[str, Path, bool]:
    """Add a public key to the trusted folder as ``<key id>.pub``.

    Returns (key id, its file, whether it was new). Raises KeyFileError.
    """
    folder = folder or trusted_authors_dir()
    key = load_public_key(public_key_file)
    kid = jwk_thumbprint(key)
    existing = load_trusted_keys(folder)
    target = folder / f"{kid}.pub"
    if kid in existing.keys:
        return kid, target, False
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    pem = key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    try:
        with target.open("xb") as file:
            file.write(pem)
    except OSError as exc:
        raise KeyFileError(f"cannot write {target}: {exc.strerror}") from None
    return kid, target, True
