"""Preview for item writers: outline, jump anywhere, keys beside items, live reload."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, QSize, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDockWidget,
    QLabel,
    QListWidget,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QToolBar,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from casebook_player.core.case.loader import case_file, load_case
from casebook_player.core.case.model import Case
from casebook_player.core.case.problems import CaseError
from casebook_player.core.session.attempt import AttemptSession
from casebook_player.core.session.results import Attempt, Candidate, score_summary
from casebook_player.core.session.simulate import correct_answers, simulate
from casebook_player.media.player import MediaPlayer
from casebook_player.ui.main_window import PlayerWindow
from casebook_player.ui.screen_fit import show_fitted
from casebook_player.ui.session import PlayerSession

PREVIEW_SIZE = QSize(1440, 860)
RELOAD_DELAY_MS = 250  # editors write a file in several steps: wait for the last
_ROLE = Qt.ItemDataRole.UserRole


class PreviewWindow(QMainWindow):
    def __init__(
        self,
        path: Path,
        narration: MediaPlayer,
        clips: MediaPlayer,
        parent: QWidget | None = None,
        second_clips: MediaPlayer | None = None,
    ) -> None:
        super().__init__(parent)
        self.path = path
        self.script = case_file(path)
        self.narration = narration
        self.clips = clips
        self.second_clips = second_clips
        self.player: PlayerWindow | None = None
        self.case: Case | None = None
        self.last_valid: Case | None = None  # its files stay watched while the script is broken
        self.setWindowTitle(f"Preview: {self.script} — casebook")
        self.resize(PREVIEW_SIZE)
        self.problems = QListWidget()
        self.problems.setAccessibleName("Problems in the case script")
        problems_page = QWidget()
        problems_layout = QVBoxLayout(problems_page)
        problems_layout.addWidget(QLabel("<b>The case script has problems</b> (fix and save):"))
        problems_layout.addWidget(self.problems, 1)
        self.pages = QStackedWidget()
        self.pages.addWidget(problems_page)
        self.setCentralWidget(self.pages)
        self.outline = QTreeWidget()
        self.outline.setHeaderHidden(True)
        self.outline.setAccessibleName("Case outline")
        self.outline.itemActivated.connect(self._jump)
        dock = QDockWidget("Outline")
        dock.setWidget(self.outline)
        dock.setFeatures(QDockWidget.DockWidgetFeature.NoDockWidgetFeatures)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, dock)
        self._build_toolbar()
        self.watcher = QFileSystemWatcher(self)
        self.watcher.fileChanged.connect(self._schedule_reload)
        self.watcher.directoryChanged.connect(self._schedule_reload)
        self._reload_timer = QTimer(self)
        self._reload_timer.setSingleShot(True)
        self._reload_timer.setInterval(RELOAD_DELAY_MS)
        self._reload_timer.timeout.connect(self.reload)
        self.reload()

    def _build_toolbar(self) -> None:
        bar = QToolBar("Preview")
        self.addToolBar(bar)
        self.candidate_view = QAction("Candidate view", self)
        self.candidate_view.setCheckable(True)
        self.candidate_view.setShortcut(QKeySequence("Ctrl+Shift+C"))
        self.candidate_view.setToolTip("Hide keys, rationales and domains (Ctrl+Shift+C)")
        self.candidate_view.toggled.connect(self._show_keys)
        self.check_action = QAction("Check scoring", self)
        self.check_action.setToolTip("Simulate the case with the key and with no answers")
        self.check_action.triggered.connect(self.check_scoring)
        reload_action = QAction("Reload", self)
        reload_action.setShortcut(QKeySequence("Ctrl+R"))
        reload_action.triggered.connect(self.reload)
        for action in (self.candidate_view, self.check_action, reload_action):
            bar.addAction(action)

    # -- loading ----------------------------------------------------------------------

    def reload(self) -> None:
        """Load the script again: show its problems, or the case where it was."""
        try:
            case = load_case(self.path)
        except CaseError as exc:
            self.case = None
            self.problems.clear()
            self.problems.addItems([str(p) for p in exc.problems])
            self.pages.setCurrentIndex(0)
            self.check_action.setEnabled(False)
            self._watch()
            return
        self.case = self.last_valid = case
        self._watch()
        self.check_action.setEnabled(True)
        self._fill_outline(case)
        if self.player is None:
            self._create_player(case)
        else:
            self._replace(case)
        assert self.player is not None
        self.pages.setCurrentWidget(self.player)

    def _create_player(self, case: Case) -> None:
        self.player = PlayerWindow(
            case, self.narration, self.clips, second_clip_player=self.second_clips
        )
        self.player.setWindowFlags(Qt.WindowType.Widget)
        self.player.progress_in_script = True
        self.pages.addWidget(self.player)
        session = PlayerSession(AttemptSession(case, Attempt(Candidate("preview"))), self.narration)
        self.player.start_session(session)
        self._show_keys(self.candidate_view.isChecked())

    def _replace(self, case: Case) -> None:
        """Keep the position: the same key point, else the same segment, else the start."""
        assert self.player is not None and self.player.session is not None
        session = self.player.session
        key_point = session.key_point.id if session.key_point is not None else None
        segment = session.segment.id if session.segment is not None else None
        session.replace_case(case)
        self.player.case = case
        self.player.review.case = case
        known_kps = {kp.id for _, kp in case.key_points()}
        if key_point in known_kps:
            session.jump_to_key_point(key_point)
        elif segment in {s.id for s in case.segments}:
            session.jump_to_segment(segment)
        else:
            session.jump_to_segment(case.segments[0].id)

    def _watch(self) -> None:
        """Watch the script, its folder and the files it names (editors save by renaming)."""
        if self.watcher.files():
            self.watcher.removePaths(self.watcher.files())
        if self.watcher.directories():
            self.watcher.removePaths(self.watcher.directories())
        paths = {self.script, self.script.parent}
        if self.last_valid is not None:
            for segment in self.last_valid.segments:
                paths |= {segment.captions, segment.transcript, segment.captions.parent}
        self.watcher.addPaths([str(p) for p in paths if p.exists()])

    def _schedule_reload(self, path: str) -> None:
        self._reload_timer.start()

    # -- outline ----------------------------------------------------------------------

    def _fill_outline(self, case: Case) -> None:
        self.outline.clear()
        for segment in case.segments:
            seg_row = QTreeWidgetItem([f"▶ {segment.id}  ({segment.duration:.1f} s)"])
            seg_row.setData(0, _ROLE, ("segment", segment.id, 0))
            self.outline.addTopLevelItem(seg_row)
            for kp in segment.key_points:
                kp_row = QTreeWidgetItem([f"{kp.title}  @ {kp.at:.2f} s"])
                kp_row.setData(0, _ROLE, ("key_point", kp.id, 0))
                seg_row.addChild(kp_row)
                for index, item in enumerate(kp.items):
                    row = QTreeWidgetItem([f"{item.id} · {item.type} · {item.points:g} pt"])
                    row.setToolTip(0, item.stem)
                    row.setData(0, _ROLE, ("key_point", kp.id, index))
                    kp_row.addChild(row)
        self.outline.expandAll()

    def _jump(self, row: QTreeWidgetItem) -> None:
        if self.player is None or self.player.session is None:
            return
        kind, target, index = row.data(0, _ROLE)
        session = self.player.session
        if kind == "segment":
            session.jump_to_segment(target)
            return
        session.jump_to_key_point(target)
        kp = session.key_point
        if kp is not None and not kp.together:
            for _ in range(index):
                session.next_item()

    # -- keys and scoring -------------------------------------------------------------

    def _show_keys(self, candidate_view: bool) -> None:
        if self.player is not None:
            self.player.key_point_screen.set_show_keys(not candidate_view)
            self.player.encounter.set_show_full_transcript(not candidate_view)

    def check_scoring(self) -> str:
        """Simulate with the key and with no answers; show (and return) both summaries."""
        if self.case is None:
            return ""
        parts = []
        for label, answers in (("With the key", correct_answers(self.case)), ("Blank", {})):
            attempt = Attempt(Candidate(label.lower()))
            document = simulate(self.case, answers, attempt=attempt).result()
            parts.append(f"{label}:\n{score_summary(document)}")
        text = "\n\n".join(parts)
        QMessageBox.information(self, "Check scoring", text)
        return text


def run_preview(path: Path, backend: str = "auto") -> int:
    """Open the preview window on a case folder or script; the exit status."""
    from casebook_player.media.backends import BackendUnavailable, create_player
    from casebook_player.ui.app import application

    app = application()
    try:
        narration = create_player(backend)
        clips = create_player(backend, audio=False)
        second_clips = create_player(backend, audio=False)
    except BackendUnavailable as exc:
        QMessageBox.critical(None, "No media backend", str(exc))
        return 1
    window = PreviewWindow(path, narration, clips, second_clips=second_clips)
    show_fitted(window, PREVIEW_SIZE)
    return app.exec()
