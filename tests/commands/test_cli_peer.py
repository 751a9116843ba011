"""``casebook evaluate --responses`` and ``casebook peer-summary`` end to end, headless."""

from __future__ import annotations

from pathlib import Path

import pytest

from casebook_player.cli import main
from casebook_player.core.peer.forms import CRITERIA

ROOT = Path(__file__).resolve().parents[2]
LUNG = str(ROOT / "forms" / "peer-lung.yaml")


@pytest.fixture
def keys(tmp_path: Path) -> Path:
    assert main(["keygen", "--out", str(tmp_path / "keys")]) == 0
    return tmp_path / "keys"


def responses(tmp_path: Path, gain: int | str = 4) -> Path:
    file = tmp_path / f"responses-{str(gain).replace('/', '')}.yaml"
    lines = [f"  {c}: {gain if c == 'gain' else 3}" for c in CRITERIA]
    file.write_text(
        "ratings:\n" + "\n".join(lines) + "\ncomments: Steady hands.\n", encoding="utf-8"
    )
    return file


def evaluate(tmp_path: Path, keys: Path | None, evaluator: str, gain: int | str = 4) -> Path:
    out = tmp_path / f"{evaluator}.json"
    args = ["evaluate", LUNG, "--candidate", "C-1", "--evaluator", evaluator]
    args += ["--responses", str(responses(tmp_path, gain)), "--out", str(out)]
    if keys is not None:
        args += ["--sign", str(keys / "casebook-signing.key")]
    assert main(args) == 0
    return out


def test_evaluate_headless_prints_the_ratings_and_writes_a_signed_file(
    tmp_path: Path, keys: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = evaluate(tmp_path, keys, "E-1", gain="n/a")
    printed = capsys.readouterr().out
    assert "evaluation of C-1 by E-1 · Peer evaluation — Lung ultrasound 1.0" in printed
    assert "Use of gain" in printed and "N/A" in printed and f"signed: {out}" in printed
    assert out.read_text(encoding="ascii").startswith('{"payload":')


def test_peer_summary_counts_two_ignores_the_third_and_lists_invalid(
    tmp_path: Path, keys: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = evaluate(tmp_path, keys, "E-1", gain=2)
    second = evaluate(tmp_path, keys, "E-2", gain=5)
    third = evaluate(tmp_path, keys, "E-9", gain=1)
    unsigned = evaluate(tmp_path, None, "E-4")
    capsys.readouterr()
    args = [str(third), str(unsigned), str(second), str(first)]
    assert main(["peer-summary", *args, "--key", str(keys / "casebook-signing.pub")]) == 0
    out = capsys.readouterr().out
    assert "C-1 · lung (complete)" in out
    gain_line = next(line for line in out.splitlines() if "Use of gain" in line)
    assert gain_line.split()[-3:] == ["3.5", "2", "5"]
    assert f"ignored: 3rd evaluation of C-1 lung by E-9 (only the first two count) [{third}]" in out
    assert f"invalid: {unsigned}: not signed: only signed evaluations count" in out
    assert "comments: Steady hands." in out


def test_peer_summary_with_a_folder_of_keys_and_a_foreign_signature(
    tmp_path: Path, keys: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["keygen", "--out", str(tmp_path / "other")])
    mine = evaluate(tmp_path, keys, "E-1")
    theirs = evaluate(tmp_path / "other", tmp_path / "other", "E-2")
    capsys.readouterr()
    assert main(["peer-summary", str(mine), str(theirs), "--key", str(keys)]) == 0
    out = capsys.readouterr().out
    assert "incomplete: 1 of 2 valid evaluations" in out
    assert f"invalid: {theirs}: the evaluation file was altered or signed by another key" in out


def test_bad_input_is_a_message_not_a_traceback(
    tmp_path: Path, keys: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("ratings:\n  gain: 9\n", encoding="utf-8")
    args = ["evaluate", LUNG, "--candidate", "C-1", "--evaluator", "E-1"]
    assert main([*args, "--responses", str(bad), "--out", str(tmp_path / "x.json")]) == 1
    err = capsys.readouterr().err
    assert f"{bad}:2:9: ratings.gain: 9 is not a rating" in err
    assert (
        main(["evaluate", str(tmp_path / "nope.yaml"), "--candidate", "C", "--evaluator", "E"]) == 2
    )
    broken = tmp_path / "form.yaml"
    broken.write_text("kind: peer-evaluation\n", encoding="utf-8")
    assert main(["evaluate", str(broken), "--candidate", "C", "--evaluator", "E"]) == 1
    assert "(form): 'format' is a required property" in capsys.readouterr().err
    assert main(["peer-summary", str(tmp_path / "none.json"), "--key", str(keys)]) == 2
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["peer-summary", str(bad), "--key", str(empty)]) == 1
    assert "no public key files" in capsys.readouterr().err
