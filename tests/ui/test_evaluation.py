"""The peer evaluation window, driven by keyboard and mouse, writes what core would write."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QRadioButton
from pytestqt.qtbot import QtBot

from casebook_player.core.peer.evaluations import read_evaluation
from casebook_player.core.peer.forms import NOT_APPLICABLE, PeerForm, load_form
from casebook_player.ui.evaluation import (
    EvaluationOptions,
    EvaluationWindow,
    build_evaluation_window,
)

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def form() -> PeerForm:
    return load_form(ROOT / "forms" / "peer-lung.yaml")


def focused() -> QRadioButton:
    widget = QApplication.focusWidget()
    assert isinstance(widget, QRadioButton), widget
    return widget


def test_every_rating_button_has_an_accessible_name(qtbot: QtBot, form: PeerForm) -> None:
    window = EvaluationWindow(form, "C-1", "E-1")
    qtbot.addWidget(window)
    names = [b.accessibleName() for row in window.rows.values() for b in row.buttons.values()]
    assert "Use of gain: 3, As expected" in names
    assert "Use of gain: not applicable" in names
    # Image quality and overall experience must be rated: no "not applicable" for them.
    assert NOT_APPLICABLE not in window.rows["image_quality"].buttons
    assert len(names) == 8 * 5 + 6


def test_fill_in_by_keyboard_review_and_submit_signed(
    qtbot: QtBot, form: PeerForm, tmp_path: Path
) -> None:
    key = Ed25519PrivateKey.generate()
    out = tmp_path / "evaluation.json"
    window = build_evaluation_window(
        form, "C-1", "E-1", EvaluationOptions(out=out, signing_key=key)
    )
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.rows["image_quality"].first_button().setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    # A digit picks the rating; the arrow keys move within the row; Tab goes to the next row.
    qtbot.keyClick(focused(), Qt.Key.Key_4)
    assert window.rows["image_quality"].value() == 4
    qtbot.keyClick(focused(), Qt.Key.Key_Right)
    assert window.rows["image_quality"].value() == 5
    for expected in ("gain", "depth", "transducer_placement", "measurement_technique"):
        qtbot.keyClick(focused(), Qt.Key.Key_Tab)
        assert focused() is window.rows[expected].first_button()
        qtbot.keyClick(focused(), Qt.Key.Key_N if expected == "gain" else Qt.Key.Key_3)
    # Submitting with criteria missing says what is missing and goes to the first of them.
    qtbot.mouseClick(window.review_button, Qt.MouseButton.LeftButton)
    assert window.pages.currentIndex() == 0 and window.problems.isVisible()
    assert "Appropriate probe pressure: not rated yet" in window.problems.text()
    assert focused() is window.rows["compression"].first_button()
    for criterion in ("compression", "doppler_mmode", "overall_experience"):
        qtbot.mouseClick(window.rows[criterion].buttons[2], Qt.MouseButton.LeftButton)
    assert not window.problems.isVisible()
    qtbot.keyClicks(window.comments, "Good pleural technique.")
    qtbot.mouseClick(window.review_button, Qt.MouseButton.LeftButton)
    assert window.pages.currentIndex() == 1
    assert (
        "Use of gain" in window.review_text.text() and "Not applicable" in window.review_text.text()
    )
    qtbot.keyClick(window.submit_button, Qt.Key.Key_Space)
    assert window.pages.currentIndex() == 2 and window.saved_path == out
    evaluation = read_evaluation(out, [key.public_key()])
    assert evaluation.ratings() == {
        "image_quality": 5,
        "gain": NOT_APPLICABLE,
        "depth": 3,
        "transducer_placement": 3,
        "measurement_technique": 3,
        "compression": 2,
        "doppler_mmode": 2,
        "overall_experience": 2,
    }
    assert evaluation.document["comments"] == "Good pleural technique."


def test_back_from_review_keeps_the_answers(qtbot: QtBot, form: PeerForm) -> None:
    window = EvaluationWindow(form, "C-1", "E-1")
    qtbot.addWidget(window)
    for row in window.rows.values():
        row.choose(1)
    window.review()
    assert window.pages.currentIndex() == 1
    qtbot.mouseClick(window.back_button, Qt.MouseButton.LeftButton)
    assert window.pages.currentIndex() == 0 and window.rows["gain"].value() == 1


def test_form_text_is_shown_as_written_never_as_markup(qtbot: QtBot, form: PeerForm) -> None:
    from dataclasses import replace

    from PySide6.QtWidgets import QLabel

    marked = "<b>Gain</b> & <i>depth</i>"
    criteria = (replace(form.criteria[0], label=marked, help=marked), *form.criteria[1:])
    window = EvaluationWindow(
        replace(form, title=marked, criteria=criteria, comments_label=marked), "C-1", "E-1"
    )
    qtbot.addWidget(window)
    showing = [label for label in window.findChildren(QLabel) if marked in label.text()]
    assert len(showing) >= 4  # title, criterion, its help, the comments label
    assert all(label.textFormat() is Qt.TextFormat.PlainText for label in showing)
