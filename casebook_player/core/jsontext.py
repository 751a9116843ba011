"""JSON read from files with a nesting limit, so that no file can exhaust the stack.

Python's ``json`` parser recurses once per nested array or object: 100,000 ``[`` raise
RecursionError, which is no ValueError and escaped every handler (``casebook verify`` of a
folder stopped at such a file, leaving the rest unchecked). ``loads`` counts the nesting
first and refuses more than MAX_DEPTH levels with a ValueError, as for any other bad JSON.
No document this player writes comes near the limit.
"""

from __future__ import annotations

import json
import re
from typing import Any

MAX_DEPTH = 64

# The "unrolled loop" form: runs of plain characters matched at once, not one alternation
# per character (8x faster on a result file, which `casebook verify` and the archive read).
_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_BRACKET = re.compile(rb"[^\[\]{}]+")


class TooDeep(ValueError):
    """The JSON nests arrays and objects more than MAX_DEPTH levels deep."""


def loads(data: str | bytes, **options: Any) -> Any:
    """``json.loads(data, **options)``, refusing nesting deeper than MAX_DEPTH (TooDeep).

    Raises ValueError (json.JSONDecodeError, UnicodeDecodeError, TooDeep) for anything that
    is not JSON within the limit.
    """
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
    check_depth(raw)
    return json.loads(data, **options)


def check_depth(raw: bytes) -> None:
    """Raise TooDeep when ``raw`` opens more than MAX_DEPTH brackets outside strings."""
    if raw.count(b"[") + raw.count(b"{") <= MAX_DEPTH:
        return  # so few brackets cannot nest too deep: most signed files, at a tenth the cost
    depth = 0
    for bracket in _NOT_BRACKET.sub(b"", _STRING.sub(b"", raw)):
        if bracket in b"[{":
            depth += 1
            if depth > MAX_DEPTH:
                raise TooDeep(f"nesting deeper than {MAX_DEPTH} levels")
        else:
            depth = max(depth - 1, 0)
