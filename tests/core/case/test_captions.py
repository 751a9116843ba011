from __future__ import annotations

from pathlib import Path

import pytest

from casebook_player.core.case.captions import (
    CaptionError,
    Cue,
    cue_at,
    parse_vtt,
    parse_webvtt,
    read_captions,
)

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
        Cue(0.0, 2.5, "The patient is pale & sweaty.", "1"),
        Cue(62.25, 3603.0, "Second line\nof the cue."),
    ]


def test_what_exporters_write_is_read() -> None:
    text = (
        "\ufeffWEBVTT\r\nKind: captions\r\nLanguage: en\r\n\r\n"
        "STYLE\r\n::cue { color: yellow }\r\n\r\n"
        ".left-over { color: red }\r\n\r\n"
        "00:00:01.000 --> 00:00:02.000 line:90%\r\nFirst\r\n   \r\nstill the first\r\n\r\n"
        "00:00:02.000\t-->\t00:00:03.000\r\nSecond\r\n"
    )
    captions = parse_webvtt(text)
    assert captions.warnings == []
    assert captions.cues == [
        Cue(1.0, 2.0, "First\n   \nstill the first"),
        Cue(2.0, 3.0, "Second"),
    ]


def test_a_timing_padded_with_vertical_tabs_is_no_caption() -> None:
    captions = parse_webvtt(
        "WEBVTT\n\n\v00:00:00.000 --> 00:00:01.000\nlost\n\n00:00:01.000 --> 00:00:02.000\nkept\n"
    )
    assert [c.text for c in captions.cues] == ["kept"]
    assert [w.line for w in captions.warnings] == [3]
    assert "malformed cue timing" in captions.warnings[0].message


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "first line must be 'WEBVTT'"),
        ("WEBVTTX\n", "first line must be 'WEBVTT'"),
        ("WEBSRT\n\n00:00:00.000 --> 00:00:01.000\nHi\n", "first line must be 'WEBVTT'"),
        ("\n\nWEBVTT\n", "first line must be 'WEBVTT'"),
    ],
)
def test_a_file_that_is_not_webvtt_is_refused(text: str, message: str) -> None:
    with pytest.raises(CaptionError, match=message) as info:
        parse_vtt(text)
    assert info.value.line == 1


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        ("WEBVTT\n\n00:00:01.000 --> 00:00:0x.000\nHi\n", "malformed cue timing", 3),
        ("WEBVTT\n\n00:00:02.000 --> 00:00:01.000\nHi\n", "end after it starts", 3),
        ("WEBVTT\n\nid\n00:00:01.000 -> 00:00:02.000\nHi\n", "expected a cue timing line", 4),
        ("WEBVTT\n\nNOTE a\n\n\n1\n00:01:61.000 --> 00:02:00.000\nHi\n", "malformed", 7),
    ],
)
def test_authoring_errors_are_warnings_with_their_line(text: str, message: str, line: int) -> None:
    captions = parse_webvtt(text)
    assert len(captions.warnings) == 1, captions.warnings
    assert message in captions.warnings[0].message
    assert captions.warnings[0].line == line
    assert str(captions.warnings[0]).startswith(f"line {line}: ")


def test_text_outside_cues_is_ignored_silently() -> None:
    captions = parse_webvtt("WEBVTT\n\nsome words\nwithout a timing\n\nNOTE\n00:01 is not a cue\n")
    assert captions.cues == [] and captions.warnings == []


def test_read_captions_chooses_by_suffix(tmp_path: Path) -> None:
    vtt = tmp_path / "a.vtt"
    vtt.write_text("WEBVTT\n\n00:01.000 --> 00:02.000\nHi\n")
    srt = tmp_path / "a.srt"
    srt.write_text("1\n00:00:01,000 --> 00:00:02,000\nHi\n")
    assert read_captions(vtt).cues == [Cue(1.0, 2.0, "Hi")]
    assert read_captions(srt).cues == [Cue(1.0, 2.0, "Hi", "1")]
    bad = tmp_path / "b.srt"
    bad.write_bytes(b"\xff\xfe1\n")
    with pytest.raises(CaptionError, match="not a SubRip file: it is not UTF-8"):
        read_captions(bad)


def test_cue_at_finds_the_showing_cue() -> None:
    cues = [Cue(0, 2, "a"), Cue(2.5, 4, "b")]
    assert cue_at(cues, 1.0) == 0
    assert cue_at(cues, 2.2) is None
    assert cue_at(cues, 3.9) == 1
    assert cue_at(cues, 10) is None


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("WEBVTT", 0),
        ("\ufeffWEBVTT\n\n00:00.000 --> 00:01.000\nbom\n", 1),
        ("WEBVTT\tfoo\n\n00:00.000 --> 00:01.000\ntab\n", 1),
        ("WEBVTT foo\n\n00:00.000 --> 00:01.000\nspace\n", 1),
        ("WEBVTT foo", 0),
        ("WEBVTT 00:00:00.000 --> 00:00:01.000\ntext\n", 0),
        ("WEBVTT\n00:00:00.000 --> 00:00:01.000\ntext\n", 1),
        ("WEBVTT\nfoobar\n\n00:00:00.000 --> 00:00:01.000\ntext", 1),
        ("WEBVTT\n\n00:00:00.000-->00:00:01.000\nno spaces\n", 1),
        ("WEBVTT\n\n00:00:00.000 --> 00:00:01.000\r\n", 1),
    ],
)
def test_signature_and_header_as_the_spec_reads_them(text: str, count: int) -> None:
    captions = parse_webvtt(text)
    assert len(captions.cues) == count
    assert captions.warnings == []
