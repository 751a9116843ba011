"""Long work off the GUI thread, behind a modal progress dialog with a Cancel button.

In the manner of Anki's QueryOp: the work runs in a worker thread and touches no widget; it
reports ``(stage, fraction)`` and asks ``cancelled()``, both through the Reporter it is given.
Its result, or the exception it raised, is handed back on the GUI thread. ``run`` waits in a
local event loop, so a caller that needs the answer before it goes on (opening a package at
start-up, between passphrase dialogs) keeps its plain sequential shape while the window
still paints, the dialog advances and timers fire.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, TypeVar, cast

from PySide6.QtCore import QEventLoop, Qt, QThread, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

T = TypeVar("T")

# The dialog shows only for work that lasts longer than this: a small package opens at once.
SHOW_AFTER_MS = 400
_STEPS = 1000  # the bar's resolution


class Reporter:
    """What the work is given; both methods may be called from the worker thread."""

    def __init__(self, worker: _Worker, cancel: threading.Event) -> None:
        self._worker = worker
        self._cancel = cancel

    def progress(self, stage: str, fraction: float) -> None:
        """Say which stage the work is in and how far the whole has come (0..1)."""
        self._worker.progressed.emit(stage, fraction)

    def cancelled(self) -> bool:
        """Whether Cancel was pressed: the work should stop at its next step."""
        return self._cancel.is_set()


class _Worker(QThread):
    """Runs the work once; its result or exception is read after the thread has ended."""

    progressed = Signal(str, float)

    def __init__(self, work: Callable[[Reporter], object], cancel: threading.Event) -> None:
        super().__init__()
        self._work = work
        self._reporter = Reporter(self, cancel)
        self.result: object = None
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self.result = self._work(self._reporter)
        except BaseException as exc:  # handed to the GUI thread, which raises it again
            self.error = exc


class _ProgressDialog(QProgressDialog):
    """The modal dialog; its slot runs on the GUI thread, where it was made."""

    def __init__(self, title: str, label: str, cancel: threading.Event, parent: QWidget | None):
        super().__init__(label, "Cancel", 0, _STEPS, parent)
        self._cancel = cancel
        self.setWindowTitle(title)
        self.setWindowModality(Qt.WindowModality.ApplicationModal)
        self.setAutoClose(False)
        self.setAutoReset(False)
        self.setMinimumDuration(SHOW_AFTER_MS)
        self.canceled.connect(cancel.set)

    @Slot(str, float)
    def show_progress(self, stage: str, fraction: float) -> None:
        if self._cancel.is_set():
            return  # the dialog hid itself on Cancel; a late report must not show it again
        self.setLabelText(stage)
        self.setValue(round(min(max(fraction, 0.0), 1.0) * _STEPS))


class BackgroundTask(Generic[T]):
    """``work`` run once in a worker thread while a progress dialog shows; see ``run``."""

    def __init__(
        self,
        work: Callable[[Reporter], T],
        title: str,
        label: str,
        parent: QWidget | None = None,
    ) -> None:
        self._work = work
        self._title = title
        self._label = label
        self._parent = parent
        self._cancel = threading.Event()

    @property
    def cancel_requested(self) -> bool:
        """Whether Cancel was pressed (the work may have finished before it noticed)."""
        return self._cancel.is_set()

    def run(self) -> T:
        """The work's result, or its exception raised again here, on the GUI thread.

        Returns only once the worker thread has ended: nothing is left running.
        """
        dialog = _ProgressDialog(self._title, self._label, self._cancel, self._parent)
        worker = _Worker(self._work, self._cancel)
        loop = QEventLoop()
        # The worker's signals come from its thread; both receivers live on this one, so
        # the calls are queued here: the work never touches a widget.
        worker.progressed.connect(dialog.show_progress, Qt.ConnectionType.QueuedConnection)
        worker.finished.connect(loop.quit, Qt.ConnectionType.QueuedConnection)
        worker.start()
        try:
            loop.exec()
        finally:
            if worker.isRunning():  # the loop was told to exit (the application quits)
                self._cancel.set()
            worker.wait()
            dialog.hide()
            dialog.deleteLater()
        if worker.error is not None:
            raise worker.error
        return cast(T, worker.result)


def run_in_background(
    work: Callable[[Reporter], T], title: str, label: str, parent: QWidget | None = None
) -> T:
    """``work``'s result (or its exception), run off the GUI thread behind a progress dialog."""
    return BackgroundTask(work, title, label, parent).run()
