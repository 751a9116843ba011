"""What the ``casebook`` command writes: no control character from a file reaches a terminal.

While a verb runs, standard output and standard error escape every control character but the
line break (core.printable), whatever the verb prints: a name read from a package, a result or
a folder cannot send escape codes, move the cursor or reorder text. Where a name is put into
a line, the verb also escapes its line breaks (``one_line``), so that it cannot forge a line.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TextIO

from casebook_player.core.printable import with_line_breaks


class _EscapingStream:
    """A text stream that writes everything through ``with_line_breaks``."""

    def __init__(self, stream: TextIO) -> None:
        self.raw = stream

    def write(self, text: str) -> int:
        self.raw.write(with_line_breaks(text))
        return len(text)

    def __getattr__(self, name: str) -> Any:  # flush, isatty, fileno, encoding...
        return getattr(self.raw, name)


@contextmanager
def escaped_output() -> Iterator[None]:
    """Standard output and error escape control characters until the block ends."""
    saved = sys.stdout, sys.stderr
    sys.stdout = _EscapingStream(sys.stdout)
    sys.stderr = _EscapingStream(sys.stderr)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved


def control_stream() -> TextIO:
    """Standard error as it is, for the command's own control codes (a progress line)."""
    stream = sys.stderr
    return stream.raw if isinstance(stream, _EscapingStream) else stream
