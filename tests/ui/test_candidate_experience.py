"""What candidates meet in the window: keys, help, pauses under dialogs, time warnings, the
review, the result's PDF report."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible, QAccessibleEvent
from PySide6.QtPdf import QPdfDocument
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot
from uiharness import Harness, make_harness

from casebook_player.core.session.responses import key_response
from casebook_player.core.session.scoring import measurement_spacing
from casebook_player.core.session.timeline import EndReason, Phase
from casebook_player.ui import announce as announce_module
from casebook_player.ui.keymap import KEYMAP, Screen, help_markdown

LUNG = Path("cases/lung-pneumothorax")
LEFT = Qt.MouseButton.LeftButton
CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def harness(qtbot: QtBot, tmp_path: Path) -> Harness:
    return make_harness(qtbot, LUNG, tmp_path)


def at_key_point(h: Harness, key_point_id: str) -> None:
    h.check_in()
    assert h.window.session is not None
    h.window.session.jump_to_key_point(key_point_id)
    assert h.window.stack.currentWidget() is h.window.key_point_screen


# -- the result's PDF report ------------------------------------------------------------


def test_export_pdf_button_writes_a_report_that_opens(
    harness: Harness, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    h, w = harness, harness.window
    h.check_in("cand-pdf")
    assert w.session is not None
    w.session.end(EndReason.ENDED_BY_PROCTOR)
    assert w.stack.currentWidget() is w.result
    target = tmp_path / "exported.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    h.qtbot.mouseClick(w.export_button, LEFT)
    document = QPdfDocument()
    assert document.load(str(target)) == QPdfDocument.Error.None_
    assert document.pageCount() == 1
    text = document.getAllText(0).text()
    assert "Score report" in text and "cand-pdf" in text and w.case.title in text


# -- one keymap -------------------------------------------------------------------------


def test_keys_act_on_the_clip_with_the_image_focused(harness: Harness) -> None:
    h, w = harness, harness.window
    at_key_point(h, "kp-anterior")
    viewer = w.key_point_screen.viewer
    viewer.canvas.setFocus()
    assert not h.clips.is_playing()  # paused: the first question is marked on the image
    h.qtbot.keyClick(viewer.canvas, Qt.Key.Key_K)
    assert h.clips.is_playing()
    assert not h.narration.is_playing()  # the narration is not what K moved
    h.qtbot.keyClick(viewer.canvas, Qt.Key.Key_K)
    assert not h.clips.is_playing()
    before = h.clips.position()
    h.qtbot.keyClick(viewer.canvas, Qt.Key.Key_Period)
    assert h.clips.position() > before
    h.qtbot.keyClick(viewer.canvas, Qt.Key.Key_Comma)
    assert h.clips.position() == before
    h.qtbot.keyClick(viewer.canvas, Qt.Key.Key_Plus, CTRL)
    assert viewer.canvas.zoom() > 1.0
    h.qtbot.keyClick(viewer.canvas, Qt.Key.Key_0, CTRL)
    assert viewer.canvas.zoom() == 1.0


def test_keys_act_on_the_narration_wherever_the_focus_is(harness: Harness) -> None:
    h, w = harness, harness.window
    h.check_in()
    h.narration.advance(5000)
    w.encounter.transcript.setFocus()
    scale = w.encounter.view.caption_scale
    h.qtbot.keyClick(w.encounter.transcript, Qt.Key.Key_Plus, CTRL)
    assert w.encounter.view.caption_scale > scale
    assert h.narration.is_playing()
    h.qtbot.keyClick(w.encounter.transcript, Qt.Key.Key_K)
    assert not h.narration.is_playing()


def test_screen_keys_are_off_where_they_do_nothing_so_they_type(harness: Harness) -> None:
    h, w = harness, harness.window
    w.checkin.candidate_id.setFocus()
    h.qtbot.keyClicks(w.checkin.candidate_id, "KJLRC")
    assert w.checkin.candidate_id.text() == "KJLRC"
    assert w.shown_screen() is Screen.OTHER


def test_f1_lists_every_key_with_what_it_does_on_each_screen(harness: Harness) -> None:
    w = harness.window
    harness.qtbot.keyClick(w, Qt.Key.Key_F1)
    assert w.help_dialog.isVisible()
    text = w.help_dialog.text.text()
    for binding in KEYMAP:
        assert binding.shown in text
        for meaning in (binding.narration, binding.key_point, binding.anywhere):
            assert meaning in text
    assert "Zoom in on the image" in text and "Larger captions" in text
    assert "Next frame" in text and "time limit keeps counting" in text
    w.help_dialog.reject()


def test_return_starts_the_case_from_any_check_in_field(harness: Harness) -> None:
    h, w = harness, harness.window
    h.qtbot.keyClicks(w.checkin.candidate_id, "cand-7")
    w.checkin.caption_size.setFocus()
    h.qtbot.keyClick(w.checkin.caption_size, Qt.Key.Key_Return)
    assert w.session is not None and w.session.attempt.candidate.id == "cand-7"
    assert w.stack.currentWidget() is w.encounter


# -- media pause under a modal dialog ---------------------------------------------------


def test_help_pauses_the_narration_and_it_plays_on_after(harness: Harness) -> None:
    h, w = harness, harness.window
    h.check_in()
    assert h.narration.is_playing()
    w.show_shortcuts()
    h.qtbot.waitUntil(lambda: not h.narration.is_playing())
    w.help_dialog.reject()
    h.qtbot.waitUntil(h.narration.is_playing)


def test_a_modal_message_pauses_the_clip_at_a_key_point(harness: Harness) -> None:
    h, w = harness, harness.window
    at_key_point(h, "kp-anterior")
    w.key_point_screen.viewer.toggle_play()
    assert h.clips.is_playing()
    box = QMessageBox(QMessageBox.Icon.Information, "Note", "A message", parent=w)
    box.setWindowModality(Qt.WindowModality.ApplicationModal)
    box.show()
    h.qtbot.waitUntil(lambda: not h.clips.is_playing())
    box.close()
    h.qtbot.waitUntil(h.clips.is_playing)


def test_media_stay_paused_after_a_dialog_when_the_proctor_paused(harness: Harness) -> None:
    h, w = harness, harness.window
    h.check_in()
    assert w.session is not None
    w.show_shortcuts()
    h.qtbot.waitUntil(lambda: not h.narration.is_playing())
    w.session.pause_attempt()
    w.help_dialog.reject()
    QApplication.processEvents()
    assert not h.narration.is_playing()


# -- time warnings ----------------------------------------------------------------------


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_time_warning_is_shown_and_announced(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    h, w = harness, harness.window
    announced: list[QAccessibleEvent] = []
    monkeypatch.setattr(
        announce_module.QAccessible, "updateAccessibility", lambda e: announced.append(e)
    )
    h.check_in()
    assert w.session is not None
    w.session.time_warning.emit(300.0)
    assert w.time_warning.isVisible()
    assert "5:00 left" in w.time_warning.text()
    assert announced and announced[-1].type() == QAccessible.Event.Announcement
    assert announced[-1].message() == w.time_warning.text()  # type: ignore[attr-defined]
    assert announced[-1].politeness() == QAccessible.AnnouncementPoliteness.Assertive  # type: ignore[attr-defined]


# -- review and result ------------------------------------------------------------------


def answer_to_review(h: Harness, leave_blank: set[str]) -> None:
    """Play the case answering with the key, except the items in ``leave_blank``."""
    session = h.window.session
    assert session is not None
    while session.core.timeline.phase is not Phase.REVIEW:
        if session.core.timeline.phase is Phase.NARRATION:
            h.narration.advance(1000)
            continue
        kp = session.core.timeline.key_point
        assert kp is not None
        index = session.core.timeline.state.item_index
        for item in kp.items if kp.layout == "together" else kp.items[index : index + 1]:
            if item.id not in leave_blank:
                session.respond(item.id, key_response(item, measurement_spacing(h.case, item)))
        h.window.key_point_screen.go_next()


def test_review_lists_every_question_reached_with_its_state(harness: Harness) -> None:
    h, w = harness, harness.window
    h.check_in()
    answer_to_review(h, leave_blank={"q-first-site"})
    assert w.stack.currentWidget() is w.review
    assert w.session is not None
    visited = w.session.visited_items()
    rows = [w.review.items.item(i) for i in range(w.review.items.count())]
    assert [r.data(Qt.ItemDataRole.UserRole) for r in rows] == visited
    blank = next(r for r in rows if r.data(Qt.ItemDataRole.UserRole) == "q-first-site")
    assert blank.text().startswith("Not answered")
    assert w.review.items.currentItem() is blank and w.review.answer_button.isEnabled()
    answered = [r for r in rows if r is not blank]
    assert all(r.text().startswith("Answered") for r in answered)
    # Readable as normal text (a disabled row is pale grey), but not to be answered again.
    assert all(r.flags() & Qt.ItemFlag.ItemIsEnabled for r in answered)
    w.review.items.setCurrentItem(answered[0])
    assert not w.review.answer_button.isEnabled()
    with h.qtbot.assertNotEmitted(w.review.answer_requested):
        w.review.items.itemActivated.emit(answered[0])


def test_review_with_everything_answered_still_lists_the_questions(harness: Harness) -> None:
    h, w = harness, harness.window
    h.check_in()
    answer_to_review(h, leave_blank=set())
    assert w.review.items.isVisible() and w.review.items.count() > 0
    assert not w.review.answer_button.isEnabled()
    assert w.review.finish_button.hasFocus()


def test_the_key_point_count_leaves_the_result_screen(harness: Harness) -> None:
    h, w = harness, harness.window
    at_key_point(h, "kp-anterior")
    assert w.progress_label.text().startswith("Key point")
    assert w.session is not None
    w.session.end(EndReason.ENDED_BY_PROCTOR)
    assert w.stack.currentWidget() is w.result
    assert w.progress_label.text() == ""


# -- the question panel -----------------------------------------------------------------


def test_the_question_panel_scrolls_to_the_focused_answer(harness: Harness) -> None:
    h, w = harness, harness.window
    w.resize(1024, 600)
    at_key_point(h, "kp-anterior")
    screen = w.key_point_screen
    last = list(screen.widgets.values())[-1]
    last.setFocus(Qt.FocusReason.TabFocusReason)
    focused = QApplication.focusWidget()
    assert focused is not None and screen.panel.isAncestorOf(focused)
    viewport = screen.question_scroll.viewport()
    top_left = focused.mapTo(viewport, focused.rect().topLeft())
    bottom = focused.mapTo(viewport, focused.rect().bottomLeft())
    assert screen.question_scroll.verticalScrollBar().value() > 0
    assert top_left.y() >= 0 and bottom.y() <= viewport.height()


def test_the_readme_lists_the_keymap_f1_shows() -> None:
    readme = Path("README.md").read_text(encoding="utf-8")
    assert help_markdown() in readme, (
        "README's keyboard table is out of date: paste help_markdown()"
    )
