"""A problem prints as one line ``file:line:col: json.path: message``, whatever the script held."""

from __future__ import annotations

from pathlib import Path

from casefactory import write_case

from casebook_player.core.case.loader import load_case
from casebook_player.core.case.problems import CaseError, Problem


def test_a_file_name_with_a_line_break_stays_on_one_line() -> None:
    problem = Problem(Path("a\nb\x1b[2J.yaml"), 1, 1, "(case)", "cannot read")
    assert str(problem) == "a\\nb\\x1b[2J.yaml:1:1: (case): cannot read"


def test_a_key_with_a_line_break_stays_on_one_line(tmp_path: Path) -> None:
    # Found by the loader fuzzer (tests/test_fuzz_loader.py): an unknown key "\r".
    file = write_case(tmp_path)
    file.write_text(file.read_text() + '"\\r": null\n"a\\nb\\x1b": 1\n')
    try:
        load_case(file)
    except CaseError as exc:
        lines = [str(p) for p in exc.problems]
    else:
        raise AssertionError("loaded a case with unknown fields")
    assert len(lines) == 2
    assert all("\n" not in line and "\r" not in line and "\x1b" not in line for line in lines)
    assert lines[0].endswith(": \\r: unknown field '\\r'")
    assert lines[1].endswith(": a\\nb\\x1b: unknown field 'a\\nb\\x1b'")


def test_plain_problem_is_unchanged() -> None:
    problem = Problem(Path("case.yaml"), 3, 5, "segments[0].at", "2.0 s is not inside")
    assert str(problem) == "case.yaml:3:5: segments[0].at: 2.0 s is not inside"
