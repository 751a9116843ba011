"""Text from a file made safe to show: no control character from it reaches a terminal.

A name or a message read from a case, a package, a result or a folder listing can hold
line breaks, ANSI escape sequences (``ESC [``), C1 controls or Unicode bidirectional
overrides. Printed raw, these can forge a line ("VERIFIED"), recolour or erase what is on
the screen, or show a name in another order than its characters. Each such character is
shown escaped instead, as Python writes it (``\\n``, ``\\x1b``, ``\\u202e``).
"""

from __future__ import annotations

import re

# Bidi marks (the Arabic letter mark, LRM, RLM), the line and paragraph separators, and the
# bidi embeddings, overrides and isolates; with the C0 and C1 controls and DEL below.
_FORMAT = "\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069"
_ANY_CONTROL = re.compile(f"[\x00-\x1f\x7f-\x9f{_FORMAT}]")
_CONTROL_BUT_LINE_BREAK = re.compile(f"[\x00-\x09\x0b-\x1f\x7f-\x9f{_FORMAT}]")


def one_line(text: str) -> str:
    """``text`` with every control character escaped, line breaks included."""
    return _ANY_CONTROL.sub(_escaped, text)


def with_line_breaks(text: str) -> str:
    """``text`` with every control character escaped but the line break (``\\n``)."""
    return _CONTROL_BUT_LINE_BREAK.sub(_escaped, text)


def _escaped(match: re.Match[str]) -> str:
    return repr(match.group())[1:-1]
