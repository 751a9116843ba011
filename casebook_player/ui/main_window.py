"""The player window: check-in, encounter, key points, review and result, one at a time."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from casebook_player.core.model import Case, KeyPoint, Segment
from casebook_player.core.results import Attempt, Candidate
from casebook_player.core.timeline import EndReason, Phase
from casebook_player.core.timer import format_clock
from casebook_player.media.player import MediaPlayer
from casebook_player.ui.checkin import CheckInScreen
from casebook_player.ui.dialogs import confirm
from casebook_player.ui.encounter import EncounterScreen
from casebook_player.ui.keypoint import KeyPointScreen
from casebook_player.ui.report_pdf import write_report
from casebook_player.ui.review import ResultScreen, ReviewScreen
from casebook_player.ui.session import PlayerSession
from casebook_player.ui.theme import apply_theme

SHORTCUTS = [
    ("K", "Play or pause the narration"),
    ("J / L", "Back / forward 10 seconds (never past where you have been)"),
    ("R", "Replay the current part of the encounter"),
    ("C", "Captions on or off"),
    ("Ctrl++ / Ctrl+−", "Larger / smaller captions"),
    ("Alt+Right", "Next question, or continue the case"),
    ("Alt+Left", "Previous question"),
    ("Tab / Shift+Tab", "Move between controls"),
    ("Arrow keys", "Choose an answer; move a hotspot mark or a caliper"),
    ("Ctrl+Shift+H", "High-contrast theme on or off"),
    ("F1", "This list"),
]

SessionFactory = Callable[[Case, Attempt], PlayerSession | None]


class PlayerWindow(QMainWindow):
    result_ready = Signal(dict)
    session_started = Signal(object)  # PlayerSession

    def __init__(
        self,
        case: Case,
        narration: MediaPlayer,
        clip_player: MediaPlayer,
        make_session: SessionFactory | None = None,
        high_contrast: bool = False,
        proctor: bool = False,
        second_clip_player: MediaPlayer | None = None,
    ) -> None:
        super().__init__()
        self.case = case
        self.narration = narration
        self.clip_player = clip_player
        self.second_clip_player = second_clip_player  # two clips side by side; None: tabs
        self.make_session: SessionFactory = make_session or (
            lambda c, a: PlayerSession(c, a, narration)
        )
        self.high_contrast = high_contrast
        self.session: PlayerSession | None = None
        self.document: dict[str, Any] = {}
        self._save_failure_shown = False
        # Asked before the window closes; False keeps it open (proctor mode: the PIN).
        self.close_guard: Callable[[], bool] | None = None
        self.setWindowTitle(f"{case.title} — casebook")
        self.resize(1280, 800)

        self.progress_label = QLabel()
        self.time_label = QLabel()
        self.time_label.setAccessibleName("Time remaining")
        header = QHBoxLayout()
        title = QLabel(f"<b>{case.title}</b>")
        header.addWidget(title)
        header.addStretch(1)
        header.addWidget(self.progress_label)
        header.addSpacing(24)
        header.addWidget(self.time_label)
        self.stack = QStackedWidget()
        self.checkin = CheckInScreen(case, proctor=proctor)
        self.checkin.start_requested.connect(self.start)
        self.stack.addWidget(self.checkin)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.addLayout(header)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self._shortcut("F1", self.show_shortcuts)
        self._shortcut("Ctrl+Shift+H", self.toggle_contrast)

    def _shortcut(self, keys: str, slot: Callable[[], object]) -> None:
        QShortcut(QKeySequence(keys), self, slot)

    # -- starting ---------------------------------------------------------------------

    def start(self, candidate: Candidate, accommodations: dict[str, float]) -> None:
        session = self.make_session(self.case, Attempt(candidate, accommodations))
        if session is not None:  # None: the journal said no, and the candidate was told why
            self.start_session(session)

    def start_session(self, session: PlayerSession) -> None:
        """Build the screens around ``session`` and run it (new or resumed)."""
        self.session = session
        self.encounter = EncounterScreen(session)
        self.key_point_screen = KeyPointScreen(session, self.clip_player, self.second_clip_player)
        self.review = ReviewScreen(self.case)
        self.result = ResultScreen()
        if self.case.show_results:
            export = QPushButton("Export PDF report…")
            export.clicked.connect(self.export_report)
            self.result.action_row.addWidget(export)
        self.result.action_row.addStretch(1)
        close = QPushButton("Close")
        close.clicked.connect(self.close)
        self.result.action_row.addWidget(close)
        for screen in (self.encounter, self.key_point_screen, self.review, self.result):
            self.stack.addWidget(screen)
        session.narration_started.connect(self._on_narration_started)
        session.key_point_shown.connect(self._on_key_point_shown)
        session.review_started.connect(self._on_review)
        session.ended.connect(self._on_ended)
        session.progress_changed.connect(self._on_progress)
        session.time_left_changed.connect(self._on_time_left)
        session.save_failed.connect(self._on_save_failed)
        self.review.answer_requested.connect(self._answer_from_review)
        self.review.finish_requested.connect(session.finish)
        self.key_point_screen.review_done.connect(
            lambda: self._on_review(session.timeline.unanswered())
        )
        self._shortcut("K", session.toggle_play)
        self._shortcut("J", lambda: self.encounter.skip(-10))
        self._shortcut("L", lambda: self.encounter.skip(10))
        self._shortcut("R", session.replay_segment)
        self._shortcut("C", self.encounter.toggle_captions)
        self._shortcut("Ctrl++", lambda: self.encounter.scale_captions(1))
        self._shortcut("Ctrl+=", lambda: self.encounter.scale_captions(1))
        self._shortcut("Ctrl+-", lambda: self.encounter.scale_captions(-1))
        self._shortcut("Alt+Right", self._next)
        self._shortcut("Alt+Left", self._previous)
        self.encounter.view.caption_scale = float(
            session.attempt.accommodations.get("caption_scale", 1.0)
        )
        self.session_started.emit(session)
        session.start()

    # -- session events ---------------------------------------------------------------

    def _on_narration_started(self, segment: Segment, start: float) -> None:
        self.key_point_screen.leave()
        self.stack.setCurrentWidget(self.encounter)
        self.encounter.play_button.setFocus()

    def _on_key_point_shown(self, kp: KeyPoint, index: int) -> None:
        self.stack.setCurrentWidget(self.key_point_screen)

    def _on_review(self, unanswered: tuple[str, ...]) -> None:
        self.key_point_screen.leave()
        self.review.show_unanswered(unanswered)
        self.stack.setCurrentWidget(self.review)

    def _answer_from_review(self, item_id: str) -> None:
        self.key_point_screen.show_for_review(item_id)
        self.stack.setCurrentWidget(self.key_point_screen)

    def _on_ended(self, reason: EndReason) -> None:
        assert self.session is not None
        self.key_point_screen.leave()
        document = self.session.result()
        self.document = document
        self.result.show_result(document, self.case.show_results)
        self.stack.setCurrentWidget(self.result)
        self.time_label.clear()
        self.result_ready.emit(document)

    def _on_progress(self, reached: int, total: int) -> None:
        self.progress_label.setText(f"Key point {reached} of {total}" if reached else "")

    def _on_time_left(self, seconds: float | None) -> None:
        if seconds is not None:
            self.time_label.setText(f"Time left {format_clock(seconds)}")

    def _on_save_failed(self, message: str) -> None:
        if not self._save_failure_shown:  # once: the next save that works catches up
            self._save_failure_shown = True
            QMessageBox.critical(
                self,
                "Answers cannot be saved",
                f"Your answers cannot be written to disk.\n{message}\n\n"
                "Please tell the proctor now. Do not close the player.",
            )

    def _next(self) -> None:
        if self.stack.currentWidget() is self.key_point_screen:
            self.key_point_screen.go_next()

    def _previous(self) -> None:
        if self.session and self.session.timeline.phase is Phase.KEY_POINT:
            self.key_point_screen.previous_button.click()

    def export_report(self, path: Path | None = None) -> Path | None:
        """Save the score report as a PDF (asking where, unless ``path`` is given)."""
        if path is None:
            name, _ = QFileDialog.getSaveFileName(
                self, "Export PDF report", f"{self.case.id}-report.pdf", "PDF (*.pdf)"
            )
            if not name:
                return None
            path = Path(name)
        write_report(self.document, path, "Exported from the player at the end of the attempt.")
        return path

    # -- window -----------------------------------------------------------------------

    def show_shortcuts(self) -> None:
        rows = "".join(
            f"<tr><td><b>{k}</b>&nbsp;&nbsp;</td><td>{v}</td></tr>" for k, v in SHORTCUTS
        )
        QMessageBox.information(self, "Keyboard shortcuts", f"<table>{rows}</table>")

    def toggle_contrast(self) -> None:
        self.high_contrast = not self.high_contrast
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_theme(app, self.high_contrast)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.close_guard is not None:
            if self.close_guard():
                event.accept()
            else:
                event.ignore()
            return
        in_progress = self.session is not None and self.session.timeline.phase not in (
            Phase.ENDED,
            Phase.READY,
        )
        leaving = "The case is not finished. Leave anyway?"
        if in_progress and not confirm(self, "Leave the case?", leaving):
            event.ignore()
            return
        event.accept()
