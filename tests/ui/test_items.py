"""Item widgets: responses reported and restored, keyboard use, limits, the key in preview."""

from __future__ import annotations

from typing import Any, TypeVar

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QRadioButton
from pytestqt.qtbot import QtBot

from casebook_player.core.case.model import (
    NOT_POSSIBLE,
    NOT_POSSIBLE_TEXT,
    Choice,
    HotspotItem,
    MeasurementItem,
    MultipleItem,
    OrderingItem,
    Region,
    SingleItem,
)
from casebook_player.ui.items import (
    HotspotItemWidget,
    ItemWidget,
    MeasurementItemWidget,
    MultipleItemWidget,
    OrderingItemWidget,
    SingleItemWidget,
    initial_order,
    make_item_widget,
)

COMMON: dict[str, Any] = {"points": 2, "domains": ("views", "findings"), "rationale": "Because."}


def single() -> SingleItem:
    return SingleItem(
        id="q-view",
        stem="Which view is this? " * 8,
        choices=(Choice("A", "Subxiphoid"), Choice("B", "Right upper quadrant")),
        answer="B",
        not_possible=True,
        **COMMON,
    )


def multiple(select: int | None = 2) -> MultipleItem:
    return MultipleItem(
        id="q-signs",
        stem="Which signs?",
        choices=tuple(Choice(c, f"Sign {c}") for c in "ABCD"),
        answer=frozenset({"A", "C"}),
        select=select,
        **COMMON,
    )


def ordering(options: str = "abcd") -> OrderingItem:
    return OrderingItem(
        id="q-order",
        stem="Put the views in order.",
        options=tuple(Choice(o, f"View {o}") for o in options),
        answer=tuple(options),
        **COMMON,
    )


def hotspot() -> HotspotItem:
    return HotspotItem(
        id="q-spot",
        stem="Mark the free fluid.",
        target="still",
        regions=(Region("pouch", center=(50, 50), radius=10),),
        answer=frozenset({"pouch"}),
        **COMMON,
    )


def measurement() -> MeasurementItem:
    return MeasurementItem(
        id="q-aorta",
        stem="Measure the aorta.",
        target="still",
        value_mm=51,
        tolerance_mm=3,
        **COMMON,
    )


W = TypeVar("W", bound=ItemWidget)


def shown(qtbot: QtBot, widget: W) -> W:
    qtbot.addWidget(widget)
    widget.resize(420, widget.sizeHint().height())
    with qtbot.waitActive(widget):  # keyboard focus needs the active window
        widget.show()
        widget.activateWindow()
    return widget


def texts(widget: ItemWidget) -> str:
    return " ".join(label.text() for label in widget.findChildren(QLabel) if label.isVisible())


def no_response(qtbot: QtBot, widget: ItemWidget) -> Any:
    return qtbot.assertNotEmitted(widget.response_changed, wait=10)


# -- factory and common ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("item", "cls"),
    [
        (single(), SingleItemWidget),
        (multiple(), MultipleItemWidget),
        (ordering(), OrderingItemWidget),
        (hotspot(), HotspotItemWidget),
        (measurement(), MeasurementItemWidget),
    ],
)
def test_factory_makes_the_widget_for_each_type_with_a_wrapping_stem(
    qtbot: QtBot, item: Any, cls: type
) -> None:
    widget = shown(qtbot, make_item_widget(item))
    assert isinstance(widget, cls)
    assert widget.item is item
    assert widget.stem.text() == item.stem
    assert widget.stem.wordWrap()
    assert widget.response() is None
    assert widget.stem.textFormat() == Qt.TextFormat.PlainText


@pytest.mark.parametrize("item", [single(), multiple(), ordering(), hotspot(), measurement()])
def test_show_key_toggles_key_rationale_domains_and_points(qtbot: QtBot, item: Any) -> None:
    widget = shown(qtbot, make_item_widget(item, domain_names={"views": "Standard views"}))
    assert not widget.key_panel.isVisible()
    assert "Because." not in texts(widget)
    widget.set_show_key(True)
    assert widget.key_panel.isVisible()
    text = widget.key_panel.text()
    assert "Key:" in text
    assert "Rationale: Because." in text
    assert "Domains: Standard views, findings" in text
    assert "Points: 2" in text
    widget.set_show_key(False)
    assert not widget.key_panel.isVisible()
    assert widget.key_panel.text() == ""  # not only hidden: gone from the candidate's screen


