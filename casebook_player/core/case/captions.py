"""Captions: WebVTT read as the W3C WebVTT parser reads it, SubRip (.srt) converted.

The WebVTT reader follows "WebVTT file parsing" (W3C WebVTT, section 6.1) for what captions
need: the ``WEBVTT`` signature, header lines up to the first blank line, NOTE, STYLE and
REGION blocks, cue identifiers, cue timings with the spec's whitespace rules, and cue text up
to a blank line. Cue settings (``align:start`` ...), style sheets and regions are ignored;
markup tags are stripped from cue text and entities decoded.

Where the spec recovers, so does the reader, and says so: a cue whose timing line does not
parse is dropped, a block that starts like a cue but has no '-->' is skipped, a cue that
ends before it starts never shows. Each is a
:class:`CaptionWarning` with its 1-based line, so an item writer learns that a caption will
never show. A file that is not captions at all raises :class:`CaptionError`, and so does one
past the limits below (a single 100 MB cue once made the player hang at check-in, and a
million cues took 980 MB): an hour of narration needs a few hundred kilobytes, about a
thousand cues, and a few lines per cue.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

_TAG = re.compile(r"<[^>]*>")
_ENTITIES = {"&amp;": "&", "&lt;": "<", "&gt;": ">", "&nbsp;": " ", "&lrm;": "", "&rlm;": ""}
# "Skip whitespace" in the spec: ASCII whitespace, which has no vertical tab.
_WHITESPACE = " \t\n\f\r"
_DIGITS = "0123456789"
# A line that starts like a cue timing ("00:01.000 ->"), in a block that has no '-->'.
_TIMING_LIKE = re.compile(r"[ \t]*\d+:\d\d")

MAX_BYTES = 2_000_000  # the whole file
MAX_CUES = 10_000
MAX_CUE_CHARS = 1_000  # one cue's text, as shown


@dataclass(frozen=True)
class Cue:
    start: float
    end: float
    text: str
    id: str = ""


@dataclass(frozen=True)
class CaptionWarning:
    """A recoverable problem: the file is read, but a cue the author wrote will not show."""

    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


@dataclass
class Captions:
    cues: list[Cue] = field(default_factory=list)
    warnings: list[CaptionWarning] = field(default_factory=list)


class CaptionError(Exception):
    def __init__(self, message: str, line: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


def read_captions(path: Path) -> Captions:
    """Cues and warnings of a .vtt or .srt file (by its suffix); CaptionError if neither."""
    with path.open("rb") as file:
        raw = file.read(MAX_BYTES + 1)
    if len(raw) > MAX_BYTES:
        raise CaptionError(f"the file is larger than {MAX_BYTES:,} bytes, the limit for captions")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        kind = "SubRip" if path.suffix.lower() == ".srt" else "WebVTT"
        raise CaptionError(f"not a {kind} file: it is not UTF-8 text") from None
    if path.suffix.lower() == ".srt":
        from casebook_player.core.case.srt import parse_srt

        return parse_srt(text)
    return parse_webvtt(text)


def read_cues(path: Path) -> list[Cue]:
    """The cues of a .vtt or .srt file (warnings dropped: the case checks report them)."""
    return read_captions(path).cues


def parse_vtt(text: str) -> list[Cue]:
    """Cues in file order; raises CaptionError when ``text`` is not WebVTT."""
    return parse_webvtt(text).cues


def parse_webvtt(text: str) -> Captions:
    """Cues and warnings of WebVTT ``text`` (a leading BOM is ignored)."""
    lines = text_lines(text)
    first = lines[0]
    if not first.startswith("WEBVTT") or first[6:7] not in ("", " ", "\t"):
        raise CaptionError("not a WebVTT file: the first line must be 'WEBVTT'")
    result = Captions()
    i = _skip_header(lines, 1)
    while i < len(lines):
        if lines[i] == "":
            i += 1
            continue
        i = _block(lines, i, result)
    return result


def text_lines(text: str) -> list[str]:
    """A caption file's lines: a leading BOM dropped, NUL replaced, any line ending."""
    text = text.removeprefix("\ufeff").replace("\0", "\ufffd")
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _skip_header(lines: list[str], i: int) -> int:
    """The index after the header: lines up to a blank line or a line holding '-->'."""
    while i < len(lines) and lines[i] != "" and "-->" not in lines[i]:
        i += 1
    return i


