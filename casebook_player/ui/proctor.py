"""Proctor mode: kiosk window, PIN-protected menu (pause, time, notes, end) and exit."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from casebook_player.core.crypto.pin import PinError, PinHash, check_new_pin
from casebook_player.core.crypto.pin_guard import PinCheck, PinGuard, PinOutcome
from casebook_player.core.session.custody import DECISION_TEXT, Decision, JournalFinding
from casebook_player.core.session.timer import format_clock
from casebook_player.ui import journal_finding
from casebook_player.ui.dialogs import confirm
from casebook_player.ui.kiosk import CLOSE_REQUEST, RESTARTED, WHAT_HAPPENED, KioskHold
from casebook_player.ui.main_window import PlayerWindow
from casebook_player.ui.session import PlayerSession

MENU_SHORTCUT = "Ctrl+Alt+P"

AskPin = Callable[[QWidget, str], str | None]


def ask_pin(parent: QWidget, prompt: str) -> str | None:
    text, ok = QInputDialog.getText(parent, "Proctor PIN", prompt, QLineEdit.EchoMode.Password)
    return text if ok else None


class NewPinDialog(QDialog):
    """The proctor chooses the PIN for this session (typed twice)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Set the proctor PIN")
        self.first = QLineEdit()
        self.second = QLineEdit()
        for field, name in ((self.first, "PIN"), (self.second, "PIN again")):
            field.setEchoMode(QLineEdit.EchoMode.Password)
            field.setAccessibleName(name)
        self.message = QLabel()
        self.message.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._check)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(QLabel("The PIN protects the proctor menu and closing the player."))
        form.addRow("&PIN", self.first)
        form.addRow("PIN &again", self.second)
        form.addRow(self.message)
        form.addRow(buttons)
        self.pin: PinHash | None = None

    def _check(self) -> None:
        try:
            check_new_pin(self.first.text())
        except PinError as exc:
            self.message.setText(str(exc).capitalize() + ".")
            return
        if self.first.text() != self.second.text():
            self.message.setText("The two PINs differ.")
            return
        self.pin = PinHash.create(self.first.text())
        self.accept()


