"""Ed25519 signing keys: create the key pair files, load them back, name a key by its thumbprint.

The private key is PKCS#8 PEM (`casebook-signing.key`), optionally encrypted with a passphrase;
the public key is SubjectPublicKeyInfo PEM (`casebook-signing.pub`). A public key may also be
given as an Ed25519 JWK (RFC 8037) in a JSON file.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed448, rsa, x448, x25519
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from casebook_player.core import jsontext
from casebook_player.core.crypto import b64url

PRIVATE_KEY_NAME = "casebook-signing.key"
PUBLIC_KEY_NAME = "casebook-signing.pub"

# Key files are a few hundred bytes; anything much larger was picked by mistake.
_MAX_KEY_FILE_BYTES = 64 * 1024
_PEM_LABEL = re.compile(rb"-----BEGIN ([A-Z0-9 ]+)-----")


class KeyFileError(Exception):
    """A key file is missing, unreadable or not a usable Ed25519 key; the message says why."""


def generate_keypair(out_dir: Path, passphrase: bytes | None = None) -> tuple[Path, Path]:
    """Create a new key pair in `out_dir` and return (private key path, public key path).

    Never replaces existing key files: results signed with the old key could no longer be
    checked. The private key file is created with mode 0600 in the same call that creates it,
    so it is never readable by others, not even for an instant (on Windows it gets the
    folder's permissions instead). With a `passphrase` the private key is encrypted.
    """
    if passphrase is not None and not passphrase:
        raise ValueError("empty passphrase: pass None to create a key without one")
    out_dir = Path(out_dir)
    private_path, public_path = out_dir / PRIVATE_KEY_NAME, out_dir / PUBLIC_KEY_NAME
    existing = [p for p in (private_path, public_path) if os.path.lexists(p)]
    if existing:
        raise KeyFileError(
            f"not overwriting the existing key file {existing[0]}: results signed with that key "
            "could no longer be verified against a new one. Move the old pair elsewhere first "
            "if you really mean to replace it."
        )
    out_dir.mkdir(mode=0o700, parents=True, exist_ok=True)

    key = Ed25519PrivateKey.generate()
    encryption: serialization.KeySerializationEncryption = (
        serialization.BestAvailableEncryption(passphrase)
        if passphrase
        else serialization.NoEncryption()
    )
    private_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
    )
    public_pem = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    write_new_file(private_path, private_pem, 0o600)
    try:
        write_new_file(public_path, public_pem, 0o644)
    except BaseException:
        private_path.unlink(missing_ok=True)  # never leave half a pair behind
        raise
    return private_path, public_path


def load_private_key(path: Path, passphrase: bytes | None = None) -> Ed25519PrivateKey:
    """Load the Ed25519 private key written by `generate_keypair`. Raises KeyFileError."""
    path = Path(path)
    data = _read_key_file(path, "signing key")
    label = _pem_label(data)
    if label is None:
        raise KeyFileError(
            f"{path} is not a key file (no PEM data): expected the {PRIVATE_KEY_NAME} "
            "written when the key pair was made"
        )
    if label == "PUBLIC KEY":
        raise KeyFileError(
            f"{path} is a public key: signing needs the private key ({PRIVATE_KEY_NAME})"
        )
    if label not in ("PRIVATE KEY", "ENCRYPTED PRIVATE KEY"):
        raise KeyFileError(
            f"{path} holds a PEM '{label}', not an Ed25519 PKCS#8 private key: use the "
            f"{PRIVATE_KEY_NAME} written when the key pair was made"
        )
    encrypted = label == "ENCRYPTED PRIVATE KEY"
    if encrypted and passphrase is None:
        raise KeyFileError(f"{path} is protected by a passphrase: give the passphrase")
    if not encrypted and passphrase is not None:
        raise KeyFileError(
            f"{path} is not protected by a passphrase: load it without one (and keep it "
            "somewhere only you can read)"
        )
    try:
        key = serialization.load_pem_private_key(data, password=passphrase)
    except (ValueError, TypeError, UnsupportedAlgorithm):
        if encrypted:
            raise KeyFileError(f"wrong passphrase for {path} (or the file is damaged)") from None
        raise KeyFileError(f"{path} is damaged: its PEM data is not a valid key") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise KeyFileError(
            f"{path} holds {_describe(key)} key, not Ed25519: result files are signed with "
            "Ed25519 keys made by the player"
        )
    return key


def load_public_key(path: Path) -> Ed25519PublicKey:
    """Load an Ed25519 public key from a PEM file or a JWK JSON file. Raises KeyFileError."""
    path = Path(path)
    data = _read_key_file(path, "public key")
    if data.lstrip().startswith(b"{"):
        return _public_key_from_jwk(data, path)
    label = _pem_label(data)
    if label is None:
        raise KeyFileError(
            f"{path} is not a public key file: expected a PEM {PUBLIC_KEY_NAME} or an "
            "Ed25519 JWK in JSON"
        )
    if "PRIVATE KEY" in label:
        raise KeyFileError(
            f"{path} is a private key: verifying needs only the public key "
            f"({PUBLIC_KEY_NAME}); keep the private key to its owner"
        )
    if label != "PUBLIC KEY":
        raise KeyFileError(f"{path} holds a PEM '{label}', not an Ed25519 public key")
    try:
        key = serialization.load_pem_public_key(data)
    except (ValueError, UnsupportedAlgorithm):
        raise KeyFileError(f"{path} is damaged: its PEM data is not a valid key") from None
    if not isinstance(key, Ed25519PublicKey):
        raise KeyFileError(f"{path} holds {_describe(key)} key, not Ed25519")
    return key


def public_jwk(key: Ed25519PublicKey) -> dict[str, str]:
    """The public key as a JWK (RFC 8037 §2): {"kty": "OKP", "crv": "Ed25519", "x": ...}."""
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return {"kty": "OKP", "crv": "Ed25519", "x": b64url.encode(raw)}


def jwk_thumbprint(key: Ed25519PublicKey) -> str:
    """The RFC 7638 SHA-256 thumbprint of the key's JWK: a short, stable key id."""
    # RFC 7638 §3: the required members only, sorted, no whitespace; `public_jwk` has exactly
    # the required members of an OKP key.
    members = json.dumps(public_jwk(key), sort_keys=True, separators=(",", ":"))
    return b64url.encode(hashlib.sha256(members.encode("ascii")).digest())


def write_new_file(path: Path, data: bytes, mode: int) -> None:
    """Create `path` with `mode` and write `data`; KeyFileError if anything is already there."""
    # O_EXCL makes "does not exist yet" and "create" one step; O_NOFOLLOW keeps a planted
    # symlink from redirecting the write. The mode is applied at creation (umask can only
    # narrow it), so a private key is never readable by others.
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    flags |= getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags, mode)
    except FileExistsError:
        raise KeyFileError(f"not overwriting the existing key file {path}") from None
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
    except BaseException:
        path.unlink(missing_ok=True)
        raise