def _block(lines: list[str], i: int, result: Captions) -> int:
    """Collect one block from ``lines[i]`` (not blank); the index of the line after it.

    A line holding '-->' is the timing line when it is the block's first or second line;
    a later one ends the block and starts the next. NOTE, STYLE and REGION blocks, like
    any other block without a timing line, are skipped; one whose first or second line
    starts like a timing (``00:01.000 -> 00:02.000``) is reported: a cue with a broken arrow.
    """
    buffer: list[str] = []
    timings: tuple[float, float] | None = None
    ident = ""
    seen_arrow = False
    timing_line = 0
    first = i
    while i < len(lines):
        line, count = lines[i], i - first + 1
        if "-->" in line:
            if count == 1 or (count == 2 and not seen_arrow):
                seen_arrow, timing_line = True, i + 1
                timings = _timings(line)
                if timings is None:
                    result.warnings.append(
                        CaptionWarning(
                            timing_line,
                            f"malformed cue timing {line.strip()!r}: the cue is dropped "
                            "(expected e.g. 00:00:01.500 --> 00:00:04.000)",
                        )
                    )
                else:
                    ident, buffer = "\n".join(buffer), []
                i += 1
                continue
            break  # this line starts the next block
        if line == "":
            break
        buffer.append(line)
        i += 1
    if not seen_arrow and not re.match(r"(NOTE|STYLE|REGION)([ \t]|$)", buffer[0]):
        for offset, text in enumerate(buffer[:2]):
            if _TIMING_LIKE.match(text):
                result.warnings.append(
                    CaptionWarning(
                        first + offset + 1,
                        f"expected a cue timing line 'start --> end', not {text.strip()!r}: "
                        "the block is ignored",
                    )
                )
                break
    if timings is not None:
        start, end = timings
        if end <= start:
            result.warnings.append(
                CaptionWarning(timing_line, "a cue must end after it starts: it never shows")
            )
        add_cue(result, Cue(start, end, clean_text("\n".join(buffer)), ident), timing_line)
    return i


def add_cue(result: Captions, cue: Cue, line: int) -> None:
    """Add ``cue`` (its timing on ``line``); CaptionError past MAX_CUES or MAX_CUE_CHARS."""
    if len(cue.text) > MAX_CUE_CHARS:
        raise CaptionError(
            f"the cue has {len(cue.text):,} characters; the limit is {MAX_CUE_CHARS:,}", line
        )
    if len(result.cues) >= MAX_CUES:
        raise CaptionError(f"more than {MAX_CUES:,} cues, the limit for one file", line)
    result.cues.append(cue)


def _timings(line: str) -> tuple[float, float] | None:
    """Start and end of a cue timing line ('start --> end [settings]'), or None."""
    pos = _skip(line, 0)
    start = _timestamp(line, pos)
    if start is None:
        return None
    value, pos = start
    pos = _skip(line, pos)
    if line[pos : pos + 3] != "-->":
        return None
    end = _timestamp(line, _skip(line, pos + 3))
    if end is None:
        return None
    return value, end[0]  # what follows is cue settings, ignored


def _skip(line: str, pos: int) -> int:
    while pos < len(line) and line[pos] in _WHITESPACE:
        pos += 1
    return pos


def _digits(line: str, pos: int) -> tuple[str, int]:
    end = pos
    while end < len(line) and line[end] in _DIGITS:
        end += 1
    return line[pos:end], end


def _timestamp(line: str, pos: int) -> tuple[float, int] | None:
    """'Collect a WebVTT timestamp': [hours:]mm:ss.ttt, hours of any length."""
    first, pos = _digits(line, pos)
    if not first:
        return None
    hours_given = len(first) != 2 or int(first) > 59
    if line[pos : pos + 1] != ":":
        return None
    second, pos = _digits(line, pos + 1)
    if len(second) != 2:
        return None
    if hours_given or line[pos : pos + 1] == ":":
        if line[pos : pos + 1] != ":":
            return None
        third, pos = _digits(line, pos + 1)
        if len(third) != 2:
            return None
        hours, minutes, seconds = int(first), int(second), int(third)
    else:
        hours, minutes, seconds = 0, int(first), int(second)
    if line[pos : pos + 1] != ".":
        return None
    millis, pos = _digits(line, pos + 1)
    if len(millis) != 3 or minutes > 59 or seconds > 59:
        return None
    return hours * 3600 + minutes * 60 + seconds + int(millis) / 1000, pos


def clean_text(text: str) -> str:
    """Cue text as shown: markup tags stripped, entities decoded, outer whitespace removed."""
    text = _TAG.sub("", text)
    for entity, char in _ENTITIES.items():
        text = text.replace(entity, char)
    return text.strip()


def cue_at(cues: list[Cue], seconds: float) -> int | None:
    """Index of the cue showing at ``seconds`` (the latest starting one), or None."""
    found = None
    for index, cue in enumerate(cues):
        if cue.start > seconds:
            break
        if seconds < cue.end:
            found = index
    return found
