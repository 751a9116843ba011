"""Every screen of every sample case on the smallest screen candidates have (1024x768), and
at 200 % (the same tests in a process at QT_SCALE_FACTOR=2 on a 2048x1536 screen): nothing
outside the window or cut off, nothing squashed, every control named for a screen reader."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QPointF, QSize, Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot
from screenwalk import accessibility_problems, layout_problems, walk
from uiharness import make_harness

from casebook_player.core.case.model import HotspotItem
from casebook_player.core.crypto.pin import PinHash
from casebook_player.core.session.responses import key_response
from casebook_player.core.session.scoring import measurement_spacing
from casebook_player.core.session.timeline import Phase
from casebook_player.media.fake_player import FakePlayer
from casebook_player.ui.canvas import MediaCanvas
from casebook_player.ui.items import ItemWidget, MultipleItemWidget, SingleItemWidget
from casebook_player.ui.preview import PREVIEW_SIZE, PreviewWindow
from casebook_player.ui.proctor import NewPinDialog, ProctorControls, ProctorMenu
from casebook_player.ui.screen_fit import show_fitted

CASES = sorted(p.parent for p in Path("cases").glob("*/case.yaml"))
HERE = Path(__file__).parent
LEFT = Qt.MouseButton.LeftButton
NO_MODIFIER = Qt.KeyboardModifier.NoModifier


def screen_problems(root: QWidget) -> list[str]:
    QApplication.processEvents()  # let the layouts settle
    problems = layout_problems(root) + accessibility_problems(root)
    available = root.screen().availableGeometry()
    if not available.contains(root.frameGeometry()):
        problems.append(f"the window {root.frameGeometry()} is larger than {available}")
    return problems


def test_the_screen_is_the_one_asked_for(qapp: QApplication) -> None:
    screen = QApplication.primaryScreen()
    logical = screen.geometry().size()
    assert logical == QSize(1024, 768), "run on the small screen (tests/conftest.py)"


@pytest.mark.parametrize("case_dir", CASES, ids=[p.name for p in CASES])
def test_every_screen_of_the_case_fits_and_is_named(
    qtbot: QtBot, tmp_path: Path, case_dir: Path
) -> None:
    h = make_harness(qtbot, case_dir, tmp_path, fitted=True)
    first_item = next(h.case.items()).id
    problems = []
    for screen in walk(h, leave_blank=first_item):
        problems += [f"{screen}: {p}" for p in screen_problems(h.window)]
    assert problems == []


def test_help_fits(qtbot: QtBot, tmp_path: Path) -> None:
    h = make_harness(qtbot, CASES[0], tmp_path, fitted=True)
    h.window.show_shortcuts()
    assert screen_problems(h.window.help_dialog) == []
    h.window.help_dialog.reject()


def test_proctor_screens_fit(qtbot: QtBot, tmp_path: Path) -> None:
    pin = NewPinDialog()
    qtbot.addWidget(pin)
    pin.show()
    assert screen_problems(pin) == []
    h = make_harness(qtbot, Path("cases/lung-pneumothorax"), tmp_path, fitted=True)
    controls = ProctorControls(h.window, PinHash.create("2468"), ask=lambda *a: "2468")
    h.check_in()
    assert h.window.session is not None
    menu = ProctorMenu(h.window.session, h.window)
    qtbot.addWidget(menu)
    menu.show()
    assert screen_problems(menu) == []
    menu.pause_button.click()
    assert controls.cover.isVisible()
    assert controls.cover.geometry() == h.window.rect()
    assert screen_problems(h.window) == []
    menu.pause_button.click()
    h.window.close_guard = None


def test_preview_fits_at_every_key_point(qtbot: QtBot) -> None:
    case_dir = Path("cases/efast-trauma")
    window = PreviewWindow(case_dir, FakePlayer(), FakePlayer())
    qtbot.addWidget(window)
    show_fitted(window, PREVIEW_SIZE)
    assert window.player is not None and window.player.session is not None
    session = window.player.session
    problems = [f"start: {p}" for p in screen_problems(window)]
    for _, kp in session.case.key_points():
        session.jump_to_key_point(kp.id)
        problems += [f"{kp.id}: {p}" for p in screen_problems(window)]
    assert problems == []


@pytest.mark.slow
@pytest.mark.skipif(os.environ.get("QT_SCALE_FACTOR") == "2", reason="this is the 200 % run")
def test_at_200_percent() -> None:
    """The tests above at QT_SCALE_FACTOR=2 on a 2048x1536 screen (1024x768 logical)."""
    screen = HERE.parent / "data" / "screens" / "2048x1536.json"
    env = {
        **os.environ,
        "QT_SCALE_FACTOR": "2",
        "QT_QPA_PLATFORM": f"offscreen:configfile={screen}",
    }
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(Path(__file__))],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-2000:]


# -- the whole lung case, by keyboard alone and by mouse alone -------------------------

LUNG = Path("cases/lung-pneumothorax")
SHIFT = Qt.KeyboardModifier.ShiftModifier
ALT = Qt.KeyboardModifier.AltModifier


def press(qtbot: QtBot, key: Qt.Key, modifier: Qt.KeyboardModifier = NO_MODIFIER) -> None:
    """A key press where the focus is, as a keyboard user makes it."""
    target = QApplication.focusWidget()
    assert target is not None, "nothing has the keyboard focus"
    qtbot.keyClick(target, key, modifier)


def tab_to(qtbot: QtBot, wanted: Callable[[QWidget], bool], limit: int = 60) -> QWidget:
    for _ in range(limit):
        focused = QApplication.focusWidget()
        if focused is not None and wanted(focused):
            return focused
        press(qtbot, Qt.Key.Key_Tab)
    raise AssertionError("Tab never reached the control")


def place_by_keys(qtbot: QtBot, canvas: MediaCanvas, x: float, y: float) -> None:
    """Enter puts the mark in the middle; arrows (Shift: ten pixels) move it to (x, y)."""
    press(qtbot, Qt.Key.Key_Return)
    mark = canvas.marker()
    assert mark is not None
    for delta, keys in ((x - mark[0], HORIZONTAL), (y - mark[1], VERTICAL)):
        key = keys[delta > 0]
        tens, ones = divmod(round(abs(delta)), 10)
        for _ in range(tens):
            press(qtbot, key, SHIFT)
        for _ in range(ones):
            press(qtbot, key)


HORIZONTAL = {False: Qt.Key.Key_Left, True: Qt.Key.Key_Right}
VERTICAL = {False: Qt.Key.Key_Up, True: Qt.Key.Key_Down}


def choose_by_keys(qtbot: QtBot, widget: ItemWidget, answer: object) -> None:
    """Tab into the question, then its number keys."""
    assert isinstance(widget, SingleItemWidget | MultipleItemWidget)
    tab_to(qtbot, lambda f: widget.isAncestorOf(f))
    ids = [c.id for c in widget.choices]
    for choice in [answer] if isinstance(answer, str) else list(answer):  # type: ignore[call-overload]
        press(qtbot, NUMBER_KEYS[ids.index(choice)])


NUMBER_KEYS = [getattr(Qt.Key, f"Key_{n}") for n in range(1, 10)]


def test_the_lung_case_by_keyboard_alone(qtbot: QtBot, tmp_path: Path) -> None:
    h = make_harness(qtbot, LUNG, tmp_path, fitted=True)
    window = h.window
    h.window.checkin.candidate_id.setFocus()
    for char in "kbd-1":
        press(qtbot, Qt.Key(ord(char.upper())) if char.isalpha() else Qt.Key(ord(char)))
    press(qtbot, Qt.Key.Key_Return)
    session = window.session
    assert session is not None
    while session.core.timeline.phase is not Phase.REVIEW:
        if session.core.timeline.phase is Phase.NARRATION:
            h.narration.advance(1000)  # time passes: the candidate listens
            continue
        kp = session.core.timeline.key_point
        assert kp is not None
        index = session.core.timeline.state.item_index
        shown = kp.items if kp.layout == "together" else kp.items[index : index + 1]
        for item in shown:
            answer = key_response(item, measurement_spacing(h.case, item))
            widget = window.key_point_screen.widgets[item.id]
            if isinstance(item, HotspotItem):
                canvas = window.key_point_screen.viewer.canvas
                tab_to(qtbot, lambda f, w=widget: f is w)  # into the question, then the image
                tab_to(qtbot, lambda f, c=canvas: f is c)
                assert isinstance(answer, dict)
                place_by_keys(qtbot, canvas, answer["x"], answer["y"])
            else:
                choose_by_keys(qtbot, widget, answer)
            assert session.response(item.id) is not None, item.id
        press(qtbot, Qt.Key.Key_Right, ALT)
    assert window.stack.currentWidget() is window.review
    assert window.review.finish_button.hasFocus()
    press(qtbot, Qt.Key.Key_Space)
    assert session.core.timeline.phase is Phase.ENDED
    assert window.result.isVisible()
    result = session.result()
    assert result["percent"] == 100.0, [r for r in result["responses"] if not r["points"]]


def test_the_lung_case_by_mouse_alone(qtbot: QtBot, tmp_path: Path) -> None:
    h = make_harness(qtbot, LUNG, tmp_path, fitted=True)
    window = h.window
    qtbot.mouseClick(window.checkin.candidate_id, LEFT)
    qtbot.keyClicks(window.checkin.candidate_id, "mouse-1")  # typing the ID is not a shortcut
    qtbot.mouseClick(window.checkin.start_button, LEFT)
    session = window.session
    assert session is not None
    while session.core.timeline.phase is not Phase.REVIEW:
        if session.core.timeline.phase is Phase.NARRATION:
            h.narration.advance(1000)
            continue
        kp = session.core.timeline.key_point
        assert kp is not None
        screen = window.key_point_screen
        index = session.core.timeline.state.item_index
        for item in kp.items if kp.layout == "together" else kp.items[index : index + 1]:
            answer = key_response(item, measurement_spacing(h.case, item))
            widget = screen.widgets[item.id]
            screen.question_scroll.ensureWidgetVisible(widget)  # the candidate scrolls to it
            if isinstance(item, HotspotItem):
                qtbot.mouseClick(widget.stem, LEFT)  # this question owns the image now
                assert isinstance(answer, dict)
                canvas = screen.viewer.canvas
                at = canvas.to_widget(QPointF(answer["x"], answer["y"])).toPoint()
                assert canvas.rect().contains(at)
                qtbot.mouseClick(canvas, LEFT, pos=at)
            else:
                assert isinstance(widget, SingleItemWidget | MultipleItemWidget)
                for choice in [answer] if isinstance(answer, str) else list(answer):  # type: ignore[call-overload]
                    button = widget.button(choice)
                    screen.question_scroll.ensureWidgetVisible(button)
                    assert button.visibleRegion().boundingRect() == button.rect()
                    qtbot.mouseClick(button, LEFT)
            assert session.response(item.id) is not None, item.id
        assert screen.next_button.visibleRegion().boundingRect() == screen.next_button.rect()
        qtbot.mouseClick(screen.next_button, LEFT)
    qtbot.mouseClick(window.review.finish_button, LEFT)
    assert session.core.timeline.phase is Phase.ENDED
    assert session.result()["percent"] == 100.0
