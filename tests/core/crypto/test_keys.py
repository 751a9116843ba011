"""Signing key files: creation, permissions, loading and every way loading can go wrong."""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa, x25519
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from joserfc.jwk import OKPKey

from casebook_player.core.crypto import b64url
from casebook_player.core.crypto.keys import (
    PRIVATE_KEY_NAME,
    PUBLIC_KEY_NAME,
    KeyFileError,
    generate_keypair,
    jwk_thumbprint,
    load_private_key,
    load_public_key,
    public_jwk,
)

posix_only = pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")


@pytest.fixture
def permissive_umask() -> Iterator[None]:
    """Run with umask 0, so only the mode the code asks for can keep a file private."""
    old = os.umask(0)
    try:
        yield
    finally:
        os.umask(old)


def _raw(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def _pem_private(key: object) -> bytes:
    return key.private_bytes(  # type: ignore[attr-defined, no-any-return]
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def _pem_public(key: object) -> bytes:
    return key.public_bytes(  # type: ignore[attr-defined, no-any-return]
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


# --- generate_keypair -------------------------------------------------------------------------


def test_generates_a_matching_pair_with_the_agreed_names(tmp_path: Path) -> None:
    private_path, public_path = generate_keypair(tmp_path)
    assert (private_path.name, public_path.name) == (PRIVATE_KEY_NAME, PUBLIC_KEY_NAME)
    assert private_path.read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----")
    assert public_path.read_bytes().startswith(b"-----BEGIN PUBLIC KEY-----")
    private_key, public_key = load_private_key(private_path), load_public_key(public_path)
    public_key.verify(private_key.sign(b"message"), b"message")


def test_creates_the_output_folder(tmp_path: Path) -> None:
    private_path, _ = generate_keypair(tmp_path / "new" / "keys")
    assert private_path.exists()


@posix_only
def test_private_key_is_created_owner_only_whatever_the_umask(
    tmp_path: Path, permissive_umask: None
) -> None:
    private_path, public_path = generate_keypair(tmp_path)
    assert stat.S_IMODE(private_path.stat().st_mode) == 0o600
    assert stat.S_IMODE(public_path.stat().st_mode) == 0o644


@posix_only
def test_private_key_is_never_opened_with_a_wider_mode(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The mode is given to open(2) itself, not set by a chmod after the file exists."""
    opened: dict[str, int] = {}
    real_open = os.open

    def spy(path: str | os.PathLike[str], flags: int, mode: int = 0o777) -> int:
        opened[os.fspath(path)] = mode
        assert flags & os.O_EXCL and flags & os.O_CREAT
        return real_open(path, flags, mode)

    monkeypatch.setattr(os, "open", spy)
    private_path, _ = generate_keypair(tmp_path)
    assert opened[os.fspath(private_path)] == 0o600


def test_refuses_to_overwrite_an_existing_pair(tmp_path: Path) -> None:
    private_path, public_path = generate_keypair(tmp_path)
    before = private_path.read_bytes(), public_path.read_bytes()
    with pytest.raises(KeyFileError, match="not overwriting the existing key file"):
        generate_keypair(tmp_path)
    assert (private_path.read_bytes(), public_path.read_bytes()) == before


def test_refuses_when_only_the_public_key_exists_and_creates_nothing(tmp_path: Path) -> None:
    (tmp_path / PUBLIC_KEY_NAME).write_bytes(b"keep me")
    with pytest.raises(KeyFileError, match="not overwriting"):
        generate_keypair(tmp_path)
    assert not (tmp_path / PRIVATE_KEY_NAME).exists()
    assert (tmp_path / PUBLIC_KEY_NAME).read_bytes() == b"keep me"


@posix_only
def test_refuses_a_dangling_symlink_in_place_of_the_private_key(tmp_path: Path) -> None:
    (tmp_path / PRIVATE_KEY_NAME).symlink_to(tmp_path / "elsewhere")
    with pytest.raises(KeyFileError, match="not overwriting"):
        generate_keypair(tmp_path)
    assert not (tmp_path / "elsewhere").exists()


def test_a_failed_write_leaves_no_half_pair(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = 0
    real_fsync = os.fsync

    def fsync_fails_second_time(fd: int) -> None:
        nonlocal calls
        calls += 1
        if calls == 2:
            raise OSError(28, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync_fails_second_time)
    with pytest.raises(OSError, match="No space"):
        generate_keypair(tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_passphrase_round_trip(tmp_path: Path) -> None:
    private_path, public_path = generate_keypair(tmp_path, passphrase=b"correct horse")
    assert private_path.read_bytes().startswith(b"-----BEGIN ENCRYPTED PRIVATE KEY-----")
    key = load_private_key(private_path, passphrase=b"correct horse")
    assert _raw(key.public_key()) == _raw(load_public_key(public_path))


def test_empty_passphrase_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="empty passphrase"):
        generate_keypair(tmp_path, passphrase=b"")
    assert list(tmp_path.iterdir()) == []


# --- load_private_key ---------------------------------------------------------------------------


def test_wrong_passphrase(tmp_path: Path) -> None:
    private_path, _ = generate_keypair(tmp_path, passphrase=b"correct horse")
    with pytest.raises(KeyFileError, match="wrong passphrase"):
        load_private_key(private_path, passphrase=b"battery staple")


def test_encrypted_key_needs_its_passphrase(tmp_path: Path) -> None:
    private_path, _ = generate_keypair(tmp_path, passphrase=b"correct horse")
    with pytest.raises(KeyFileError, match="protected by a passphrase: give the passphrase"):
        load_private_key(private_path)


def test_passphrase_for_an_unprotected_key_is_refused(tmp_path: Path) -> None:
    private_path, _ = generate_keypair(tmp_path)
    with pytest.raises(KeyFileError, match="not protected by a passphrase"):
        load_private_key(private_path, passphrase=b"anything")


def test_missing_private_key(tmp_path: Path) -> None:
    with pytest.raises(KeyFileError, match=r"no signing key file at .*check the path"):
        load_private_key(tmp_path / PRIVATE_KEY_NAME)


def test_folder_instead_of_a_key(tmp_path: Path) -> None:
    with pytest.raises(KeyFileError, match="is a folder"):
        load_private_key(tmp_path)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "is empty"),
        (b"\n  \n", "is empty"),
        (b"hello, I am a text file", "not a key file"),
        (bytes(range(256)), "not a key file"),
        (b"-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n", "damaged"),
        (b"x" * (64 * 1024 + 1), "far too large"),
        (b"-----BEGIN OPENSSH PRIVATE KEY-----\n", "PEM 'OPENSSH PRIVATE KEY'"),
    ],
    ids=["empty", "blank", "text", "random", "damaged-pem", "huge", "openssh"],
)
def test_garbage_private_key_files(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / PRIVATE_KEY_NAME
    path.write_bytes(content)
    with pytest.raises(KeyFileError, match=message):
        load_private_key(path)


@pytest.mark.parametrize(
    ("make_key", "kind"),
    [
        (lambda: rsa.generate_private_key(public_exponent=65537, key_size=1024), "RSA"),
        (lambda: ec.generate_private_key(ec.SECP256R1()), "elliptic-curve"),
        (x25519.X25519PrivateKey.generate, "X25519"),
    ],
    ids=["rsa", "ecdsa", "x25519"],
)
def test_keys_of_another_type_are_refused(tmp_path: Path, make_key: object, kind: str) -> None:
    key = make_key()  # type: ignore[operator]
    private_path, public_path = tmp_path / "other.key", tmp_path / "other.pub"
    private_path.write_bytes(_pem_private(key))
    public_path.write_bytes(_pem_public(key.public_key()))
    with pytest.raises(KeyFileError, match=f"holds an? {kind}.* key, not Ed25519"):
        load_private_key(private_path)
    with pytest.raises(KeyFileError, match=f"holds an? {kind}.* key, not Ed25519"):
        load_public_key(public_path)


def test_public_key_given_where_the_private_key_is_needed(tmp_path: Path) -> None:
    _, public_path = generate_keypair(tmp_path)
    with pytest.raises(KeyFileError, match="is a public key: signing needs the private key"):
        load_private_key(public_path)


# --- load_public_key ----------------------------------------------------------------------------


def test_private_key_given_where_the_public_key_is_needed(tmp_path: Path) -> None:
    private_path, _ = generate_keypair(tmp_path)
    with pytest.raises(KeyFileError, match="is a private key: verifying needs only the public"):
        load_public_key(private_path)


def test_missing_public_key(tmp_path: Path) -> None:
    with pytest.raises(KeyFileError, match="no public key file at"):
        load_public_key(tmp_path / PUBLIC_KEY_NAME)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "is empty"),
        (b"not a key", "not a public key file"),
        (b"-----BEGIN PUBLIC KEY-----\nbm90IGEga2V5\n-----END PUBLIC KEY-----\n", "damaged"),
        (b"-----BEGIN CERTIFICATE-----\n", "PEM 'CERTIFICATE'"),
    ],
    ids=["empty", "text", "damaged-pem", "certificate"],
)
def test_garbage_public_key_files(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / PUBLIC_KEY_NAME
    path.write_bytes(content)
    with pytest.raises(KeyFileError, match=message):
        load_public_key(path)


def test_public_key_as_jwk(tmp_path: Path) -> None:
    key = Ed25519PrivateKey.generate().public_key()
    path = tmp_path / "key.jwk"
    path.write_text(json.dumps(public_jwk(key), indent=2))
    assert _raw(load_public_key(path)) == _raw(key)


@pytest.mark.parametrize(
    ("jwk", "message"),
    [
        ("[1, 2]", "not a public key file"),
        ("{not json", "not valid JSON"),
        ('{"kty": "OKP", "crv": "Ed25519", "x": "AAAA", "d": "AAAA"}', "private JWK"),
        ('{"kty": "RSA", "n": "AQAB", "e": "AQAB"}', "kty='RSA'"),
        ('{"kty": "OKP", "crv": "X25519", "x": "AAAA"}', "crv='X25519'"),
        ('{"kty": "OKP", "crv": "Ed25519", "x": "AAAA"}', "damaged JWK"),
        ('{"kty": "OKP", "crv": "Ed25519", "x": 7}', "damaged JWK"),
        ('{"kty": "OKP", "crv": "Ed25519"}', "damaged JWK"),
    ],
    ids=["array", "bad-json", "private", "rsa", "x25519", "short-x", "number-x", "no-x"],
)
def test_bad_jwk_files(tmp_path: Path, jwk: str, message: str) -> None:
    path = tmp_path / "key.jwk"
    path.write_text(jwk)
    with pytest.raises(KeyFileError, match=message):
        load_public_key(path)


# --- thumbprints --------------------------------------------------------------------------------


def test_thumbprint_matches_rfc_8037_example() -> None:
    # RFC 8037 appendix A.2 (public key) and A.3 (its RFC 7638 thumbprint).
    raw = b64url.decode("11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo")
    key = Ed25519PublicKey.from_public_bytes(raw)
    assert jwk_thumbprint(key) == "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k"


def test_thumbprint_matches_joserfc() -> None:
    key = Ed25519PrivateKey.generate().public_key()
    assert jwk_thumbprint(key) == OKPKey.import_key(key).thumbprint()
