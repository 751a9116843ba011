"""Proctor mode: PIN-guarded exit and menu, pause with the clock stopped, time, notes, end."""

from __future__ import annotations

from pathlib import Path

import pytest
from casefactory import case_data, write_case
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from uiharness import Harness, make_harness

from casebook_player.core.crypto.pin import PinHash
from casebook_player.core.session.timeline import Phase
from casebook_player.ui.proctor import NewPinDialog, ProctorControls, ProctorMenu

LEFT = Qt.MouseButton.LeftButton


class PinPad:
    """Answers the PIN prompts with what the test queues."""

    def __init__(self) -> None:
        self.answers: list[str | None] = []
        self.prompts: list[str] = []

    def __call__(self, parent: object, prompt: str) -> str | None:
        self.prompts.append(prompt)
        return self.answers.pop(0) if self.answers else "2468"  # teardown closes the window


@pytest.fixture
def proctored(qtbot: QtBot, tmp_path: Path) -> tuple[Harness, ProctorControls, PinPad]:
    data = case_data()
    data["time_limit_minutes"] = 30
    write_case(tmp_path / "case", data)
    h = make_harness(qtbot, tmp_path / "case", tmp_path)
    pad = PinPad()
    controls = ProctorControls(h.window, PinHash.create("2468"), ask=pad, kiosk=True)
    return h, controls, pad


def test_kiosk_window_is_frameless(proctored: tuple[Harness, ProctorControls, PinPad]) -> None:
    h, _, _ = proctored
    assert h.window.windowFlags() & Qt.WindowType.FramelessWindowHint


def test_closing_needs_the_pin(proctored: tuple[Harness, ProctorControls, PinPad]) -> None:
    h, _, pad = proctored
    pad.answers = [None, "1111", "2468"]
    assert not h.window.close()  # cancelled
    assert not h.window.close()  # wrong PIN
    assert h.window.isVisible()
    assert h.window.close()
    assert len(pad.prompts) == 3


def test_menu_needs_the_pin(
    proctored: tuple[Harness, ProctorControls, PinPad], monkeypatch: pytest.MonkeyPatch
) -> None:
    h, controls, pad = proctored
    h.check_in()
    opened: list[bool] = []
    monkeypatch.setattr(ProctorMenu, "exec", lambda self: opened.append(True))
    pad.answers = ["0000", "2468"]
    controls.open_menu()
    assert opened == []
    controls.open_menu()
    assert opened == [True]


def test_pause_covers_the_screen_and_stops_the_clock(
    proctored: tuple[Harness, ProctorControls, PinPad], qtbot: QtBot
) -> None:
    h, controls, _ = proctored
    h.check_in()
    session = h.window.session
    assert session is not None
    menu = ProctorMenu(session, h.window)
    qtbot.mouseClick(menu.pause_button, LEFT)
    assert session.paused and controls.cover.isVisible()
    assert not session.core.timer.running and not h.narration.is_playing()
    left = session.core.timer.remaining()
    session.toggle_play()  # the candidate's keys do nothing while paused
    assert not h.narration.is_playing()
    qtbot.wait(300)
    assert session.core.timer.remaining() == left
    qtbot.mouseClick(menu.pause_button, LEFT)
    assert not session.paused and not controls.cover.isVisible() and session.core.timer.running


def test_extra_time_notes_and_ending_are_journaled_and_in_the_result(
    proctored: tuple[Harness, ProctorControls, PinPad], qtbot: QtBot, tmp_path: Path
) -> None:
    h, _, _ = proctored
    h.check_in("cand-p")
    session = h.window.session
    assert session is not None and session.core.journal is not None
    before = session.core.timer.remaining() or 0.0
    menu = ProctorMenu(session, h.window)
    menu.minutes.setValue(10)
    qtbot.mouseClick(menu.pause_button, LEFT)
    qtbot.mouseClick(menu.pause_button, LEFT)  # pause and resume again
    qtbot.mouseClick(menu.add_button, LEFT)
    assert (session.core.timer.remaining() or 0) >= before + 600 - 1
    menu.note.setPlainText("Fire alarm test at 10:05; candidate stayed seated.")
    qtbot.mouseClick(menu.note_button, LEFT)
    qtbot.mouseClick(menu.end_button, LEFT)  # the confirmation is answered Yes by the test
    assert session.core.timeline.phase is Phase.ENDED
    assert h.window.stack.currentWidget() is h.window.result
    result = session.result()
    assert result["end_reason"] == "ended_by_proctor"
    kinds = [i["kind"] for i in result["incidents"]]
    assert kinds == ["proctor_pause", "proctor_resume", "extra_time", "note", "ended_by_proctor"]
    assert result["incidents"][3]["note"].startswith("Fire alarm")
    journaled = [p["kind"] for _, _, p in session.core.journal.events("incident")]
    assert journaled == kinds


def test_new_pin_dialog_checks_the_pin(qtbot: QtBot) -> None:
    dialog = NewPinDialog()
    qtbot.addWidget(dialog)
    dialog.first.setText("12")
    dialog.second.setText("12")
    dialog._check()
    assert dialog.pin is None and "at least 4 digits" in dialog.message.text()
    dialog.first.setText("2468")
    dialog.second.setText("2469")
    dialog._check()
    assert dialog.pin is None and "differ" in dialog.message.text()
    dialog.second.setText("2468")
    dialog._check()
    assert dialog.pin is not None and dialog.pin.matches("2468")


def test_check_in_accommodations_reach_the_attempt(qtbot: QtBot, tmp_path: Path) -> None:
    data = case_data()
    data["time_limit_minutes"] = 10
    write_case(tmp_path / "case", data)
    h = make_harness(qtbot, tmp_path / "case", tmp_path)
    h.window.checkin.extra_time.setCurrentIndex(2)  # × 1.5
    h.window.checkin.caption_size.setCurrentIndex(1)  # large
    h.check_in()
    session = h.window.session
    assert session is not None
    assert session.attempt.accommodations == {"extra_time": 1.5, "caption_scale": 1.5}
    assert session.core.timer.allowed() == 900
    assert h.window.encounter.view.caption_scale == 1.5


def test_each_restart_of_the_attempt_is_shown_to_the_proctor(
    proctored: tuple[Harness, ProctorControls, PinPad], qtbot: QtBot, tmp_path: Path
) -> None:
    h, _, _ = proctored
    h.check_in("cand-r")
    h.play_until_stop()
    assert h.window.session is not None
    assert ProctorMenu(h.window.session, h.window).incident_log.toPlainText() == "None."
    for _ in range(2):
        h.crash()
        h = make_harness(qtbot, tmp_path / "case", tmp_path)
        h.check_in("cand-r")
    session = h.window.session
    assert session is not None
    log = ProctorMenu(session, h.window).incident_log.toPlainText().splitlines()
    assert [line.split("  ", 1)[1].split(":")[0] for line in log] == ["restart", "restart"]
    assert "restart 2: resumed with 0:" in log[1]
    assert [i["kind"] for i in session.core.current_attempt().incidents] == ["restart"] * 2
