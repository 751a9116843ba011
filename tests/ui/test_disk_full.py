"""A full disk: no answer looks selected unless it is journaled, and each failure is said."""

from __future__ import annotations

from pathlib import Path

import pytest
from casefactory import write_case
from PySide6.QtCore import QPointF, Qt
from pytestqt.qtbot import QtBot
from uiharness import Harness, make_harness

from casebook_player.core.session.journal import Journal, JournalError
from casebook_player.ui.items import SingleItemWidget

LEFT = Qt.MouseButton.LeftButton
FULL = "cannot write the journal: database or disk is full"


@pytest.fixture
def harness(qtbot: QtBot, tmp_path: Path) -> Harness:
    write_case(tmp_path / "case")
    h = make_harness(qtbot, tmp_path / "case", tmp_path)
    h.check_in("cand-full")
    h.play_until_stop()
    return h


def fill_the_disk(h: Harness) -> Journal:
    session = h.window.session
    assert session is not None and session.core.journal is not None
    journal = session.core.journal

    def full_disk(*args: object) -> None:
        raise JournalError(FULL)

    journal.record = full_disk  # type: ignore[method-assign]
    return journal


def free_the_disk(journal: Journal) -> None:
    del journal.record  # the class's own method again


def test_every_answer_that_is_not_saved_reverts_and_says_why(
    harness: Harness, answer_dialogs_yes: list[str]
) -> None:
    h, qtbot = harness, harness.qtbot
    single = h.window.key_point_screen.widgets["q-view"]
    assert isinstance(single, SingleItemWidget)
    journal = fill_the_disk(h)
    for choice in ("B", "A"):
        qtbot.mouseClick(single.button(choice), LEFT)
        assert not single.button(choice).isChecked()  # it does not look selected
        assert single.response() is None
        assert single.not_saved.isVisible() and FULL in single.not_saved.text()
        assert "It is unanswered" in single.not_saved.text()
    assert answer_dialogs_yes.count("Your answer was not saved") == 2  # each time
    assert h.window.save_warning.isVisible() and FULL in h.window.save_warning.text()
    assert h.window.session is not None and h.window.session.response("q-view") is None

    free_the_disk(journal)
    qtbot.mouseClick(single.button("B"), LEFT)
    assert single.button("B").isChecked() and not single.not_saved.isVisible()
    assert not h.window.save_warning.isVisible()
    fill_the_disk(h)
    qtbot.mouseClick(single.button("A"), LEFT)
    assert single.button("B").isChecked() and not single.button("A").isChecked()
    assert "Your earlier answer stands" in single.not_saved.text()
    assert h.window.session.response("q-view") == "B"


def test_a_mark_on_the_image_that_is_not_saved_is_taken_off(
    harness: Harness, answer_dialogs_yes: list[str]
) -> None:
    h, qtbot, kp = harness, harness.qtbot, harness.window.key_point_screen
    qtbot.mouseClick(kp.next_button, LEFT)
    qtbot.mouseClick(kp.next_button, LEFT)
    h.play_until_stop()
    assert h.window.session is not None
    assert h.window.session.core.timeline.state.key_point_id == "kp2"
    fill_the_disk(h)
    canvas = kp.viewer.canvas
    qtbot.mouseClick(canvas, LEFT, pos=canvas.to_widget(QPointF(52, 48)).toPoint())
    assert kp.viewer.hotspot() is None
    assert kp.widgets["q-spot"].not_saved.isVisible()
    assert answer_dialogs_yes.count("Your answer was not saved") == 1


def test_a_background_save_that_fails_is_shown_until_one_works(harness: Harness) -> None:
    """The time used is saved every second on the window's clock tick."""
    h, warning = harness, harness.window.save_warning
    journal = fill_the_disk(h)
    h.qtbot.waitUntil(warning.isVisible, timeout=3000)
    assert FULL in warning.text() and "Tell the proctor" in warning.text()
    free_the_disk(journal)
    h.qtbot.waitUntil(lambda: not warning.isVisible(), timeout=3000)
