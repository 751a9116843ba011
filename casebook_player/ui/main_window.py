"""The player window: check-in, encounter, key points, review and result, one at a time."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QSize, Signal
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

from casebook_player.core.case.model import Case, KeyPoint, Segment
from casebook_player.core.session.attempt import AttemptSession
from casebook_player.core.session.custody import Decide
from casebook_player.core.session.results import Attempt, Candidate
from casebook_player.core.session.timeline import EndReason, Phase
from casebook_player.core.session.timer import format_clock
from casebook_player.media.player import MediaPlayer
from casebook_player.ui.announce import announce
from casebook_player.ui.checkin import CheckInScreen
from casebook_player.ui.dialogs import confirm
from casebook_player.ui.encounter import EncounterScreen
from casebook_player.ui.help import HelpDialog
from casebook_player.ui.keymap import KEYMAP, Binding, Screen
from casebook_player.ui.keypoint import KeyPointScreen
from casebook_player.ui.labels import plain_label
from casebook_player.ui.report_pdf import write_report
from casebook_player.ui.review import ResultScreen, ReviewScreen
from casebook_player.ui.session import PlayerSession
from casebook_player.ui.theme import apply_theme

PREFERRED_SIZE = QSize(1280, 800)

SessionFactory = Callable[[Case, Attempt], PlayerSession | None]


class PlayerWindow(QMainWindow):
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
            lambda c, a: PlayerSession(AttemptSession(c, a), narration)
        )
        self.high_contrast = high_contrast
        self.session: PlayerSession | None = None
        self.document: dict[str, Any] = {}
        # Asked before the window closes, with whether the window system asked (rather than
        # the player itself); False keeps it open (proctor mode: the PIN).
        self.close_guard: Callable[[bool], bool] | None = None
        # Who decides what becomes of a journal found altered (proctor mode: the PIN).
        self.decide_journal: Decide | None = None
        # Preview: jumps make "reached" meaningless; say where the key point is in the script.
        self.progress_in_script = False
        self.setWindowTitle(f"{case.title} — casebook")
        self.resize(PREFERRED_SIZE)
        self._held: list[MediaPlayer] = []  # what a modal dialog paused, to play again after

        self.progress_label = QLabel()
        self.time_label = QLabel()  # no fixed accessible name: the text itself is read
        self.time_warning = QLabel()
        self.time_warning.setObjectName("time-warning")
        self.time_warning.hide()
        self.save_warning = QLabel()  # the journal cannot be written: until a save works again
        self.save_warning.setObjectName("save-warning")
        self.save_warning.setWordWrap(True)
        self.save_warning.hide()
        header = QHBoxLayout()
        title = plain_label(case.title)
        bold = title.font()
        bold.setBold(True)
        title.setFont(bold)
        header.addWidget(title, 1)
        header.addWidget(self.progress_label)
        header.addSpacing(24)
        header.addWidget(self.time_warning)
        header.addWidget(self.time_label)
        self.stack = QStackedWidget()
        self.checkin = CheckInScreen(case, proctor=proctor)
        self.checkin.start_requested.connect(self.start)
        self.stack.addWidget(self.checkin)
        self.stack.currentChanged.connect(self._update_shortcuts)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.addLayout(header)
        layout.addWidget(self.save_warning)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.help_dialog = HelpDialog(self)
        self.shortcuts: list[tuple[QShortcut, Binding]] = []
        for binding in KEYMAP:
            for keys in binding.keys:
                shortcut = QShortcut(QKeySequence(keys), self)
                shortcut.activated.connect(lambda b=binding: self._act(b.action))
                self.shortcuts.append((shortcut, binding))
        self._update_shortcuts()

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
            self.export_button = QPushButton("Export PDF report…")
            self.export_button.clicked.connect(lambda: self.export_report())
            self.result.action_row.addWidget(self.export_button)
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
        session.time_warning.connect(self._on_time_warning)
        session.save_failed.connect(self._on_save_failed)
        session.saved.connect(lambda kind: self.save_warning.hide())
        session.response_not_recorded.connect(self._on_response_not_recorded)
        self.review.answer_requested.connect(self._answer_from_review)
        self.review.finish_requested.connect(session.finish)
        self.key_point_screen.review_done.connect(lambda: self._on_review(session.unanswered()))
        self.encounter.view.caption_scale = float(
            session.attempt.accommodations.get("caption_scale", 1.0)
        )
        self.session_started.emit(session)
        session.start()

    # -- keys -------------------------------------------------------------------------

    def shown_screen(self) -> Screen:
        """Which screen the keymap acts on now."""
        current = self.stack.currentWidget()
        if self.session is not None and current is self.encounter:
            return Screen.NARRATION
        if self.session is not None and current is self.key_point_screen:
            return Screen.KEY_POINT
        return Screen.OTHER

    def _update_shortcuts(self) -> None:
        """Keys that do nothing on this screen are off, so they reach the focused control."""
        screen = self.shown_screen()
        for shortcut, binding in self.shortcuts:
            shortcut.setEnabled(bool(binding.does(screen)))

    def _act(self, action: str) -> None:
        screen = self.shown_screen()
        if action == "help":
            self.show_shortcuts()
        elif action == "contrast":
            self.toggle_contrast()
        elif screen is Screen.NARRATION:
            self._act_on_narration(action)
        elif screen is Screen.KEY_POINT:
            self._act_on_key_point(action)

    def _act_on_narration(self, action: str) -> None:
        assert self.session is not None
        encounter = self.encounter
        actions: dict[str, Callable[[], object]] = {
            "play_pause": self.session.toggle_play,
            "back": lambda: encounter.skip(-10),
            "forward": lambda: encounter.skip(10),
            "replay": self.session.replay_segment,
            "captions": encounter.toggle_captions,
            "larger": lambda: encounter.scale_captions(1),
            "smaller": lambda: encounter.scale_captions(-1),
        }
        if action in actions:
            actions[action]()

    def _act_on_key_point(self, action: str) -> None:
        viewer = self.key_point_screen.viewer
        actions: dict[str, Callable[[], object]] = {
            "play_pause": lambda: viewer.toggle_play(),
            "larger": lambda: viewer.zoom_in(),
            "smaller": lambda: viewer.zoom_out(),
            "fit": lambda: viewer.reset_zoom(),
            "frame_back": lambda: viewer.step_back(),
            "frame_forward": lambda: viewer.step_forward(),
            "next": self.key_point_screen.go_next,
            "previous": self._previous,
        }
        if action in actions:
            actions[action]()

    # -- session events ---------------------------------------------------------------

    def _on_narration_started(self, segment: Segment, start: float) -> None:
        self.key_point_screen.leave()
        self.stack.setCurrentWidget(self.encounter)
        self.encounter.play_button.setFocus()

    def _on_key_point_shown(self, kp: KeyPoint, index: int) -> None:
        self.stack.setCurrentWidget(self.key_point_screen)

    def _on_review(self, unanswered: tuple[str, ...]) -> None:
        self.key_point_screen.leave()
        assert self.session is not None
        self.review.show_review(self.session.visited_items(), unanswered)
        self.stack.setCurrentWidget(self.review)

    def _answer_from_review(self, item_id: str) -> None:
        self.key_point_screen.show_for_review(item_id)
        self.stack.setCurrentWidget(self.key_point_screen)

    def _on_ended(self, reason: EndReason) -> None:
        assert self.session is not None
        self.key_point_screen.leave()
        self.document = self.session.result()
        self.result.show_result(self.document, self.case.show_results)
        self.stack.setCurrentWidget(self.result)
        self.time_label.clear()
        self.time_warning.hide()
        self.progress_label.clear()
        core = self.session.core
        if core.output is not None:
            self.result.set_saved_path(core.result_path)
        if core.result_error is not None:
            QMessageBox.critical(self, "The result could not be saved", core.result_error)

    def _on_progress(self, reached: int, total: int) -> None:
        ended = self.session is not None and self.session.phase is Phase.ENDED
        self.progress_label.setText(
            f"Key point {reached} of {total}" if reached and not ended else ""
        )

    def _on_time_left(self, seconds: float | None) -> None:
        if seconds is not None:
            self.time_label.setText(f"Time left {format_clock(seconds)}")

    def _on_time_warning(self, seconds: float) -> None:
        """Shown in the header and said to assistive technology (WCAG 2.2.1)."""
        text = f"{format_clock(seconds)} left: the case ends when time runs out."
        self.time_warning.setText(text)
        self.time_warning.show()
        announce(self.time_warning, text)

    def _on_save_failed(self, message: str) -> None:
        """Every failure, in the header until a save works again (the time used, a step)."""
        text = (
            f"Saving is failing ({time.strftime('%H:%M:%S')}): {message}. "
            "Tell the proctor now. Do not close the player."
        )
        self.save_warning.setText(text)
        self.save_warning.show()
        announce(self.save_warning, text)

    def _on_response_not_recorded(self, item_id: str, standing: object, why: str) -> None:
        """Each answer that was not saved is said, each time: the candidate must not go on
        believing it was."""
        QMessageBox.critical(
            self,
            "Your answer was not saved",
            f"Your answer was not saved:\n{why}\n\n"
            "The question shows what is saved. Please tell the proctor now. "
            "Do not close the player.",
        )

    def _previous(self) -> None:
        if self.key_point_screen.previous_button.isVisible():
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
        """F1: the keymap, in a window-modal dialog (the media pause while it is open)."""
        self.help_dialog.open()

    def event(self, event: QEvent) -> bool:
        # A modal dialog over the window (help, a question, a message, the proctor's menu)
        # covers the narration and the clips: they pause, and play on when it closes.
        if event.type() == QEvent.Type.WindowBlocked:
            self._hold_media()
        elif event.type() == QEvent.Type.WindowUnblocked:
            self._release_media()
        return super().event(event)

    def _hold_media(self) -> None:
        for player in (self.narration, *self.key_point_players()):
            if player.is_playing() and player not in self._held:
                player.pause()
                self._held.append(player)

    def _release_media(self) -> None:
        held, self._held = self._held, []
        paused_by_proctor = self.session is not None and self.session.paused
        if paused_by_proctor or self.shown_screen() is Screen.OTHER:
            return
        for player in held:
            player.play()

    def key_point_players(self) -> tuple[MediaPlayer, ...]:
        if self.second_clip_player is None:
            return (self.clip_player,)
        return (self.clip_player, self.second_clip_player)

    def toggle_contrast(self) -> None:
        self.high_contrast = not self.high_contrast
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_theme(app, self.high_contrast)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.close_guard is not None:
            if self.close_guard(event.spontaneous()):
                event.accept()
            else:
                event.ignore()
            return
        in_progress = self.session is not None and self.session.phase not in (
            Phase.ENDED,
            Phase.READY,
        )
        leaving = "The case is not finished. Leave anyway?"
        if in_progress and not confirm(self, "Leave the case?", leaving):
            event.ignore()
            return
        event.accept()
