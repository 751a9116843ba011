"""The verbs of the ``casebook`` command, one module each; ``casebook_player.cli`` wires them."""

from __future__ import annotations

from collections.abc import Sequence

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """The command line asks for something impossible; exit status 2."""


class Failed(Exception):
    """The verb could not do its job; the message says why; exit status 1.

    The message is one line; ``details`` are more lines under it (a case's problems).
    """

    def __init__(self, message: str, details: Sequence[object] = ()) -> None:
        super().__init__(message)
        self.details = [str(detail) for detail in details]
