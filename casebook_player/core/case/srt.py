"""SubRip (.srt) captions, converted to the same cues as WebVTT.

A SubRip file is a list of blocks separated by blank lines: an index line (``1``), a timing
line (``00:00:01,000 --> 00:00:02,000``, a '.' is accepted for the ',') and the cue text.
A block whose timing line does not parse is dropped with a warning naming its line; a file
whose blocks all fail is not SubRip, and raises CaptionError.
"""

from __future__ import annotations

import re

from casebook_player.core.case.captions import (
    CaptionError,
    Captions,
    CaptionWarning,
    Cue,
    add_cue,
    clean_text,
    text_lines,
)

_TIME = r"(\d+):([0-5]\d):([0-5]\d)[,.](\d{3})"
_TIMING = re.compile(rf"^[ \t]*{_TIME}[ \t]+-->[ \t]+{_TIME}(?:[ \t].*)?$")


def parse_srt(text: str) -> Captions:
    """Cues and warnings of SubRip ``text`` (a leading BOM is ignored)."""
    split = text_lines(text)
    result = Captions()
    blocks = 0
    i = 0
    while i < len(split):
        if not split[i].strip():
            i += 1
            continue
        first = i
        block: list[str] = []
        while i < len(split) and split[i].strip():
            block.append(split[i])
            i += 1
        blocks += 1
        at = 1 if block[0].strip().isdigit() else 0
        if at >= len(block):
            result.warnings.append(
                CaptionWarning(first + 1, "a cue number without a timing line: ignored")
            )
            continue
        match = _TIMING.match(block[at])
        if not match:
            result.warnings.append(
                CaptionWarning(
                    first + at + 1,
                    f"malformed cue timing {block[at].strip()!r}: the cue is dropped "
                    "(expected e.g. 00:00:01,500 --> 00:00:04,000)",
                )
            )
            continue
        groups = [int(g) for g in match.groups()]
        start = groups[0] * 3600 + groups[1] * 60 + groups[2] + groups[3] / 1000
        end = groups[4] * 3600 + groups[5] * 60 + groups[6] + groups[7] / 1000
        if end <= start:
            result.warnings.append(
                CaptionWarning(first + at + 1, "a cue must end after it starts: it never shows")
            )
        ident = block[0].strip() if at else ""
        text = clean_text("\n".join(block[at + 1 :]))
        add_cue(result, Cue(start, end, text, ident), first + at + 1)
    if blocks and not result.cues and result.warnings:
        first_warning = result.warnings[0]
        raise CaptionError(
            f"not a SubRip file: no block has a cue timing ({first_warning.message})",
            first_warning.line,
        )
    return result
