"""The copy `pack --normalize` packs: which problems converting fixes, and the script's names."""

from __future__ import annotations

from pathlib import Path

from casebook_player.core.case.problems import Problem
from casebook_player.core.delivery.staging import _renamed_in_script, convertible_media

SCRIPT = Path("case.yaml")


def media_problem(line: int, col: int, name: str = "media/a.avi") -> Problem:
    return Problem(SCRIPT, line, col, "segments[0].media", "video codec mjpeg", name)


def test_converting_must_fix_every_problem() -> None:
    assert convertible_media([media_problem(3, 7), media_problem(9, 9, "media/b.webm")]) == [
        "media/a.avi",
        "media/b.webm",
    ]
    other = Problem(SCRIPT, 1, 8, "title", "7 is not of type 'string'")
    assert convertible_media([media_problem(3, 7), other]) == []
    assert convertible_media([]) == []


def test_references_are_renamed_where_they_stand_plain_or_quoted() -> None:
    raw = b'a: media/a.avi\nb: "media/a.avi"\nnote: media/a.avi is kept in a note\n'
    problems = [media_problem(1, 4), media_problem(2, 4), media_problem(2, 4)]
    renamed = _renamed_in_script(raw, problems, {"media/a.avi": "media/a.mp4"})
    assert renamed == b'a: media/a.mp4\nb: "media/a.mp4"\nnote: media/a.avi is kept in a note\n'
