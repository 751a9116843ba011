"""A kiosk player window in its own process, on a real X display, for tests/ui/test_kiosk_x11.py.

    python tests/ui/kiosk_child.py CASE_DIR WORK_DIR

It opens the case in proctor mode (PIN 2468), checks a candidate in, and answers one line of
JSON per command read from standard input: ``state``, ``pin DIGITS`` (the cover's button,
answered with DIGITS), ``press-resume`` (the cover's button, answered in the real PIN dialog
by whoever types), ``screenshot PATH`` (the whole X screen) and ``quit``. Message boxes are
noted in the state instead of waiting for a click.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSocketNotifier, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMessageBox

from casebook_player.core.case.loader import load_case
from casebook_player.core.crypto.pin import PinHash
from casebook_player.media.fake_player import FakePlayer
from casebook_player.ui.app import PlayerOptions, application, build_window
from casebook_player.ui.proctor import ProctorControls, ask_pin

PIN = "2468"


def main() -> int:
    case_dir, work = Path(sys.argv[1]), Path(sys.argv[2])
    app = application()
    messages: list[str] = []
    QMessageBox.warning = lambda parent, title, text, *a: messages.append(text)  # type: ignore[assignment,method-assign]
    QMessageBox.information = lambda parent, title, text, *a: messages.append(text)  # type: ignore[assignment,method-assign]
    options = PlayerOptions(
        journal_dir=work / "journal", results_dir=work / "results", proctor=True
    )
    window = build_window(load_case(case_dir), FakePlayer(), FakePlayer(), options, FakePlayer())
    answers: list[str] = []
    controls = ProctorControls(
        window, PinHash.create(PIN), ask=lambda *a: answers.pop(0) if answers else ask_pin(*a)
    )
    window.showFullScreen()
    window.checkin.candidate_id.setText("cand-kiosk")
    window.checkin.start_button.click()
    assert controls.kiosk is not None and window.session is not None
    kiosk, session = controls.kiosk, window.session

    def state() -> dict[str, Any]:
        journal = session.core.journal
        assert journal is not None
        return {
            "window": int(window.winId()),
            "holds_the_screen": kiosk.holds_the_screen(),
            "grabbed": kiosk.grabbed,
            "breach": controls.breach,
            "cover": controls.cover.isVisible(),
            "cover_text": controls.cover.label.text(),
            "paused": session.paused,
            "timer_running": session.core.timer.running,
            "time_left": session.core.timer.remaining(),
            "phase": session.phase.name,
            "journaled": [p["kind"] for _, _, p in journal.events("incident")],
            "messages": messages,
        }

    def on_command() -> None:
        line = sys.stdin.readline()
        command, _, argument = line.strip().partition(" ")
        if command == "pin":
            answers.append(argument)
            controls.cover.resume_button.click()
        elif command == "press-resume":  # the dialog's own event loop answers from now on
            QTimer.singleShot(0, controls.cover.resume_button.click)
        elif command == "screenshot":
            QGuiApplication.primaryScreen().grabWindow(0).save(argument)
        elif command in ("quit", ""):
            kiosk.release()
            app.quit()
            return
        print(json.dumps(state()), flush=True)

    notifier = QSocketNotifier(sys.stdin.fileno(), QSocketNotifier.Type.Read)
    notifier.activated.connect(on_command)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
