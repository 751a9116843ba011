"""WebVTT captions: a strict reader for the subset narration captions use.

Strict on purpose: a cue whose timing line is malformed is reported with its line number
rather than dropped, so an item writer learns that a caption will never show.
Cue settings (``align:start`` ...) are accepted and ignored; markup tags are stripped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

_TIME = r"(?:(\d+):)?([0-5]\d):([0-5]\d)\.(\d{3})"
_TIMING = re.compile(rf"^{_TIME}\s+-->\s+{_TIME}(?:\s+.*)?$")
_TAG = re.compile(r"<[^>]*>")
_ENTITIES = {"&amp;": "&", "&lt;": "<", "&gt;": ">", "&nbsp;": " ", "&lrm;": "", "&rlm;": ""}


@dataclass(frozen=True)
class Cue:
    start: float
    end: float
    text: str


class CaptionError(Exception):
    def __init__(self, message: str, line: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


def read_vtt(path: Path) -> list[Cue]:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CaptionError("not a WebVTT file: it is not UTF-8 text") from None
    return parse_vtt(text)


def parse_vtt(text: str) -> list[Cue]:
    """Cues in file order; raises CaptionError with the 1-based line of the first problem."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if not lines[0].startswith("WEBVTT") or lines[0][6:7] not in ("", " ", "\t"):
        raise CaptionError("not a WebVTT file: the first line must be 'WEBVTT'")
    cues: list[Cue] = []
    i = 1
    while i < len(lines):
        if not lines[i].strip():
            i += 1
            continue
        block_start = i
        block: list[str] = []
        while i < len(lines) and lines[i].strip():
            block.append(lines[i])
            i += 1
        if block[0].startswith(("NOTE", "STYLE", "REGION")):
            continue
        timing_at = 0 if "-->" in block[0] else 1
        if timing_at >= len(block) or "-->" not in block[timing_at]:
            raise CaptionError("expected a cue timing line 'start --> end'", block_start + 1)
        match = _TIMING.match(block[timing_at].strip())
        line_no = block_start + timing_at + 1
        if not match:
            raise CaptionError(
                f"malformed cue timing '{block[timing_at].strip()}' "
                "(expected e.g. 00:00:01.500 --> 00:00:04.000)",
                line_no,
            )
        start, end = _seconds(match.groups()[:4]), _seconds(match.groups()[4:])
        if end <= start:
            raise CaptionError("a cue must end after it starts", line_no)
        cues.append(Cue(start, end, _clean(block[timing_at + 1 :])))
    return cues


def _seconds(parts: tuple[str | None, ...]) -> float:
    hours, minutes, seconds, millis = parts
    return (
        int(hours or 0) * 3600
        + int(minutes or 0) * 60
        + int(seconds or 0)
        + int(millis or 0) / 1000
    )


def _clean(lines: list[str]) -> str:
    text = _TAG.sub("", "\n".join(lines))
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