# -- single -----------------------------------------------------------------------------------


def test_single_lists_not_possible_last(qtbot: QtBot) -> None:
    widget = shown(qtbot, SingleItemWidget(single()))
    assert [c.id for c in widget.choices] == ["A", "B", NOT_POSSIBLE]
    assert widget.rows[-1].label.text().endswith(NOT_POSSIBLE_TEXT)
    assert widget.rows[-1].button.accessibleName() == NOT_POSSIBLE_TEXT


def test_single_click_reports_the_choice(qtbot: QtBot) -> None:
    widget = shown(qtbot, SingleItemWidget(single()))
    with qtbot.waitSignal(widget.response_changed) as blocker:
        qtbot.mouseClick(widget.button("B"), Qt.MouseButton.LeftButton)
    assert blocker.args == ["B"]
    assert widget.response() == "B"


def test_single_click_on_the_wrapped_text_chooses_too(qtbot: QtBot) -> None:
    widget = shown(qtbot, SingleItemWidget(single()))
    with qtbot.waitSignal(widget.response_changed) as blocker:
        qtbot.mouseClick(widget.rows[0].label, Qt.MouseButton.LeftButton)
    assert blocker.args == ["A"]


def test_single_number_keys_choose(qtbot: QtBot) -> None:
    widget = shown(qtbot, SingleItemWidget(single()))
    widget.setFocus()
    with qtbot.waitSignal(widget.response_changed) as blocker:
        qtbot.keyClick(widget.focusWidget(), Qt.Key.Key_3)
    assert blocker.args == [NOT_POSSIBLE]
    assert widget.button(NOT_POSSIBLE).isChecked()
    with no_response(qtbot, widget):
        qtbot.keyClick(widget.focusWidget(), Qt.Key.Key_9)  # no ninth choice


def test_single_arrow_keys_move_the_choice(qtbot: QtBot) -> None:
    widget = shown(qtbot, SingleItemWidget(single()))
    widget.setFocus()  # the focus proxy: the first choice
    qtbot.keyClick(widget.focusWidget(), Qt.Key.Key_1)
    assert widget.button("A").hasFocus()
    with qtbot.waitSignal(widget.response_changed) as blocker:
        qtbot.keyClick(widget.focusWidget(), Qt.Key.Key_Down)
    assert blocker.args == ["B"]


def test_single_restore_shows_without_reporting(qtbot: QtBot) -> None:
    widget = shown(qtbot, SingleItemWidget(single()))
    with no_response(qtbot, widget):
        widget.set_response("A")
    assert widget.button("A").isChecked()
    with no_response(qtbot, widget):
        widget.set_response(None)
    assert not any(isinstance(b, QRadioButton) and b.isChecked() for b in widget.group.buttons())


def test_single_preview_marks_the_key_choice(qtbot: QtBot) -> None:
    widget = shown(qtbot, SingleItemWidget(single()))
    widget.set_show_key(True)
    assert [row.key_mark.isVisible() for row in widget.rows] == [False, True, False]
    assert "Right upper quadrant (B)" in widget.key_panel.text()
    widget.set_show_key(False)
    assert not any(row.key_mark.isVisible() for row in widget.rows)


# -- multiple -------------------------------------------------------------------------------


