"""``--at TIME``: date a scripted document (a simulated result, an evaluation filled from a
file, a submission check, a review) at a given time instead of now.

For sample records and tests whose dates must sit on either side of a programme's limits.
It proves nothing about when anything happened: the signer states the time, as always.
"""

from __future__ import annotations

import argparse
from datetime import UTC, datetime

from casebook_player.commands import UsageError


def add_at_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--at",
        metavar="ISO_TIME",
        help="date the document at this time (e.g. 2026-03-01T09:00:00Z) instead of now",
    )


def at_argument(text: str | None) -> float | None:
    """The ``--at`` time in seconds since the epoch (a date alone is midnight UTC)."""
    if text is None:
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise UsageError(f"--at {text!r} is not an ISO 8601 time") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()
