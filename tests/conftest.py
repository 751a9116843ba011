"""Shared test set-up: Qt runs offscreen on a 1024x768 screen (the smallest candidates have)
unless a platform is asked for; a test that leaves Qt worker threads running fails."""

from __future__ import annotations

import os
import weakref
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

SMALL_SCREEN = Path(__file__).parent / "data" / "screens" / "1024x768.json"
os.environ.setdefault("QT_QPA_PLATFORM", f"offscreen:configfile={SMALL_SCREEN}")

# How long a test's threads get to end after it returns before they count as left running.
THREAD_GRACE_MS = 2000

try:
    import shiboken6
    from PySide6.QtCore import QThread, QThreadPool
except ImportError:  # the core tests run without Qt too
    QThread = None

_threads: list[weakref.ref[Any]] = []  # every QThread made since the current test began

if QThread is not None:
    _qthread_init = QThread.__init__

    def _noting_init(self: Any, *args: Any, **kwargs: Any) -> None:
        _qthread_init(self, *args, **kwargs)
        _threads.append(weakref.ref(self))

    QThread.__init__ = _noting_init  # subclasses too: they call super().__init__()


@pytest.fixture(autouse=True)
def no_threads_left_running() -> Iterator[None]:
    """Fail the test that leaves a QThread running or QThreadPool work unfinished, so a leak
    is caught where it happens rather than as a crash in some later test."""
    _threads.clear()
    yield
    if QThread is None:
        return
    left = []
    pool = QThreadPool.globalInstance()
    if not pool.waitForDone(THREAD_GRACE_MS) or pool.activeThreadCount():
        left.append(f"{pool.activeThreadCount()} QThreadPool task(s)")
    for ref in _threads:
        thread = ref()
        running = thread is not None and shiboken6.isValid(thread) and thread.isRunning()
        if running and not thread.wait(THREAD_GRACE_MS):
            left.append(repr(thread))
    _threads.clear()
    if left:
        pytest.fail(f"the test left threads running: {', '.join(left)}", pytrace=False)
