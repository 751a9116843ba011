"""After a crash the same attempt resumes where it was; a second window is refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from casefactory import write_case
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from uiharness import make_harness

from casebook_player.core.session.custody import JournalFinding
from casebook_player.core.session.journal import JournalKind, journal_path
from casebook_player.core.session.timeline import Phase


@pytest.fixture
def case_dir(tmp_path: Path) -> Path:
    write_case(tmp_path / "case")
    return tmp_path / "case"


def test_resume_after_a_crash_returns_to_the_key_point_with_the_answers(
    qtbot: QtBot, case_dir: Path, tmp_path: Path, answer_dialogs_yes: list[str]
) -> None:
    first = make_harness(qtbot, case_dir, tmp_path)
    first.check_in("cand-1")
    first.play_until_stop()
    qtbot.mouseClick(
        first.window.key_point_screen.widgets["q-view"].button("B"), Qt.MouseButton.LeftButton
    )  # type: ignore[attr-defined]
    first.crash()

    second = make_harness(qtbot, case_dir, tmp_path)
    second.check_in("cand-1")
    assert "Resuming your attempt" in answer_dialogs_yes
    session = second.window.session
    assert session is not None
    assert session.core.timeline.phase is Phase.KEY_POINT
    assert session.core.timeline.state.key_point_id == "kp1"
    assert session.response("q-view") == "B"
    assert second.window.stack.currentWidget() is second.window.key_point_screen
    assert second.window.key_point_screen.widgets["q-view"].response() == "B"


def test_resume_mid_narration_restarts_from_the_last_key_point(
    qtbot: QtBot, case_dir: Path, tmp_path: Path
) -> None:
    first = make_harness(qtbot, case_dir, tmp_path)
    first.check_in("cand-2")
    first.play_until_stop()
    qtbot.mouseClick(first.window.key_point_screen.next_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(first.window.key_point_screen.next_button, Qt.MouseButton.LeftButton)
    first.narration.advance(2000)
    first.crash()
    second = make_harness(qtbot, case_dir, tmp_path)
    second.check_in("cand-2")
    assert second.window.session is not None
    assert second.window.session.core.timeline.phase is Phase.NARRATION
    assert ("seek", 3000) in second.narration.calls  # from kp1, the last key point passed
    assert second.window.stack.currentWidget() is second.window.encounter


def test_a_second_window_on_the_same_attempt_is_refused(
    qtbot: QtBot, case_dir: Path, tmp_path: Path, answer_dialogs_yes: list[str]
) -> None:
    first = make_harness(qtbot, case_dir, tmp_path)
    first.check_in("cand-3")
    second = make_harness(qtbot, case_dir, tmp_path)
    second.check_in("cand-3")
    assert "This attempt cannot be opened" in answer_dialogs_yes
    assert second.window.session is None
    assert second.window.stack.currentWidget() is second.window.checkin


def test_a_damaged_journal_is_reported_kept_and_not_started_over(
    qtbot: QtBot,
    case_dir: Path,
    tmp_path: Path,
    answer_dialogs_yes: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    asked: list[JournalFinding] = []
    monkeypatch.setattr(
        "casebook_player.ui.app.ask_journal_decision", lambda _, f: asked.append(f)
    )  # the user cancels
    h = make_harness(qtbot, case_dir, tmp_path)
    kind = JournalKind.PRACTICE
    path = journal_path(tmp_path / "journal", kind, h.case.id, h.case.sha256, "cand-4")
    path.parent.mkdir(parents=True)
    path.write_bytes(b"garbage, not SQLite" * 50)
    h.check_in("cand-4")
    assert "This attempt cannot be opened" in answer_dialogs_yes
    assert h.window.session is None
    assert path.read_bytes() == b"garbage, not SQLite" * 50
    assert not asked[0].can_resume and "is damaged" in asked[0].problem


def test_an_ended_attempt_opens_on_its_result(qtbot: QtBot, case_dir: Path, tmp_path: Path) -> None:
    from casebook_player.core.session.timeline import EndReason

    first = make_harness(qtbot, case_dir, tmp_path)
    first.check_in("cand-5")
    assert first.window.session is not None
    first.window.session.end(EndReason.ENDED_BY_PROCTOR)
    first.crash()
    second = make_harness(qtbot, case_dir, tmp_path)
    second.check_in("cand-5")
    assert second.window.stack.currentWidget() is second.window.result
