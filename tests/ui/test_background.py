"""Work off the GUI thread: the window stays responsive, the dialog shows progress and can
cancel, and the result or the exception comes back to the caller on the GUI thread."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QThread, QTimer
from PySide6.QtWidgets import QApplication, QProgressDialog, QPushButton
from pytestqt.qtbot import QtBot

from casebook_player.ui import background
from casebook_player.ui.background import BackgroundTask, Reporter, run_in_background

WAIT_S = 5.0  # far longer than any of these should take; a frozen GUI thread runs into it


def shown_dialog() -> QProgressDialog | None:
    shown = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
    return next((w for w in shown if isinstance(w, QProgressDialog)), None)


@pytest.fixture(autouse=True)
def show_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(background, "SHOW_AFTER_MS", 0)


def test_the_gui_thread_runs_timers_while_the_work_runs(qtbot: QtBot) -> None:
    ticked = threading.Event()
    threads: list[QThread] = []

    def work(report: Reporter) -> str:
        threads.append(QThread.currentThread())
        # Only a timer on the GUI thread sets this: a blocked GUI thread would time out.
        return "ticked" if ticked.wait(WAIT_S) else "the GUI thread was blocked"

    QTimer.singleShot(20, ticked.set)
    assert run_in_background(work, "Working", "Working…") == "ticked"
    assert threads[0] is not QApplication.instance().thread()  # type: ignore[union-attr]


def test_progress_is_shown_in_the_dialog(qtbot: QtBot) -> None:
    seen = threading.Event()
    shown: list[tuple[str, int]] = []

    def look() -> None:
        dialog = shown_dialog()
        if dialog is not None and dialog.labelText() == "Half way…":
            shown.append((dialog.windowTitle(), dialog.value()))
            if dialog.value() == 500:
                seen.set()

    timer = QTimer(interval=5, timeout=look)
    timer.start()

    def work(report: Reporter) -> bool:
        report.progress("Half way…", 0.5)
        return seen.wait(WAIT_S)

    try:
        assert run_in_background(work, "Doing it", "Starting…")
    finally:
        timer.stop()
    assert shown[-1] == ("Doing it", 500)
    assert shown_dialog() is None  # gone when the work is done


def test_an_exception_in_the_work_is_raised_to_the_caller(qtbot: QtBot) -> None:
    def work(report: Reporter) -> None:
        raise LookupError("no such member")

    with pytest.raises(LookupError, match="no such member"):
        run_in_background(work, "Working", "Working…")


def test_cancel_asks_the_work_to_stop(qtbot: QtBot) -> None:
    def press_cancel() -> None:
        dialog = shown_dialog()
        if dialog is None:
            QTimer.singleShot(5, press_cancel)
            return
        button = dialog.findChild(QPushButton)
        assert button is not None and button.text() == "Cancel"
        button.click()

    def work(report: Reporter) -> str:
        for _ in range(int(WAIT_S * 100)):
            if report.cancelled():
                return "stopped"
            report.progress("Going on…", 0.1)
            threading.Event().wait(0.01)
        return "never cancelled"

    QTimer.singleShot(5, press_cancel)
    task = BackgroundTask(work, "Working", "Working…")
    assert task.run() == "stopped"
    assert task.cancel_requested
    assert shown_dialog() is None
