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
from typing import TYPE_CHECKING, Any, TextIO

from casebook_player.core.printable import one_line, with_line_breaks

if TYPE_CHECKING:
    from casebook_player.core.case.normalize import Progress


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


def progress_line(label: str) -> Progress:
    """Progress on stderr as one rewritten line ("label:  42 %"), only where someone watches."""
    shown = [-1]

    def show(fraction: float) -> None:
        percent = int(fraction * 100)
        stream = control_stream()
        if stream.isatty() and percent != shown[0]:
            shown[0] = percent
            print(f"\r{one_line(label)}: {percent:3d} %", end="", file=stream, flush=True)

    return show


def end_progress_line() -> None:
    """Clear the progress line before what comes next."""
    stream = control_stream()
    if stream.isatty():
        print("\r\033[K", end="", file=stream, flush=True)
