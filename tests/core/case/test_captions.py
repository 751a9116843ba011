from __future__ import annotations

import pytest

from casebook_player.core.case.captions import CaptionError, Cue, cue_at, parse_vtt

GOOD = """WEBVTT - narration

NOTE written by the generator

1
00:00:00.000 --> 00:00:02.500 align:start
The patient is <b>pale</b> &amp; sweaty.

00:01:02.250 --> 01:00:03.000
Second line
of the cue.
"""


def test_cues_are_read_with_millisecond_times() -> None:
    cues = parse_vtt(GOOD)
    assert cues == [
        Cue(0.0, 2.5, "The patient is pale & sweaty."),
        Cue(62.25, 3603.0, "Second line\nof the cue."),
    ]


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        ("", "first line must be 'WEBVTT'", 1),
        ("WEBVTTX\n", "first line must be 'WEBVTT'", 1),
        ("WEBVTT\n\n00:00:01.000 --> 00:00:0x.000\nHi\n", "malformed cue timing", 3),
        ("WEBVTT\n\n00:00:02.000 --> 00:00:01.000\nHi\n", "end after it starts", 3),
        ("WEBVTT\n\nid\ntext without timing\n", "expected a cue timing line", 3),
    ],
)
def test_malformed_captions_name_the_line(text: str, message: str, line: int) -> None:
    with pytest.raises(CaptionError, match=message) as info:
        parse_vtt(text)
    assert info.value.line == line


def test_cue_at_finds_the_showing_cue() -> None:
    cues = [Cue(0, 2, "a"), Cue(2.5, 4, "b")]
    assert cue_at(cues, 1.0) == 0
    assert cue_at(cues, 2.2) is None
    assert cue_at(cues, 3.9) == 1
    assert cue_at(cues, 10) is None
