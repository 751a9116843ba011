"""The proctor's PIN guard and the kiosk's cover in the window (offscreen; the window
manager's side is in test_kiosk_x11.py): waits and lockouts are journaled and outlive a
restart; losing the screen covers it and pauses the attempt until the PIN."""

from __future__ import annotations

from pathlib import Path

import pytest
from casefactory import case_data, write_case
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot
from uiharness import Harness, make_harness

from casebook_player.core.crypto.pin import PinHash
from casebook_player.core.session.simulate import FakeClock
from casebook_player.core.session.timeline import Phase
from casebook_player.ui.kiosk import CLOSE_REQUEST, FOCUS_LOST, HIDDEN, RESTARTED
from casebook_player.ui.proctor import ProctorControls


class Proctor:
    """A window in proctor mode whose PIN prompts the test answers, on a clock it moves."""

    def __init__(self, qtbot: QtBot, tmp_path: Path, kiosk: bool = True) -> None:
        data = case_data()
        data["time_limit_minutes"] = 30
        write_case(tmp_path / "case", data)
        self.h: Harness = make_harness(qtbot, tmp_path / "case", tmp_path)
        self.clock = FakeClock(0.0)
        self.answers: list[str | None] = []
        self.prompts = 0
        self.controls = ProctorControls(
            self.h.window, PinHash.create("2468"), ask=self._ask, kiosk=kiosk, clock=self.clock
        )

    def _ask(self, parent: object, prompt: str) -> str | None:
        self.prompts += 1
        return self.answers.pop(0) if self.answers else "2468"  # teardown closes the window

    def kinds(self) -> list[str]:
        session = self.h.window.session
        assert session is not None and session.core.journal is not None
        return [p["kind"] for _, _, p in session.core.journal.events("incident")]


@pytest.fixture
def proctor(qtbot: QtBot, tmp_path: Path) -> Proctor:
    return Proctor(qtbot, tmp_path)


def test_wrong_pins_wait_longer_then_lock_and_are_journaled(proctor: Proctor) -> None:
    proctor.h.check_in()
    controls = proctor.controls
    for _ in range(8):
        proctor.clock.advance(controls.guard.wait_left())
        proctor.answers.append("1111")
        assert not controls.authorise("PIN")
    assert proctor.kinds() == ["wrong_pin"] * 8 + ["pin_locked"]
    assert controls.guard.locked
    prompts = proctor.prompts
    proctor.clock.advance(299)
    assert not controls.authorise("PIN")  # locked: not even asked, with the right PIN queued
    assert proctor.prompts == prompts
    proctor.clock.advance(1)
    assert controls.authorise("PIN")
    assert proctor.kinds()[-1] == "pin_accepted"


def test_the_window_says_why_a_pin_is_refused(
    proctor: Proctor, monkeypatch: pytest.MonkeyPatch
) -> None:
    said: list[str] = []
    monkeypatch.setattr(
        "casebook_player.ui.proctor.QMessageBox.warning", lambda p, t, text: said.append(text)
    )
    controls = proctor.controls
    proctor.answers = ["1111", "1111", "1111"]
    for _ in range(3):
        controls.authorise("PIN")
    controls.authorise("PIN")
    assert said == [
        "Wrong PIN.",
        "Wrong PIN.",
        "Wrong PIN. The next try is possible in 1 s.",
        "Wait 1 s before the next try.",
    ]
    for _ in range(5):
        proctor.clock.advance(controls.guard.wait_left())
        proctor.answers.append("1111")
        controls.authorise("PIN")
    assert said[-1] == (
        "Wrong PIN, 8 times in a row: the PIN is locked for 5:00. "
        "This is recorded in the attempt's journal."
    )
    proctor.clock.advance(61)
    controls.authorise("PIN")
    assert said[-1] == (
        "Too many wrong PINs: the PIN is locked. It can be tried again in 3:59. "
        "Each wrong PIN is recorded in the attempt's journal."
    )


def test_wrong_pins_before_check_in_are_journaled_in_the_attempt(proctor: Proctor) -> None:
    proctor.answers = [None, "1111", "1111"]
    for _ in range(3):
        proctor.h.window.close()  # cancelled, then two wrong PINs: the window stays
    assert proctor.h.window.isVisible()
    proctor.h.check_in()
    assert proctor.kinds() == ["wrong_pin", "wrong_pin"]


def test_a_restart_keeps_the_lockout(qtbot: QtBot, tmp_path: Path) -> None:
    first = Proctor(qtbot, tmp_path)
    first.h.check_in("cand-r")
    for _ in range(8):
        first.clock.advance(first.controls.guard.wait_left())
        first.answers.append("1111")
        first.controls.authorise("PIN")
    first.h.crash()

    again = Proctor(qtbot, tmp_path)
    again.h.check_in("cand-r")  # resumed from the journal
    assert again.controls.guard.locked and again.controls.guard.wait_left() == 300
    assert not again.controls.authorise("PIN")
    assert again.prompts == 0


