from __future__ import annotations

import pytest

from casebook_player.core.case.captions import CaptionError, Cue
from casebook_player.core.case.srt import parse_srt

GOOD = (
    "\ufeff1\r\n00:00:01,000 --> 00:00:02,500\r\nThe patient is <i>pale</i> &amp; sweaty.\r\n\r\n"
    "2\r\n00:01:02,250 --> 01:00:03,000 X1:10 X2:20 Y1:5 Y2:9\r\nSecond line\r\nof the cue.\r\n"
)


def test_subrip_cues_become_the_same_cues() -> None:
    captions = parse_srt(GOOD)
    assert captions.warnings == []
    assert captions.cues == [
        Cue(1.0, 2.5, "The patient is pale & sweaty.", "1"),
        Cue(62.25, 3603.0, "Second line\nof the cue.", "2"),
    ]


def test_a_block_without_an_index_and_a_dot_for_the_comma_are_read() -> None:
    captions = parse_srt(
        "00:00:01.000 --> 00:00:02.000\nHi\n\n\n\n7\n00:00:03,000 --> 00:00:04,000\n"
    )
    assert captions.cues == [Cue(1.0, 2.0, "Hi"), Cue(3.0, 4.0, "", "7")]


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        (
            "1\n00:00:01,000 --> 00:00:02,000\nok\n\n2\n00:00:03,000 -> 00:00:04,000\nx\n",
            "malformed",
            6,
        ),
        (
            "1\n00:00:01,000 --> 00:00:02,000\nok\n\n2\n00:00:61,000 --> 00:01:04,000\nx\n",
            "malformed",
            6,
        ),
        (
            "1\n00:00:01,000 --> 00:00:02,000\nok\n\n\n2\n00:00:05,000 --> 00:00:04,000\nx\n",
            "end after",
            7,
        ),
        ("1\n00:00:01,000 --> 00:00:02,000\nok\n\n3\n", "without a timing line", 5),
    ],
)
def test_malformed_blocks_are_warnings_with_their_line(text: str, message: str, line: int) -> None:
    captions = parse_srt(text)
    assert len(captions.warnings) == 1, captions.warnings
    assert message in captions.warnings[0].message
    assert captions.warnings[0].line == line


def test_a_file_with_no_timing_at_all_is_not_subrip() -> None:
    with pytest.raises(CaptionError, match="not a SubRip file") as info:
        parse_srt("\n\nWEBVTT\n\nhello\n")
    assert info.value.line == 3


def test_an_empty_file_has_no_cues() -> None:
    captions = parse_srt("")
    assert captions.cues == [] and captions.warnings == []