def test_multiple_reports_sorted_ids(qtbot: QtBot) -> None:
    widget = shown(qtbot, MultipleItemWidget(multiple(select=None)))
    qtbot.mouseClick(widget.button("C"), Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(widget.response_changed) as blocker:
        qtbot.mouseClick(widget.button("A"), Qt.MouseButton.LeftButton)
    assert blocker.args == [["A", "C"]]


def test_multiple_select_n_stops_further_checks_but_allows_unchecking(qtbot: QtBot) -> None:
    widget = shown(qtbot, MultipleItemWidget(multiple(select=2)))
    assert "Select 2" in texts(widget)
    qtbot.mouseClick(widget.button("A"), Qt.MouseButton.LeftButton)
    qtbot.mouseClick(widget.button("B"), Qt.MouseButton.LeftButton)
    assert "2 of 2 selected" in widget.status.text()
    with no_response(qtbot, widget):
        qtbot.mouseClick(widget.button("C"), Qt.MouseButton.LeftButton)
        qtbot.mouseClick(widget.rows[2].label, Qt.MouseButton.LeftButton)
        qtbot.keyClick(widget.button("A"), Qt.Key.Key_4)
    assert not widget.button("C").isChecked()
    assert widget.response() == ["A", "B"]
    with qtbot.waitSignal(widget.response_changed) as blocker:
        qtbot.mouseClick(widget.button("B"), Qt.MouseButton.LeftButton)
    assert blocker.args == [["A"]]
    with qtbot.waitSignal(widget.response_changed) as blocker:
        qtbot.mouseClick(widget.button("C"), Qt.MouseButton.LeftButton)
    assert blocker.args == [["A", "C"]]


def test_multiple_number_keys_toggle(qtbot: QtBot) -> None:
    widget = shown(qtbot, MultipleItemWidget(multiple()))
    widget.setFocus()
    with qtbot.waitSignal(widget.response_changed) as blocker:
        qtbot.keyClick(widget.focusWidget(), Qt.Key.Key_4)
    assert blocker.args == [["D"]]
    with qtbot.waitSignal(widget.response_changed) as blocker:
        qtbot.keyClick(widget.focusWidget(), Qt.Key.Key_4)
    assert blocker.args == [None]  # nothing checked is no answer


def test_multiple_restore_applies_the_limit_without_reporting(qtbot: QtBot) -> None:
    widget = shown(qtbot, MultipleItemWidget(multiple(select=2)))
    with no_response(qtbot, widget):
        widget.set_response(["B", "D"])
    assert widget.button("B").isChecked() and widget.button("D").isChecked()
    assert not widget.button("A").isEnabled()
    widget.set_response(None)
    assert not widget.button("B").isChecked()
    assert widget.button("A").isEnabled()


# -- ordering -------------------------------------------------------------------------------


def test_ordering_starts_shuffled_never_as_the_key_and_the_same_every_time(
    qtbot: QtBot,
) -> None:
    for options in ("ab", "abc", "abcd", "abcdefg"):
        item = ordering(options)
        order = initial_order(item)
        assert sorted(order) == sorted(options)
        assert tuple(order) != item.answer
        assert order == initial_order(item)
    assert initial_order(ordering("a")) == ["a"]
    widget = shown(qtbot, OrderingItemWidget(ordering()))
    assert widget.order() == initial_order(ordering())


def test_ordering_reports_nothing_until_the_candidate_acts(qtbot: QtBot) -> None:
    widget = shown(qtbot, OrderingItemWidget(ordering()))
    assert widget.response() is None
    assert "Not answered yet" in widget.status.text()
    with qtbot.waitSignal(widget.response_changed) as blocker:
        qtbot.mouseClick(widget.keep, Qt.MouseButton.LeftButton)
    assert blocker.args == [initial_order(ordering())]
    assert not widget.keep.isEnabled()
    assert "recorded" in widget.status.text()


def test_ordering_alt_arrows_move_the_selected_step(qtbot: QtBot) -> None:
    widget = shown(qtbot, OrderingItemWidget(ordering()))
    start = widget.order()
    widget.list.setFocus()
    widget.list.setCurrentRow(0)
    with qtbot.waitSignal(widget.response_changed) as blocker:
        qtbot.keyClick(widget.list, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    expected = [start[1], start[0], *start[2:]]
    assert blocker.args == [expected]
    assert widget.list.currentRow() == 1  # the moved step stays selected: press again to go on
    with qtbot.waitSignal(widget.response_changed) as blocker:
        qtbot.keyClick(widget.list, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert blocker.args == [start]
    with no_response(qtbot, widget):
        qtbot.keyClick(widget.list, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)  # at top


def test_ordering_move_buttons(qtbot: QtBot) -> None:
    widget = shown(qtbot, OrderingItemWidget(ordering()))
    start = widget.order()
    widget.list.setCurrentRow(3)
    assert not widget.down.isEnabled()
    assert widget.up.accessibleName() == "Move up"
    with qtbot.waitSignal(widget.response_changed) as blocker:
        qtbot.mouseClick(widget.up, Qt.MouseButton.LeftButton)
    assert blocker.args == [[start[0], start[1], start[3], start[2]]]
    widget.list.setCurrentRow(0)
    assert not widget.up.isEnabled()
    with qtbot.waitSignal(widget.response_changed) as blocker:
        qtbot.mouseClick(widget.down, Qt.MouseButton.LeftButton)
    assert blocker.args == [[start[1], start[0], start[3], start[2]]]
    assert widget.list.item(0).text().startswith("1.")


def test_ordering_drop_reports_the_new_order(qtbot: QtBot) -> None:
    # A real drag cannot run offscreen; a drop in QListWidget moves the model's rows, so move
    # them the same way.
    widget = shown(qtbot, OrderingItemWidget(ordering()))
    start = widget.order()
    model = widget.list.model()
    with qtbot.waitSignal(widget.response_changed) as blocker:
        assert model.moveRows(QModelIndex(), 0, 1, QModelIndex(), 4)
    assert blocker.args == [[*start[1:], start[0]]]
    assert widget.list.item(3).text() == f"4.  View {start[0]}"


def test_ordering_restore_and_clear(qtbot: QtBot) -> None:
    widget = shown(qtbot, OrderingItemWidget(ordering()))
    with no_response(qtbot, widget):
        widget.set_response(["d", "c", "b", "a"])
    assert widget.order() == ["d", "c", "b", "a"]
    assert not widget.keep.isEnabled()
    with no_response(qtbot, widget):
        widget.set_response(None)
    assert widget.order() == initial_order(ordering())
    assert widget.keep.isEnabled()


# -- hotspot and measurement ----------------------------------------------------------------


def test_hotspot_shows_the_mark_and_clear_reports_none(qtbot: QtBot) -> None:
    widget = shown(qtbot, HotspotItemWidget(hotspot()))
    assert "Click on the image" in texts(widget)
    assert widget.state.text() == "No mark placed yet."
    assert not widget.clear_button.isEnabled()
    with no_response(qtbot, widget):
        widget.set_response({"x": 120.4, "y": 33.0})
    assert widget.state.text() == "Mark placed at x 120, y 33."
    with qtbot.waitSignal(widget.response_changed) as blocker:
        qtbot.mouseClick(widget.clear_button, Qt.MouseButton.LeftButton)
    assert blocker.args == [None]
    assert widget.state.text() == "No mark placed yet."


def test_measurement_shows_the_distance_in_mm(qtbot: QtBot) -> None:
    widget = shown(qtbot, make_item_widget(measurement(), spacing_mm=0.5))
    assert isinstance(widget, MeasurementItemWidget)
    assert widget.state.text() == "No measurement yet."
    widget.set_response({"from": [10, 10], "to": [40, 50]})  # 50 px
    assert widget.state.text() == "Measured: 25.0 mm"
    widget.set_spacing_mm(0.25)
    assert widget.state.text() == "Measured: 12.5 mm"
    widget.set_spacing_mm(None)
    assert widget.state.text() == "Measured: 50 pixels"
    widget.clear_button.setFocus()
    with qtbot.waitSignal(widget.response_changed) as blocker:
        qtbot.keyClick(widget.clear_button, Qt.Key.Key_Space)
    assert blocker.args == [None]
    assert widget.state.text() == "No measurement yet."


def test_controls_have_accessible_names(qtbot: QtBot) -> None:
    for item in (single(), multiple(), ordering(), hotspot(), measurement()):
        widget = shown(qtbot, make_item_widget(item))
        assert widget.accessibleName() == item.stem
        for button in widget.findChildren(QAbstractButton):
            assert button.accessibleName() or button.text()


def test_entered_fires_when_focus_moves_into_the_item(qtbot: QtBot) -> None:
    widget = shown(qtbot, HotspotItemWidget(hotspot()))
    widget.set_response({"x": 1, "y": 2})
    focused = QApplication.focusWidget()
    if focused is not None:
        focused.clearFocus()
    with qtbot.waitSignal(widget.entered):
        qtbot.mouseClick(widget.stem, Qt.MouseButton.LeftButton)
    with qtbot.assertNotEmitted(widget.entered, wait=10):
        widget.clear_button.setFocus()  # already inside
