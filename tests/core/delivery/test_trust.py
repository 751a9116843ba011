"""Trusted author keys: a folder of public key files."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from casebook_player.core.crypto.keys import (
    KeyFileError,
    generate_keypair,
    jwk_thumbprint,
    public_jwk,
)
from casebook_player.core.delivery.trust import load_trusted_keys, trust_key
from casebook_player.core.paths import trusted_authors_dir


def test_default_folder_is_in_the_user_config_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    assert trusted_authors_dir() == tmp_path / "casebook-player" / "trusted-authors"
    assert load_trusted_keys().keys == {}  # no folder: no one is trusted


def test_trust_adds_a_pem_key_once_and_reads_jwk_files(tmp_path: Path) -> None:
    _, public = generate_keypair(tmp_path / "author")
    folder = tmp_path / "trusted"
    kid, file, new = trust_key(public, folder)
    assert new and file == folder / f"{kid}.pub"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert trust_key(public, folder)[2] is False
    other = Ed25519PrivateKey.generate().public_key()
    (folder / "other.jwk").write_text(json.dumps(public_jwk(other)))
    trusted = load_trusted_keys(folder)
    assert set(trusted.keys) == {kid, jwk_thumbprint(other)}
    assert trusted.files[kid] == file and trusted.problems == []


def test_unusable_key_files_are_skipped_and_named(tmp_path: Path) -> None:
    folder = tmp_path / "trusted"
    folder.mkdir()
    (folder / "broken.pub").write_text("not a key")
    (folder / "notes.txt").write_text("ignored: not a key file name")
    generate_keypair(tmp_path / "k")
    (folder / "private.pub").write_bytes((tmp_path / "k" / "casebook-signing.key").read_bytes())
    trusted = load_trusted_keys(folder)
    assert trusted.keys == {}
    assert len(trusted.problems) == 2
    assert all(p.startswith("ignoring ") for p in trusted.problems)
    assert any("is a private key" in p for p in trusted.problems)


def test_trusting_a_private_key_is_refused(tmp_path: Path) -> None:
    private, _ = generate_keypair(tmp_path / "k")
    with pytest.raises(KeyFileError, match="is a private key"):
        trust_key(private, tmp_path / "trusted")
