"""``casebook pack``, ``inspect``, ``trust``, and ``simulate`` on packages, headless."""

from __future__ import annotations

import sqlite3
import stat
from pathlib import Path
from typing import Any

import pytest
from packagetools import ANSWER_FIELD, flip_in, rewrite, secrets_of, write_secret_case

from casebook_player.cli import main
from casebook_player.core.delivery import encryption as package_crypto

PASSPHRASE = "correct horse battery staple"


@pytest.fixture(autouse=True)
def user_dirs(own_user_dirs: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """The test's own user folders, the delivery passphrase, cheap scrypt."""
    monkeypatch.setenv("DELIVERY", PASSPHRASE)
    monkeypatch.setattr(package_crypto, "SCRYPT_N", 2**12)


@pytest.fixture
def case(tmp_path: Path) -> tuple[Path, dict[str, Any]]:
    folder = tmp_path / "case"
    return folder, write_secret_case(folder)


@pytest.fixture
def keys(tmp_path: Path) -> tuple[Path, Path]:
    assert main(["keygen", "--out", str(tmp_path / "keys")]) == 0
    return tmp_path / "keys" / "casebook-signing.key", tmp_path / "keys" / "casebook-signing.pub"


def run(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    capsys.readouterr()
    status = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return status, out, err


def test_pack_trust_inspect_and_simulate_a_plain_package(
    case: tuple[Path, dict[str, Any]],
    keys: tuple[Path, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    package = tmp_path / "case.cbk"
    status, out, _ = run(capsys, "pack", case[0], "--sign", keys[0], "--out", package)
    assert status == 0, out
    assert f"packed {package}: case test-case 1.0.0, 12 files" in out
    assert "not encrypted: whoever has the file can read the case" in out
    assert "checked: the package verifies and the case in it is valid" in out

    status, out, _ = run(capsys, "inspect", package)
    assert status == 1
    assert "NOT trusted" in out and "NOT VERIFIED: signed by key" in out
    assert "casebook trust PUBLIC_KEY" in out
    status, out, _ = run(capsys, "simulate", package, "--responses", "correct")
    assert status == 1

    status, out, _ = run(capsys, "trust", keys[1])
    assert status == 0 and "now trusted: key " in out
    status, out, _ = run(capsys, "trust")
    assert "trusted author keys in" in out and ": 1" in out
    status, out, _ = run(capsys, "inspect", package)
    assert status == 0, out
    assert "case:      test-case 1.0.0" in out and "encrypted: no" in out
    assert "media/still.png" in out and out.rstrip().endswith(
        "VERIFIED: signed by a trusted author and every member matches the manifest"
    )
    status, out, _ = run(capsys, "simulate", package, "--responses", "correct")
    assert status == 0 and "100.0 %" in out


def test_encrypted_with_a_passphrase(
    case: tuple[Path, dict[str, Any]],
    keys: tuple[Path, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    package = tmp_path / "case.cbk"
    args = ["pack", case[0], "--sign", keys[0], "--out", package, "--encrypt"]
    status, out, err = run(capsys, *args, "--passphrase-env", "DELIVERY")
    assert status == 0, err
    assert "encrypted: AES-256-GCM, key from a delivery passphrase (scrypt" in out
    trusted = ["--trusted", keys[1].parent]  # a folder holding the public key works too
    status, out, _ = run(capsys, "inspect", package, *trusted)
    assert status == 0 and "index.enc" in out and "case.yaml" not in out

    simulate = ["simulate", package, "--responses", "correct", *trusted]
    status, out, _ = run(capsys, *simulate, "--passphrase-env", "DELIVERY")
    assert status == 0 and "100.0 %" in out
    monkeypatch.setenv("WRONG", "not the passphrase")
    status, _, err = run(capsys, *simulate, "--passphrase-env", "WRONG")
    assert status == 1
    assert err.strip().endswith("refused: wrong delivery passphrase or key file")
    status, _, err = run(capsys, *simulate)
    assert status == 1 and "no terminal to ask for the delivery passphrase" in err
    status, _, err = run(capsys, *simulate, "--passphrase-env", "UNSET_VARIABLE")
    assert status == 2 and "UNSET_VARIABLE is not set" in err


def test_encrypted_with_a_new_key_file(
    case: tuple[Path, dict[str, Any]],
    keys: tuple[Path, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    package, key_file = tmp_path / "case.cbk", tmp_path / "delivery.key"
    args = ["pack", case[0], "--sign", keys[0], "--out", package, "--encrypt"]
    status, out, err = run(capsys, *args, "--new-key-file", key_file)
    assert status == 0, err
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert f"new key file {key_file} (mode 0600)" in out
    simulate = ["simulate", package, "--responses", "correct", "--trusted", keys[1].parent]
    status, out, _ = run(capsys, *simulate, "--key-file", key_file)
    assert status == 0 and "100.0 %" in out
    status, _, err = run(capsys, *simulate)
    assert status == 1 and "encrypted with a key file" in err
    status, _, err = run(capsys, *args, "--new-key-file", key_file)
    assert status == 1 and "not overwriting" in err


def test_journal_of_a_packaged_case_holds_responses_but_no_keys_or_rationales(
    case: tuple[Path, dict[str, Any]],
    keys: tuple[Path, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    package, journal = tmp_path / "case.cbk", tmp_path / "journal"
    args = ["pack", case[0], "--sign", keys[0], "--out", package, "--encrypt"]
    assert run(capsys, *args, "--passphrase-env", "DELIVERY")[0] == 0
    status, _, err = run(
        capsys,
        "simulate",
        package,
        "--responses",
        "correct",
        "--journal",
        journal,
        "--trusted",
        keys[1].parent,
        "--passphrase-env",
        "DELIVERY",
    )
    assert status == 0, err
    files = [p for p in journal.rglob("*") if p.is_file()]
    [database] = [p for p in files if p.suffix == ".sqlite"]
    with sqlite3.connect(database) as db:
        responses = db.execute("SELECT payload FROM records WHERE kind = 'response'").fetchall()
    assert len(responses) == 5  # every response on the path is there (q-next is not)
    everything = b"".join(p.read_bytes() for p in files)
    assert [s for s in secrets_of(case[1]) if s in everything] == []
    assert not ANSWER_FIELD.search(everything)


def test_pack_refuses_an_invalid_case_and_bad_options(
    case: tuple[Path, dict[str, Any]],
    keys: tuple[Path, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    folder = case[0]
    package = tmp_path / "case.cbk"
    pack = ["pack", folder, "--sign", keys[0], "--out", package]
    status, _, err = run(capsys, *pack, "--passphrase-env", "DELIVERY")
    assert status == 2 and "go with --encrypt" in err
    status, _, err = run(capsys, "pack", folder, "--sign", keys[0], "--out", tmp_path / "x.zip")
    assert status == 2 and "must name a .cbk file" in err
    status, _, err = run(capsys, *pack, "--encrypt")
    assert status == 1 and "no terminal to ask for the delivery passphrase" in err
    status, _, err = run(capsys, *pack, "--encrypt", "--passphrase-env", "SHORT")
    assert status == 2 and "SHORT is not set" in err
    (folder / "media" / "still.png").unlink()
    status, out, err = run(capsys, *pack)
    assert status == 1 and "is not a valid case: nothing was packed" in err
    assert "still.png" in out  # each problem, as validate prints it
    assert not package.exists()


def test_short_passphrase_is_refused(
    case: tuple[Path, dict[str, Any]],
    keys: tuple[Path, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SHORT", "1234567")
    pack = ["pack", case[0], "--sign", keys[0], "--out", tmp_path / "c.cbk", "--encrypt"]
    status, _, err = run(capsys, *pack, "--passphrase-env", "SHORT")
    assert status == 1 and "too short: use at least 8 characters" in err


def test_inspect_names_what_is_wrong(
    case: tuple[Path, dict[str, Any]],
    keys: tuple[Path, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    package = tmp_path / "case.cbk"
    assert run(capsys, "pack", case[0], "--sign", keys[0], "--out", package)[0] == 0
    altered = rewrite(
        package,
        tmp_path / "altered.cbk",
        lambda name, data: flip_in(data, 10) if name == "media/intro.wav" else data,
    )
    status, out, _ = run(capsys, "inspect", altered, "--key", keys[1])
    assert status == 1
    assert "NOT VERIFIED: member media/intro.wav was altered" in out
    not_zip = tmp_path / "notes.cbk"
    not_zip.write_text("hello")
    status, out, _ = run(capsys, "inspect", not_zip)
    assert status == 1 and "not a case package (not a zip file)" in out
    status, _, err = run(capsys, "inspect", tmp_path / "absent.cbk")
    assert status == 2 and "no such package" in err
