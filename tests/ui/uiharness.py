"""A player window over a case, with fake media players whose clocks the test moves."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from casebook_player.core.case.loader import load_case
from casebook_player.core.case.mediainfo import media_duration
from casebook_player.core.case.model import Case
from casebook_player.media.fake_player import FakePlayer
from casebook_player.ui.app import PlayerOptions, build_window
from casebook_player.ui.main_window import PREFERRED_SIZE, PlayerWindow
from casebook_player.ui.screen_fit import show_fitted
from casebook_player.ui.theme import apply_theme


def fake_duration(path: Path) -> int:
    return round((media_duration(path) or 3.0) * 1000)


@dataclass
class Harness:
    case: Case
    window: PlayerWindow
    narration: FakePlayer
    clips: FakePlayer
    qtbot: QtBot
    options: PlayerOptions
    second_clips: FakePlayer  # the second clip of two side by side

    def check_in(self, candidate: str = "cand-1") -> None:
        self.qtbot.keyClicks(self.window.checkin.candidate_id, candidate)
        self.qtbot.mouseClick(self.window.checkin.start_button, Qt.MouseButton.LeftButton)

    def crash(self) -> None:
        """What a killed process leaves: the journal on disk, its lock released, no window."""
        session = self.window.session
        assert session is not None and session.core.journal is not None
        session.core.journal.close()
        session._tick.stop()
        self.window.hide()

    def play_until_stop(self, limit_ms: int = 600_000) -> None:
        """Let narration play until it pauses at a key point or the segment ends."""
        played = 0
        while self.narration.is_playing() and played < limit_ms:
            self.narration.advance(500)
            played += 500


def make_harness(qtbot: QtBot, case_dir: Path, tmp_path: Path, fitted: bool = False) -> Harness:
    """A window over ``case_dir``; ``fitted``: opened the way the player opens it, sized to
    the screen, instead of at a fixed size."""
    case = load_case(case_dir)
    narration = FakePlayer(duration_for=fake_duration)
    clips = FakePlayer(duration_for=fake_duration)
    second_clips = FakePlayer(duration_for=fake_duration)
    options = PlayerOptions(journal_dir=tmp_path / "journal", results_dir=tmp_path / "results")
    window = build_window(case, narration, clips, options, second_clips)
    qtbot.addWidget(window)
    if fitted:
        show_fitted(window, PREFERRED_SIZE)
    else:
        window.resize(1200, 800)
        window.show()
    window.activateWindow()  # shortcuts need the window to be the active one
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    return Harness(case, window, narration, clips, qtbot, options, second_clips)


@contextmanager
def theme(high_contrast: bool) -> Iterator[QApplication]:
    """The application under a theme, put back as it was afterwards for the other tests."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    style, palette, sheet = app.style().name(), app.palette(), app.styleSheet()
    apply_theme(app, high_contrast)
    try:
        yield app
    finally:
        app.setStyleSheet(sheet)
        app.setStyle(style)
        app.setPalette(palette)
