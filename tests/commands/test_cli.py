from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from casefactory import case_data, write_case

from casebook_player.cli import main
from casebook_player.core.case.schema import validator


@pytest.fixture
def case_dir(tmp_path: Path) -> Path:
    write_case(tmp_path / "good")
    return tmp_path / "good"


def test_validate_valid_case(case_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(case_dir)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[-1] == "1 case checked: 1 valid, 0 invalid"


def test_validate_folders_recursively_reports_every_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_case(tmp_path / "a")
    bad = case_data()
    bad["cut_score"] = -1
    bad["segments"][0]["key_points"][0]["items"][0]["answer"] = "E"
    write_case(tmp_path / "nested" / "b", bad)
    assert main(["validate", "-q", str(tmp_path)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 2
    assert "cut_score: -1 is less than the minimum of 0" in out[0]
    assert out[-1] == "2 cases checked: 1 valid, 1 invalid (1 problem)"


def test_validate_reports_semantic_problems_of_every_case(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = case_data()
    bad["segments"][0]["key_points"][0]["items"][0]["answer"] = "E"
    bad["segments"][0]["media"] = "../escape.wav"
    file = write_case(tmp_path, bad)
    assert main(["validate", str(file)]) == 1
    out = capsys.readouterr().out
    assert f"{file}:" in out and "'..' is not allowed" in out and "'E' is not one of" in out
    assert out.splitlines()[-1] == "1 case checked: 0 valid, 1 invalid (2 problems)"


@pytest.mark.parametrize(
    "args",
    [
        ["validate", "/no/such/path"],
        ["validate"],
        ["simulate", "/no/case", "--responses", "blank"],
        ["nonsense"],
    ],
)
def test_usage_errors_exit_2(
    tmp_path: Path, args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as info:
        raise SystemExit(main(args))
    assert info.value.code == 2


def test_validate_empty_folder_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", str(tmp_path)]) == 2
    assert "no case.yaml found" in capsys.readouterr().err


def test_simulate_correct_scores_100_and_writes_a_valid_result(
    case_dir: Path, tmp_path: Path
) -> None:
    out = tmp_path / "result.json"
    assert (
        main(
            [
                "simulate",
                str(case_dir),
                "--responses",
                "correct",
                "--out",
                str(out),
                "--candidate",
                "c-42",
            ]
        )
        == 0
    )
    doc = json.loads(out.read_text())
    assert list(validator("result").iter_errors(doc)) == []
    assert doc["percent"] == 100.0 and doc["passed"] is True
    assert doc["candidate"]["id"] == "c-42"
    assert doc["path"] == ["intro", "exam"]
    assert all(r["points"] == r["max_points"] for r in doc["responses"])
    assert doc["started_at"] == "2026-01-01T00:00:00.000+00:00"


def test_simulate_blank_scores_0(
    case_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "result.json"
    assert main(["simulate", str(case_dir), "--responses", "blank", "--out", str(out)]) == 0
    doc = json.loads(out.read_text())
    assert doc["percent"] == 0.0 and doc["passed"] is False
    assert all(r["response"] is None for r in doc["responses"])
    assert "FAIL" in capsys.readouterr().out


def test_simulate_with_a_responses_file_follows_the_branch(case_dir: Path, tmp_path: Path) -> None:
    answers = tmp_path / "answers.yaml"
    answers.write_text("q-view: A\nq-signs: [A, C]\nq-next: B\n")
    out = tmp_path / "result.json"
    assert main(["simulate", str(case_dir), "--responses", str(answers), "--out", str(out)]) == 0
    doc = json.loads(out.read_text())
    assert doc["path"] == ["intro", "shock"]
    assert (doc["raw"], doc["max"]) == (3, 4)


def test_simulate_rejects_bad_responses_with_their_line(
    case_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = tmp_path / "answers.yaml"
    answers.write_text("q-view: A\nq-nothing: B\nq-signs: Z\n")
    assert main(["simulate", str(case_dir), "--responses", str(answers)]) == 1
    err = capsys.readouterr().err
    assert f"{answers}:2:1: q-nothing: the case has no item 'q-nothing'" in err
    assert f"{answers}:3:1: q-signs: expected a list of ids" in err


def test_simulate_on_an_invalid_case_prints_problems_not_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "case.yaml").write_text("\x00garbage")
    assert main(["simulate", str(tmp_path), "--responses", "correct"]) == 1
    err = capsys.readouterr().err
    assert "case.yaml:1:1" in err and "Traceback" not in err


def test_the_casebook_command_is_installed(case_dir: Path) -> None:
    result = subprocess.run(
        [Path(sys.executable).parent / "casebook", "validate", str(case_dir)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.endswith("1 case checked: 1 valid, 0 invalid\n")


BOMB = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]\n" for i in range(1, 10)
)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "the file is empty"),
        (bytes(range(256)) * 4, "not UTF-8"),
        (b"format: [1\n", "invalid YAML"),
        (BOMB.encode(), "aliases expanding"),
        (b"id: !!python/object/apply:os.system ['echo pwned']\n", "unsupported tag"),
    ],
)
def test_validate_unusable_files_exit_1_with_a_clear_error(
    tmp_path: Path, content: bytes, expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "case.yaml").write_bytes(content)
    assert main(["validate", str(tmp_path)]) == 1
    captured = capsys.readouterr()
    assert f"{tmp_path / 'case.yaml'}:" in captured.out and expected in captured.out
    assert "Traceback" not in captured.out + captured.err
