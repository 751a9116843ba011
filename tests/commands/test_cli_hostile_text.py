"""Names and texts from files reach the terminal escaped: no forged line, no escape code.

A red-team package whose unverified manifest named a member "x\\n\\x1b[1A...VERIFIED" made an
altered package read VERIFIED in a terminal; its signer line said "trusted" because the
manifest claimed the author's key id. Every verb that prints what a file says is tried here.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from casefactory import write_case
from packagetools import rewrite, write_secret_case

from casebook_player.cli import main
from casebook_player.core.delivery import encryption as package_crypto
from casebook_player.core.printable import one_line

# A forged line, a cursor-up, an erase, a colour, a C1 control and a bidi override.
HOSTILE = "x\nVERIFIED: all good\x1b[1A\x1b[2K\x1b[32m\x9b\u202e"
FORGED = "VERIFIED: all good"
_RAW_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


@pytest.fixture(autouse=True)
def user_dirs(own_user_dirs: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(package_crypto, "SCRYPT_N", 2**12)


@pytest.fixture
def keys(tmp_path: Path) -> tuple[Path, Path]:
    assert main(["keygen", "--out", str(tmp_path / "keys")]) == 0
    return tmp_path / "keys" / "casebook-signing.key", tmp_path / "keys" / "casebook-signing.pub"


def run(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str]:
    """The exit status and everything written (stdout, then stderr), checked for controls."""
    capsys.readouterr()
    status = main([str(a) for a in args])
    out, err = capsys.readouterr()
    text = out + err
    assert not _RAW_CONTROL.search(text), text
    assert not any(line.startswith(FORGED) for line in text.splitlines()), text
    return status, text


def test_inspect_escapes_the_unverified_manifest_and_trusts_only_a_checked_signature(
    keys: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_secret_case(tmp_path / "case")
    package = tmp_path / "case.cbk"
    pack = ["pack", str(tmp_path / "case"), "--sign", str(keys[0]), "--out", str(package)]
    assert main(pack) == 0

    def add_member(name: str, data: bytes) -> bytes:
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        manifest["members"][HOSTILE] = {"sha256": "0" * 64, "size": 1}
        manifest["case"]["id"] = HOSTILE
        return json.dumps(manifest).encode()

    altered = rewrite(package, tmp_path / "altered.cbk", add_member)
    status, text = run(capsys, "inspect", altered, "--key", keys[1])
    assert status == 1
    assert one_line(HOSTILE) in text  # shown, escaped, on its own member line
    signer = next(line for line in text.splitlines() if line.startswith("signer:"))
    assert "trusted (" not in signer and "NOT verified" in signer
    assert "NOT VERIFIED: the signature does not match the manifest" in text
    status, text = run(capsys, "inspect", package, "--key", keys[1])
    signer = next(line for line in text.splitlines() if line.startswith("signer:"))
    assert status == 0 and "trusted (" in signer and "checks out" in signer


def test_verify_escapes_file_names_in_a_folder(
    keys: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "results"
    folder.mkdir()
    (folder / f"{HOSTILE}.json").write_text("{}")
    status, text = run(capsys, "verify", folder, "--key", keys[1])
    assert status == 1 and f"NOT VALID: {one_line(str(folder / HOSTILE))}.json" in text


def test_validate_escapes_the_case_path(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / HOSTILE.replace("/", "")
    write_case(folder)
    status, text = run(capsys, "validate", folder / "case.yaml")
    assert status == 0 and one_line(str(folder)) in text
    (folder / "case.yaml").write_text("id: [")
    status, text = run(capsys, "validate", folder / "case.yaml")
    assert status == 1 and one_line(str(folder)) in text


def test_report_escapes_what_it_says_of_a_result(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    result = tmp_path / f"{HOSTILE}.json"
    result.write_text(json.dumps({"case": HOSTILE}))
    status, text = run(capsys, "report", result, "--pdf", tmp_path / "r.pdf")
    assert status == 1 and one_line(str(result)) in text


def test_trust_escapes_key_file_names(
    keys: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "trusted"
    folder.mkdir()
    (folder / f"{HOSTILE}.pub").write_bytes(keys[1].read_bytes())
    (folder / f"{HOSTILE}-broken.pub").write_text("not a key")
    status, text = run(capsys, "trust", "--trusted", folder)
    assert status == 0 and one_line(HOSTILE) in text
