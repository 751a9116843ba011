"""Media test set-up: a watchdog so that a hung backend fails the run instead of stalling it."""

from __future__ import annotations

import faulthandler
import sys
from collections.abc import Iterator

import pytest

WATCHDOG_S = 60  # far above any media test; on expiry: dump every thread's stack and exit


@pytest.fixture(autouse=True)
def watchdog() -> Iterator[None]:
    """Abort the whole run, with tracebacks, if one test hangs (e.g. a media deadlock)."""
    faulthandler.dump_traceback_later(WATCHDOG_S, exit=True, file=sys.__stderr__)
    yield
    faulthandler.cancel_dump_traceback_later()
