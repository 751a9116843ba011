"""Proctor mode: kiosk window, PIN-protected menu (pause, time, notes, end) and exit."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt
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
from casebook_player.core.session.custody import DECISION_TEXT, Decision, JournalFinding
from casebook_player.ui import journal_finding
from casebook_player.ui.dialogs import confirm
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
    """Covers the whole window while the proctor has paused the attempt."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet("background: black; color: white;")
        label = QLabel("The attempt is paused by the proctor.\nThe clock is stopped.")
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        font = label.font()
        font.setPointSizeF(font.pointSizeF() * 2)
        label.setFont(font)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(label)
        self.hide()
        parent.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and isinstance(watched, QWidget):
            self.setGeometry(watched.rect())
        return False

    def cover(self, paused: bool) -> None:
        parent = self.parentWidget()
        if parent is not None:
            self.setGeometry(parent.rect())
        self.setVisible(paused)
        if paused:
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
    """Turns a player window into a test-centre kiosk guarded by the proctor's PIN."""

    def __init__(
        self, window: PlayerWindow, pin: PinHash, ask: AskPin = ask_pin, kiosk: bool = True
    ) -> None:
        super().__init__(window)
        self.window = window
        self.pin = pin
        self.ask = ask
        self.cover = PauseCover(window)
        window.close_guard = lambda: self.authorise("Closing the player needs the proctor PIN.")
        window.decide_journal = self.decide_journal
        window.session_started.connect(self._on_session)
        QShortcut(QKeySequence(MENU_SHORTCUT), window, self.open_menu)
        if kiosk:
            shown = window.isVisible()
            window.setWindowFlag(Qt.WindowType.FramelessWindowHint, True)
            window.setWindowFlag(Qt.WindowType.WindowStaysOnTopHint, True)
            if shown:  # new window flags hide a window that was already on screen
                window.show()

    def authorise(self, prompt: str) -> bool:
        pin = self.ask(self.window, prompt)
        if pin is None:
            return False
        if not self.pin.matches(pin):
            QMessageBox.warning(self.window, "Proctor PIN", "Wrong PIN.")
            return False
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

    def _on_session(self, session: PlayerSession) -> None:
        session.paused_changed.connect(self._on_paused)

    def _on_paused(self, paused: bool) -> None:
        self.cover.cover(paused)
        if paused:
            self.window.clip_player.pause()