def test_an_attempt_resumed_in_the_kiosk_waits_covered_for_the_pin(
    qtbot: QtBot, tmp_path: Path
) -> None:
    first = Proctor(qtbot, tmp_path)
    first.h.check_in("cand-r")
    first.h.crash()

    again = Proctor(qtbot, tmp_path)
    again.h.check_in("cand-r")  # resumed from the journal
    session = again.h.window.session
    assert session is not None
    qtbot.waitUntil(lambda: session.paused)
    cover = again.controls.cover
    assert cover.isVisible() and not session.core.timer.running
    assert "started again during the attempt" in cover.label.text()
    assert again.kinds()[-2:] == ["restart", RESTARTED]
    cover.resume_button.click()  # the PIN
    assert not cover.isVisible() and not session.paused


def test_a_new_attempt_in_the_kiosk_is_not_covered(proctor: Proctor, qtbot: QtBot) -> None:
    proctor.h.check_in()
    qtbot.wait(50)
    session = proctor.h.window.session
    assert session is not None and not session.paused and not proctor.controls.cover.isVisible()


@pytest.mark.parametrize("kind", [FOCUS_LOST, HIDDEN])
def test_losing_the_screen_covers_it_and_pauses_until_the_pin(proctor: Proctor, kind: str) -> None:
    proctor.h.check_in()
    session = proctor.h.window.session
    assert session is not None
    assert proctor.controls.kiosk is not None and proctor.controls.kiosk.armed
    proctor.controls.kiosk.lost.emit(kind, "what the window system did")
    proctor.controls.kiosk.lost.emit(FOCUS_LOST, "and again")  # one incident until the PIN
    cover = proctor.controls.cover
    assert cover.isVisible() and session.paused and not session.core.timer.running
    assert "Only the proctor's PIN resumes it." in cover.label.text()
    assert proctor.kinds() == [kind]
    proctor.answers = ["1111"]
    cover.resume_button.click()
    assert cover.isVisible() and session.paused
    cover.resume_button.click()  # the right PIN
    assert not cover.isVisible() and not session.paused and session.core.timer.running
    assert proctor.kinds() == [kind, "wrong_pin", "pin_accepted", "proctor_resume"]


def test_the_application_losing_the_focus_is_noticed(proctor: Proctor) -> None:
    proctor.h.check_in()
    app = QGuiApplication.instance()
    assert isinstance(app, QGuiApplication)
    app.applicationStateChanged.emit(Qt.ApplicationState.ApplicationInactive)
    assert proctor.controls.breach == FOCUS_LOST
    assert proctor.kinds() == [FOCUS_LOST]


def test_the_window_minimised_is_noticed(proctor: Proctor) -> None:
    proctor.h.check_in()
    handle = proctor.h.window.windowHandle()
    handle.visibilityChanged.emit(handle.Visibility.Minimized)
    assert proctor.controls.breach == HIDDEN


def test_a_close_from_the_window_system_is_refused_and_pauses(proctor: Proctor) -> None:
    proctor.h.check_in()
    window = proctor.h.window
    assert window.close_guard is not None
    assert not window.close_guard(True)  # the window system asks: no PIN is even asked
    session = window.session
    assert session is not None and session.paused and session.phase is not Phase.ENDED
    assert proctor.prompts == 0 and proctor.kinds() == [CLOSE_REQUEST]
    assert proctor.controls.cover.isVisible()


def test_the_proctor_menu_with_the_pin_clears_the_cover_but_not_the_pause(
    proctor: Proctor, monkeypatch: pytest.MonkeyPatch
) -> None:
    proctor.h.check_in()
    monkeypatch.setattr("casebook_player.ui.proctor.ProctorMenu.exec", lambda self: 0)
    proctor.controls.screen_lost(FOCUS_LOST, "")
    proctor.controls.open_menu()
    session = proctor.h.window.session
    assert session is not None and session.paused and proctor.controls.breach is None
    assert proctor.controls.cover.label.text().startswith("The attempt is paused by the proctor")


def test_without_a_kiosk_a_close_from_the_window_system_asks_the_pin(
    qtbot: QtBot, tmp_path: Path
) -> None:
    proctor = Proctor(qtbot, tmp_path, kiosk=False)
    proctor.answers = ["1111"]
    assert proctor.h.window.close_guard is not None
    assert not proctor.h.window.close_guard(True)
    assert proctor.prompts == 1 and proctor.controls.breach is None


def test_losing_the_screen_before_check_in_covers_it_until_the_pin(proctor: Proctor) -> None:
    proctor.controls.screen_lost(HIDDEN, "minimised")
    assert proctor.controls.cover.isVisible()
    proctor.controls.cover.resume_button.click()
    assert not proctor.controls.cover.isVisible()


def test_play_takes_kiosk_as_the_name_of_proctor_mode() -> None:
    from casebook_player.cli import build_parser

    assert build_parser().parse_args(["play", "case", "--kiosk"]).proctor
    assert not build_parser().parse_args(["play", "case"]).proctor
