"""The high-contrast theme: every state a control can be in is visible on black (issue 14.7)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QPushButton,
    QSlider,
    QStyle,
    QStyleOptionSlider,
    QWidget,
)
from pytestqt.qtbot import QtBot
from uiharness import theme


@pytest.fixture
def high_contrast(qapp: QApplication) -> Iterator[QApplication]:
    with theme(high_contrast=True) as app:
        yield app


def shown(qtbot: QtBot, *widgets: QWidget) -> QWidget:
    window = QWidget()
    layout = QHBoxLayout(window)
    for widget in widgets:
        layout.addWidget(widget)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    return window


def image(widget: QWidget) -> QImage:
    QApplication.processEvents()
    return widget.grab().toImage()


def brightness(colour: QColor) -> float:
    return colour.valueF()  # yellow and white both count as bright


def test_a_checked_button_looks_unlike_an_unchecked_one(
    qtbot: QtBot, high_contrast: QApplication
) -> None:
    on, off = QPushButton("Captions"), QPushButton("Captions")
    for button in (on, off):
        button.setCheckable(True)
    on.setChecked(True)
    _window = shown(qtbot, on, off)
    # Beside the text, inside the border: the button's face, not a pixel-thin shading.
    face = QPoint(6, on.height() // 2)
    assert (
        abs(brightness(image(on).pixelColor(face)) - brightness(image(off).pixelColor(face))) > 0.5
    )


def test_a_slider_handle_stands_out_from_the_black_behind_it(
    qtbot: QtBot, high_contrast: QApplication
) -> None:
    slider = QSlider(Qt.Orientation.Horizontal)
    slider.setRange(0, 100)
    slider.setValue(50)
    slider.setMinimumWidth(200)
    _window = shown(qtbot, slider)
    option = QStyleOptionSlider()
    slider.initStyleOption(option)
    handle = slider.style().subControlRect(
        QStyle.ComplexControl.CC_Slider, option, QStyle.SubControl.SC_SliderHandle, slider
    )
    picture = image(slider)
    centre = picture.pixelColor(handle.center())
    assert brightness(centre) > 0.6, f"handle {centre.name()} on black"


def text_rect(button: QPushButton) -> QRect:
    text = button.fontMetrics().boundingRect(button.text())
    text.moveCenter(button.rect().center())
    return text.adjusted(-2, -2, 2, 2)


def test_the_focus_frame_is_visible_and_never_over_the_text(
    qtbot: QtBot, high_contrast: QApplication
) -> None:
    focused, other = QPushButton("Continue"), QPushButton("Continue")
    _window = shown(qtbot, focused, other)
    focused.setFocus()
    qtbot.waitUntil(focused.hasFocus)
    with_focus, without = image(focused), image(other)
    assert with_focus != without, "focus cannot be seen"
    inside = text_rect(focused)
    assert with_focus.copy(inside) == without.copy(inside), "the focus frame crosses the text"


def test_a_disabled_button_looks_disabled(qtbot: QtBot, high_contrast: QApplication) -> None:
    enabled, disabled = QPushButton("Export"), QPushButton("Export")
    disabled.setEnabled(False)
    _window = shown(qtbot, enabled, disabled)
    inside = text_rect(enabled)
    picture = image(disabled)
    brightest = max(
        (
            picture.pixelColor(x, y)
            for x in range(inside.left(), inside.right())
            for y in range(inside.top(), inside.bottom())
        ),
        key=brightness,
    )
    assert brightness(brightest) < 0.75, "disabled text is as bright as enabled text"
    border = QPoint(1, disabled.height() // 2)
    assert brightness(image(disabled).pixelColor(border)) < 0.75, "its border is as bright"
    assert brightness(image(enabled).pixelColor(border)) > 0.9
