"""The signed-result chain headless: keygen → simulate --sign → verify, and journaled runs."""

from __future__ import annotations

import json
import random
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from casefactory import write_case
from journaltamper import journaled_responses

from casebook_player.cli import main
from casebook_player.commands.report import read_result
from casebook_player.core.case.loader import load_case
from casebook_player.core.case.schema import validator
from casebook_player.core.crypto.keys import load_private_key
from casebook_player.core.crypto.signing import sign_document
from casebook_player.core.session.custody import custody_for
from casebook_player.core.session.journal import JournalKind

CLI = [sys.executable, "-m", "casebook_player.cli"]


@pytest.fixture
def case_dir(tmp_path: Path) -> Path:
    write_case(tmp_path / "case")
    return tmp_path / "case"


def test_keygen_sign_verify(
    case_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    keys = tmp_path / "keys"
    assert main(["keygen", "--out", str(keys)]) == 0
    private, public = keys / "casebook-signing.key", keys / "casebook-signing.pub"
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    result = tmp_path / "result.jws.json"
    args = ["simulate", str(case_dir), "--responses", "correct", "--sign", str(private)]
    assert main([*args, "--out", str(result), "--candidate", "c-7"]) == 0
    capsys.readouterr()
    assert main(["verify", str(result), "--key", str(public)]) == 0
    out = capsys.readouterr().out
    assert "valid signature" in out and "candidate c-7 · case test-case" in out and "PASS" in out


def test_a_retake_after_deleting_the_journal_shows_in_verify_and_report(
    case_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    keys, journal = tmp_path / "keys", tmp_path / "journal"
    main(["keygen", "--out", str(keys)])
    private, public = keys / "casebook-signing.key", keys / "casebook-signing.pub"
    args = ["simulate", str(case_dir), "--responses", "correct", "--sign", str(private)]
    args += ["--journal", str(journal), "--candidate", "c-7"]
    assert main([*args, "--out", str(tmp_path / "first.json")]) == 0
    for path in (journal / "simulated").glob("*.sqlite"):
        path.unlink()  # the candidate deletes the journal to take the case again
    assert main([*args, "--out", str(tmp_path / "second.json")]) == 0
    capsys.readouterr()
    assert main(["verify", str(tmp_path / "second.json"), "--key", str(public)]) == 0
    out = capsys.readouterr().out
    assert "attempt 2 on this machine for this candidate and case (ledger" in out
    assert "entry 3)" in out and "NOT tamper-proof" not in out
    assert main(["verify", str(tmp_path), "--key", str(public)]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert [line.endswith("PASS · attempt 2") for line in listed[:2]] == [False, True]
    document, note = read_result(tmp_path / "second.json", public)
    assert document["incidents"][0]["kind"] == "retake" and "Signature valid" in note


def test_an_unsigned_journaled_result_says_its_journal_is_not_tamper_proof(
    case_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["simulate", str(case_dir), "--responses", "blank", "--journal", str(tmp_path / "j")]
    assert main([*args, "--out", str(tmp_path / "r.json")]) == 0
    assert "journal NOT tamper-proof: kept without a centre key" in capsys.readouterr().out
    document = json.loads((tmp_path / "r.json").read_text())
    assert list(validator("result").iter_errors(document)) == []


def test_verify_detects_a_changed_byte_and_a_foreign_key(
    case_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["keygen", "--out", str(tmp_path / "a")])
    main(["keygen", "--out", str(tmp_path / "b")])
    result = tmp_path / "r.json"
    main(
        [
            "simulate",
            str(case_dir),
            "--responses",
            "blank",
            "--sign",
            str(tmp_path / "a" / "casebook-signing.key"),
            "--out",
            str(result),
        ]
    )
    capsys.readouterr()
    assert main(["verify", str(result), "--key", str(tmp_path / "b" / "casebook-signing.pub")]) == 1
    assert "NOT VALID" in capsys.readouterr().out
    data = bytearray(result.read_bytes())
    data[len(data) // 2] ^= 0x01
    result.write_bytes(bytes(data))
    assert main(["verify", str(result), "--key", str(tmp_path / "a" / "casebook-signing.pub")]) == 1


def test_passphrase_protected_key(
    case_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("CASEBOOK_KEY_PASSPHRASE", "correct horse")
    assert main(["keygen", "--out", str(tmp_path), "--passphrase"]) == 0
    key = str(tmp_path / "casebook-signing.key")
    out = str(tmp_path / "r.json")
    assert (
        main(["simulate", str(case_dir), "--responses", "blank", "--sign", key, "--out", out]) == 0
    )
    monkeypatch.setenv("CASEBOOK_KEY_PASSPHRASE", "wrong")
    assert (
        main(["simulate", str(case_dir), "--responses", "blank", "--sign", key, "--out", out]) == 1
    )
    assert "wrong passphrase" in capsys.readouterr().err


def test_keygen_refuses_to_overwrite(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["keygen", "--out", str(tmp_path)]) == 0
    assert main(["keygen", "--out", str(tmp_path)]) == 1
    assert "not overwriting" in capsys.readouterr().err


def test_sign_needs_out(case_dir: Path) -> None:
    assert main(["simulate", str(case_dir), "--responses", "blank", "--sign", "k"]) == 2


def _without_times(document: dict[str, Any]) -> dict[str, Any]:
    document = json.loads(json.dumps(document))
    for key in ("started_at", "ended_at", "journal", "ledger"):  # each run has its own
        document.pop(key, None)
    for response in document["responses"]:
        response.pop("answered_at")
        response.pop("time_spent_s")
    return document


def test_journaled_run_refuses_a_second_start_and_resumes(
    case_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    journal = str(tmp_path / "journal")
    args = ["simulate", str(case_dir), "--responses", "correct", "--journal", journal]
    assert main([*args, "--out", str(tmp_path / "a.json")]) == 0
    assert "saved response q-view" in capsys.readouterr().out
    assert main(args) == 1
    assert "add --resume" in capsys.readouterr().err
    assert main([*args, "--resume", "--out", str(tmp_path / "b.json")]) == 0  # already ended
    first = json.loads((tmp_path / "a.json").read_text())
    again = json.loads((tmp_path / "b.json").read_text())
    assert first == again
    assert (
        main(
            [
                "simulate",
                str(case_dir),
                "--responses",
                "blank",
                "--journal",
                str(tmp_path / "new"),
                "--resume",
            ]
        )
        == 1
    )


def _run_and_kill(case_dir: Path, journal: Path, candidate: str, delay: float) -> list[str]:
    """Run a journaled simulation, SIGKILL it after ``delay`` s; the responses it said it saved."""
    process = subprocess.Popen(
        [
            *CLI,
            "simulate",
            str(case_dir),
            "--responses",
            "correct",
            "--journal",
            str(journal),
            "--candidate",
            candidate,
            "--step-delay",
            "0.01",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        out, _ = process.communicate(timeout=delay)
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGKILL)
        out, _ = process.communicate()
    return [line.split()[-1] for line in out.splitlines() if line.startswith("saved response")]


@pytest.mark.slow
def test_sigkill_at_random_moments_loses_no_response(case_dir: Path, tmp_path: Path) -> None:
    case = load_case(case_dir)
    reference = tmp_path / "reference.json"
    assert main(["simulate", str(case_dir), "--responses", "correct", "--out", str(reference)]) == 0
    expected = _without_times(json.loads(reference.read_text()))
    assert expected.pop("incidents") == []
    rng = random.Random(20261123)
    journal = tmp_path / "journal"
    simulated = custody_for(JournalKind.SIMULATED, journal, None)
    started = time.monotonic()
    _run_and_kill(case_dir, journal, "timing", 30)  # a whole run: how long one takes here
    whole_run = time.monotonic() - started
    interrupted = 0
    for trial in range(20):
        candidate = f"kill-{trial}"
        acknowledged = _run_and_kill(
            case_dir, journal, candidate, rng.uniform(0.2, 0.95) * whole_run
        )
        interrupted += len(acknowledged) < 5
        saved = journaled_responses(simulated, case, candidate)
        assert set(acknowledged) <= set(saved), (
            f"trial {trial} lost {set(acknowledged) - set(saved)}"
        )
        out = tmp_path / f"resumed-{trial}.json"
        args = [
            "simulate",
            str(case_dir),
            "--responses",
            "correct",
            "--journal",
            str(journal),
            "--candidate",
            candidate,
            "--out",
            str(out),
        ]
        resumed = subprocess.run([*CLI, *args, "--resume"], capture_output=True, text=True)
        if "nothing to resume" in resumed.stderr:  # killed before the first step was saved
            resumed = subprocess.run([*CLI, *args], capture_output=True, text=True)
        assert resumed.returncode == 0, resumed.stderr
        result = _without_times(json.loads(out.read_text()))
        result["candidate"]["id"] = expected["candidate"]["id"]
        # Resuming an unfinished attempt is an incident; the rest is the uninterrupted result.
        assert [i["kind"] for i in result.pop("incidents")] in ([], ["restart"])
        assert result == expected, f"trial {trial}"
    assert interrupted >= 10  # most kills landed mid-run, so the trials test something


def test_verify_many_files_and_folders_in_one_go(
    case_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["keygen", "--out", str(tmp_path / "keys")])
    private, public = (
        tmp_path / "keys" / "casebook-signing.key",
        tmp_path / "keys" / "casebook-signing.pub",
    )
    folder = tmp_path / "results"
    folder.mkdir()
    for candidate, responses in (("c-1", "correct"), ("c-2", "blank"), ("c-3", "correct")):
        out = folder / f"{candidate}.json"
        args = ["simulate", str(case_dir), "--responses", responses, "--sign", str(private)]
        assert main([*args, "--out", str(out), "--candidate", candidate]) == 0
    (folder / "notes.txt").write_text("not a result file, not looked at")
    capsys.readouterr()

    assert main(["verify", str(folder), "--key", str(public)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(" · ")[0] for line in lines[:3]] == [
        f"valid: {folder / name}" for name in ("c-1.json", "c-2.json", "c-3.json")
    ]
    assert "candidate c-2 · case test-case" in lines[1] and "FAIL" in lines[1]
    assert lines[3].startswith("3 valid, 0 not valid (key id ")

    altered = bytearray((folder / "c-2.json").read_bytes())
    altered[len(altered) // 2] ^= 0x01
    (folder / "c-2.json").write_bytes(bytes(altered))
    missing = tmp_path / "missing.json"
    assert main(["verify", str(folder), str(missing), "--key", str(public)]) == 1
    out = capsys.readouterr().out
    assert f"NOT VALID: {folder / 'c-2.json'}: " in out
    assert f"NOT VALID: {missing}: cannot read it: No such file or directory" in out
    assert out.splitlines()[-1].startswith("2 valid, 2 not valid")


def test_verify_an_empty_folder_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["keygen", "--out", str(tmp_path / "keys")])
    capsys.readouterr()
    empty = tmp_path / "empty"
    empty.mkdir()
    assert (
        main(["verify", str(empty), "--key", str(tmp_path / "keys" / "casebook-signing.pub")]) == 1
    )
    assert f"no result files (*.json) in {empty}" in capsys.readouterr().err


def test_verify_a_signed_document_that_is_not_a_result(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["keygen", "--out", str(tmp_path / "keys")])
    key = load_private_key(tmp_path / "keys" / "casebook-signing.key")
    signed = tmp_path / "other.json"
    signed.write_text(sign_document({"hello": "world"}, key))
    capsys.readouterr()
    assert (
        main(["verify", str(signed), "--key", str(tmp_path / "keys" / "casebook-signing.pub")]) == 1
    )
    assert "the signature is valid but the document is not a result" in capsys.readouterr().out