class PauseCover(QWidget):
    """Covers the whole window while the attempt is paused or the kiosk has lost the screen;
    its button asks for the proctor's PIN to go on."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet("background: black; color: white;")
        self.label = QLabel()
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.label.setWordWrap(True)
        font = self.label.font()
        font.setPointSizeF(font.pointSizeF() * 2)
        self.label.setFont(font)
        self.resume_button = QPushButton("Proctor: enter the PIN to resume…")
        self.resume_button.setStyleSheet("background: #333; color: white; padding: 8px 16px;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 24)
        layout.addStretch(1)
        layout.addWidget(self.label)
        layout.addSpacing(24)
        layout.addWidget(self.resume_button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(1)
        self.hide()
        parent.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and isinstance(watched, QWidget):
            self.setGeometry(watched.rect())
        return False

    def show_text(self, text: str | None) -> None:
        """Cover the window with ``text``; None: uncover it."""
        parent = self.parentWidget()
        if parent is not None:
            self.setGeometry(parent.rect())
        self.label.setText(text or "")
        self.setVisible(text is not None)
        if text is not None:
            self.raise_()


class ProctorMenu(QDialog):
    """The incidents so far (restarts, clock steps, …); pause or resume, add time, write an
    incident note, end the attempt."""

    def __init__(self, session: PlayerSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setWindowTitle("Proctor")
        self.incident_log = QPlainTextEdit()
        self.incident_log.setReadOnly(True)
        self.incident_log.setAccessibleName("Incidents so far")
        self.incident_log.setPlainText(incident_log(session.incidents))
        self.pause_button = QPushButton()
        self.pause_button.clicked.connect(self._toggle_pause)
        self.minutes = QSpinBox()
        self.minutes.setRange(1, 120)
        self.minutes.setValue(5)
        self.minutes.setSuffix(" min")
        self.minutes.setAccessibleName("Extra minutes")
        self.add_button = add = QPushButton("Add time")
        add.clicked.connect(lambda: self.session.add_time(self.minutes.value()))
        self.note = QPlainTextEdit()
        self.note.setAccessibleName("Incident note")
        self.note.setPlaceholderText("What happened (saved in the journal and the result)")
        self.note_button = save_note = QPushButton("Record the note")
        save_note.clicked.connect(self._record_note)
        self.end_button = end = QPushButton("End the attempt…")
        end.clicked.connect(self._end)
        close = QPushButton("Close")
        close.clicked.connect(self.accept)
        time_row = QHBoxLayout()
        time_row.addWidget(self.minutes)
        time_row.addWidget(add)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Incidents so far (journaled, and listed in the result):"))
        layout.addWidget(self.incident_log)
        layout.addWidget(self.pause_button)
        layout.addLayout(time_row)
        layout.addWidget(self.note)
        layout.addWidget(save_note)
        bottom = QHBoxLayout()
        bottom.addWidget(end)
        bottom.addStretch(1)
        bottom.addWidget(close)
        layout.addLayout(bottom)
        self._update()

    def _update(self) -> None:
        self.pause_button.setText(
            "Resume the attempt" if self.session.paused else "Pause the attempt (stops the clock)"
        )

    def _toggle_pause(self) -> None:
        if self.session.paused:
            self.session.resume_attempt()
        else:
            self.session.pause_attempt()
        self._update()

    def _record_note(self) -> None:
        text = self.note.toPlainText().strip()
        if text:
            self.session.record_incident("note", text)
            self.note.clear()

    def _end(self) -> None:
        text = "End the candidate's attempt now? Unanswered questions score nothing."
        if confirm(self, "End the attempt", text):
            self.session.end_by_proctor(self.note.toPlainText().strip())
            self.accept()


def incident_log(incidents: list[dict[str, Any]]) -> str:
    """One line per incident: its time (UTC), kind and note."""
    if not incidents:
        return "None."
    return "\n".join(
        f"{str(i.get('at', ''))[11:19]}  {i['kind']}" + (f": {i['note']}" if i.get("note") else "")
        for i in incidents
    )


class ProctorControls(QObject):
    """Turns a player window into a test-centre kiosk guarded by the proctor's PIN.

    Wrong PINs are held back by a ``PinGuard`` (growing waits, then a lockout) and journaled
    in the attempt. In the kiosk, losing the screen (``KioskHold.lost``) or a close request
    from the window system covers the window and pauses the attempt until the PIN is given.
    """

    def __init__(
        self,
        window: PlayerWindow,
        pin: PinHash,
        ask: AskPin = ask_pin,
        kiosk: bool = True,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.guard = PinGuard(pin, clock)
        self.ask = ask
        self.breach: str | None = None  # the incident that took the screen, until the PIN
        self.cover = PauseCover(window)
        self.cover.resume_button.clicked.connect(self.resume_with_pin)
        window.close_guard = self._close_requested
        window.decide_journal = self.decide_journal
        window.session_started.connect(self._on_session)
        QShortcut(QKeySequence(MENU_SHORTCUT), window, self.open_menu)
        self.kiosk = KioskHold(window) if kiosk else None
        if self.kiosk is not None:
            self.kiosk.lost.connect(self.screen_lost)

    def authorise(self, prompt: str) -> bool:
        """Ask for the PIN (unless the guard makes the proctor wait); True: the right one."""
        wait = self.guard.wait_left()
        if wait > 0:
            QMessageBox.warning(self.window, "Proctor PIN", wait_message(wait, self.guard.locked))
            return False
        pin = self.ask(self.window, prompt)
        if pin is None:
            return False
        check = self.guard.attempt(pin)
        if not check.accepted:
            QMessageBox.warning(self.window, "Proctor PIN", refusal_message(check))
            return False
        self._clear_breach()  # the proctor is at the machine
        return True

    def decide_journal(self, finding: JournalFinding) -> Decision | None:
        """The proctor decides what becomes of an altered journal, and confirms with the PIN."""
        choice = journal_finding.ask_journal_decision(self.window, finding)
        if choice is None:
            return None
        if not self.authorise(f"To {DECISION_TEXT[choice]}, enter the proctor PIN."):
            return None
        return choice

    def open_menu(self) -> None:
        session = self.window.session
        if session is None:
            QMessageBox.information(
                self.window, "Proctor", "The proctor menu opens once the candidate is checked in."
            )
            return
        if self.authorise("Proctor menu: enter the PIN."):
            ProctorMenu(session, self.window).exec()

    def resume_with_pin(self) -> None:
        """The cover's button: with the PIN, the attempt goes on."""
        if not self.authorise("Resume the attempt: enter the PIN."):
            return
        session = self.window.session
        if session is not None and session.paused:
            session.resume_attempt()

    def screen_lost(self, kind: str, note: str) -> None:
        """The kiosk lost the screen: covered, and the attempt paused, until the PIN."""
        if self.breach is not None:
            return  # one incident until the proctor has come
        self.breach = kind
        session = self.window.session
        if session is not None:
            session.interrupt(kind, note)
        self._update_cover()

    def _close_requested(self, by_window_system: bool) -> bool:
        if self.kiosk is not None and by_window_system:
            self.screen_lost(CLOSE_REQUEST, "the window system asked to close the window")
            return False
        if not self.authorise("Closing the player needs the proctor PIN."):
            return False
        if self.kiosk is not None:
            self.kiosk.release()
        return True

    def _clear_breach(self) -> None:
        if self.breach is not None:
            self.breach = None
            self._update_cover()

    def _on_session(self, session: PlayerSession) -> None:
        self.guard.attach(session.record_incident, [i["kind"] for i in session.incidents])
        session.paused_changed.connect(self._update_cover)
        if self.kiosk is not None and session.core.resumed_from is not None:
            # A restart (a crash, a power cut, or a candidate who found a way) goes on only
            # once the proctor has seen it: covered and paused once the session has started.
            QTimer.singleShot(
                0, lambda: self.screen_lost(RESTARTED, "the attempt was resumed after a restart")
            )

    def _update_cover(self) -> None:
        session = self.window.session
        if self.breach is not None:
            text = f"{WHAT_HAPPENED[self.breach]}\n{BREACH_TEXT}"
        elif session is not None and session.paused:
            text = PAUSED_TEXT
        else:
            text = None
        self.cover.show_text(text)
        if text is not None:
            self.window.clip_player.pause()


PAUSED_TEXT = "The attempt is paused by the proctor.\nThe clock is stopped."
BREACH_TEXT = "The attempt is paused and the clock is stopped.\nOnly the proctor's PIN resumes it."


def wait_message(wait: float, locked: bool) -> str:
    if locked:
        return (
            "Too many wrong PINs: the PIN is locked. It can be tried again in "
            f"{format_clock(wait)}. Each wrong PIN is recorded in the attempt's journal."
        )
    return f"Wait {math.ceil(wait)} s before the next try."


def refusal_message(check: PinCheck) -> str:
    if check.outcome is PinOutcome.LOCKED:
        return (
            f"Wrong PIN, {check.failures} times in a row: the PIN is locked for "
            f"{format_clock(check.wait_s)}. This is recorded in the attempt's journal."
        )
    if check.wait_s > 0:
        return f"Wrong PIN. The next try is possible in {math.ceil(check.wait_s)} s."
    return "Wrong PIN."
