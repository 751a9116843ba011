"""While a verb runs, what it writes cannot carry a control character but the line break."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from casebook_player.cli import main
from casebook_player.commands.terminal import control_stream, escaped_output


def test_output_escapes_controls_and_keeps_line_breaks(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    out, err = io.StringIO(), io.StringIO()
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setattr(sys, "stderr", err)
    with escaped_output():
        print("a\x1b[2Jb\u202e")
        print("c\r", file=sys.stderr)
        control_stream().write("\r\x1b[K")  # the command's own progress line
    assert sys.stdout is out and sys.stderr is err
    assert out.getvalue() == "a\\x1b[2Jb\\u202e\n"
    assert err.getvalue() == "c\\r\n\r\x1b[K"


def test_an_error_is_one_line_and_its_details_one_line_each(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = f"{tmp_path}/no\nVERIFIED\x1b[1A"
    assert main(["validate", bad]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "\x1b" not in err and "no\\nVERIFIED\\x1b[1A" in err
