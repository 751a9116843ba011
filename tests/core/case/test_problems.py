"""A problem prints as one line ``file:line:col: json.path: message``, whatever the script held."""

from __future__ import annotations

from pathlib import Path

from casefactory import write_case

from casebook_player.core.case.loader import load_case
from casebook_player.core.case.problems import CaseError, Problem, one_line


def test_control_characters_are_escaped() -> None:
    assert one_line("bad\r\nkey\x1b[31m\u2028\x85\x00") == "bad\\r\\nkey\\x1b[31m\\u2028\\x85\\x00"
    assert one_line("Zoë 🩺 tab-free") == "Zoë 🩺 tab-free"


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
