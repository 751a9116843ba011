"""JSON nested 100,000 deep is refused file by file, with a message, never a traceback.

It raised RecursionError in ``verify`` and ``report``; in folder mode ``verify`` stopped at
the file, and the files after it went unchecked.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from casefactory import write_case

from casebook_player.cli import main
from casebook_player.core.crypto import b64url
from casebook_player.core.crypto.keys import jwk_thumbprint, load_private_key
from casebook_player.core.jsontext import MAX_DEPTH

DEEP = "[" * 100_000 + "]" * 100_000
TOO_DEEP = f"nesting deeper than {MAX_DEPTH} levels"


@pytest.fixture
def keys(tmp_path: Path) -> tuple[Path, Path]:
    assert main(["keygen", "--out", str(tmp_path / "keys")]) == 0
    return tmp_path / "keys" / "casebook-signing.key", tmp_path / "keys" / "casebook-signing.pub"


def signed_payload(private: Path, payload: bytes) -> str:
    """A signed result file around ``payload`` as it is (sign_document cannot write it)."""
    key = load_private_key(private)
    header = {"alg": "EdDSA", "kid": jwk_thumbprint(key.public_key()), "typ": "casebook-result"}
    protected = b64url.encode(json.dumps(header, sort_keys=True, separators=(",", ":")).encode())
    body = b64url.encode(payload)
    signature = b64url.encode(key.sign(f"{protected}.{body}".encode()))
    members = {"payload": body, "protected": protected, "signature": signature}
    return json.dumps(members, sort_keys=True, separators=(",", ":"))


def test_verify_checks_every_file_of_a_folder_past_a_deep_one(
    keys: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_case(tmp_path / "case")
    folder = tmp_path / "results"
    folder.mkdir()
    (folder / "a-deep.json").write_text(DEEP)
    (folder / "b-deep-payload.json").write_text(signed_payload(keys[0], DEEP.encode()))
    simulate = ["simulate", str(tmp_path / "case"), "--responses", "correct"]
    out = folder / "c-good.json"
    assert main([*simulate, "--sign", str(keys[0]), "--out", str(out)]) == 0
    capsys.readouterr()
    assert main(["verify", str(folder), "--key", str(keys[1])]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith(f"NOT VALID: {folder / 'a-deep.json'}: not a signed result")
    assert TOO_DEEP in lines[0] and TOO_DEEP in lines[1]
    assert lines[2].startswith(f"valid: {out}")
    assert lines[3].startswith("1 valid, 2 not valid")


def test_report_refuses_a_deep_file(
    keys: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plain, signed = tmp_path / "plain.json", tmp_path / "signed.json"
    plain.write_text(DEEP)
    signed.write_text(signed_payload(keys[0], DEEP.encode()))
    for result in (plain, signed):
        capsys.readouterr()
        assert main(["report", str(result), "--pdf", str(tmp_path / "r.pdf")]) == 1
        err = capsys.readouterr().err
        assert TOO_DEEP in err and "Traceback" not in err
    assert not (tmp_path / "r.pdf").exists()


def test_a_deep_key_file_is_not_a_key(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    jwk = tmp_path / "author.jwk"
    jwk.write_text('{"k":' * 10_000 + "1" + "}" * 10_000)  # under the key file size limit
    assert main(["trust", str(jwk), "--trusted", str(tmp_path / "trusted")]) == 1
    assert TOO_DEEP in capsys.readouterr().err