def _read_key_file(path: Path, what: str) -> bytes:
    try:
        with path.open("rb") as file:
            data = file.read(_MAX_KEY_FILE_BYTES + 1)
    except FileNotFoundError:
        raise KeyFileError(f"no {what} file at {path}: check the path") from None
    except IsADirectoryError:
        raise KeyFileError(f"{path} is a folder, not a {what} file") from None
    except OSError as exc:
        raise KeyFileError(f"cannot read the {what} file {path}: {exc.strerror}") from None
    if len(data) > _MAX_KEY_FILE_BYTES:
        raise KeyFileError(f"{path} is not a {what} file (far too large)")
    if not data.strip():
        raise KeyFileError(f"{path} is empty: it holds no {what}")
    return data


def _pem_label(data: bytes) -> str | None:
    match = _PEM_LABEL.search(data)
    return match.group(1).decode("ascii") if match else None


def _public_key_from_jwk(data: bytes, path: Path) -> Ed25519PublicKey:
    try:
        jwk = jsontext.loads(data)
    except ValueError as exc:
        raise KeyFileError(f"{path} is not a public key: not valid JSON ({exc})") from None
    if not isinstance(jwk, dict):
        raise KeyFileError(f"{path} is not a JWK: expected a JSON object")
    if "d" in jwk:
        raise KeyFileError(
            f"{path} is a private JWK (it has 'd'): give only the public key, and keep the "
            "private key to its owner"
        )
    if jwk.get("kty") != "OKP" or jwk.get("crv") != "Ed25519":
        raise KeyFileError(
            f"{path} is a JWK with kty={jwk.get('kty')!r}, crv={jwk.get('crv')!r}: "
            "expected an Ed25519 key (kty 'OKP', crv 'Ed25519')"
        )
    x = jwk.get("x")
    try:
        raw = b64url.decode(x) if isinstance(x, str) else b""
        return Ed25519PublicKey.from_public_bytes(raw)
    except ValueError:
        raise KeyFileError(
            f"{path} is a damaged JWK: 'x' must be the 32-byte key in base64url"
        ) from None


_KEY_KINDS: tuple[tuple[tuple[type, ...], str], ...] = (
    ((rsa.RSAPrivateKey, rsa.RSAPublicKey), "an RSA"),
    ((ec.EllipticCurvePrivateKey, ec.EllipticCurvePublicKey), "an elliptic-curve (ECDSA)"),
    ((dsa.DSAPrivateKey, dsa.DSAPublicKey), "a DSA"),
    ((ed448.Ed448PrivateKey, ed448.Ed448PublicKey), "an Ed448"),
    ((x25519.X25519PrivateKey, x25519.X25519PublicKey), "an X25519 (encryption)"),
    ((x448.X448PrivateKey, x448.X448PublicKey), "an X448 (encryption)"),
)


def _describe(key: object) -> str:
    for kinds, name in _KEY_KINDS:
        if isinstance(key, kinds):
            return name
    return f"a {type(key).__name__}"
