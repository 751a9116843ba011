"""Media test set-up: a watchdog so that a hung backend fails the run instead of stalling it."""

from __future__ import annotations

import faulthandler
import os
from collections.abc import Iterator

import pytest

# Far above any media test. On expiry every thread's stack is dumped and the run exits: a
# C-level timer, because the Qt deadlock it guards against holds the GIL.
WATCHDOG_S = float(os.environ.get("CASEBOOK_MEDIA_WATCHDOG_S", "60"))


@pytest.fixture(scope="session")
def real_stderr(pytestconfig: pytest.Config) -> Iterator[int]:
    """A copy of the terminal's stderr: pytest captures fd 2 into a file during tests, and
    that file is lost when the watchdog ends the process."""
    capture = pytestconfig.pluginmanager.getplugin("capturemanager")
    if capture is None:
        fd = os.dup(2)
    else:
        with capture.global_and_fixture_disabled():
            fd = os.dup(2)
    yield fd
    os.close(fd)


@pytest.fixture(autouse=True)
def watchdog(real_stderr: int) -> Iterator[None]:
    """Abort the whole run, with tracebacks, if one test hangs (e.g. a media deadlock)."""
    faulthandler.dump_traceback_later(WATCHDOG_S, exit=True, file=real_stderr)
    yield
    faulthandler.cancel_dump_traceback_later()
