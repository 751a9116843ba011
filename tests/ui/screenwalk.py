"""Walk every screen a case has, and check each as a candidate on a small screen would meet it.

``walk`` drives a player window over a case through check-in, the encounter, every key point
(every question of a sequential one), the review and the result, and yields at each screen.
``layout_problems`` and ``accessibility_problems`` list what is wrong on the screen shown.
"""

from __future__ import annotations

from collections.abc import Iterator

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractScrollArea,
    QAbstractSlider,
    QAbstractSpinBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QScrollBar,
    QSlider,
    QTabBar,
    QWidget,
)
from uiharness import Harness

from casebook_player.core.session.responses import key_response
from casebook_player.core.session.scoring import measurement_spacing
from casebook_player.core.session.timeline import Phase
from casebook_player.ui.frame_view import FrameView

INTERACTIVE = (
    QAbstractButton,
    QAbstractSlider,
    QAbstractSpinBox,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QAbstractItemView,
    QTabBar,
)
MIN_SLIDER_WIDTH = 80  # narrower than this, a slider is a handle with nothing to slide along


def walk(h: Harness, leave_blank: str | None = None) -> Iterator[str]:
    """Yield the name of each screen as it is shown, answering with the key (but for
    ``leave_blank``) so that the case takes its normal path."""
    window = h.window
    yield "check-in"
    h.check_in()
    session = window.session
    assert session is not None
    seen: set[tuple[str | None, int]] = set()
    while session.core.timeline.phase is not Phase.REVIEW:
        state = session.core.timeline.state
        if session.core.timeline.phase is Phase.NARRATION:
            if (state.segment_id, -1) not in seen:
                seen.add((state.segment_id, -1))
                h.narration.advance(2000)
                yield f"encounter {state.segment_id}"
            h.narration.advance(1000)
            continue
        kp = session.core.timeline.key_point
        assert kp is not None
        index = state.item_index
        yield f"key point {kp.id} question {index + 1}"
        for item in kp.items if kp.layout == "together" else kp.items[index : index + 1]:
            if item.id != leave_blank:
                session.respond(item.id, key_response(item, measurement_spacing(h.case, item)))
        window.key_point_screen.go_next()
    yield "review"
    if leave_blank is not None and leave_blank in session.core.timeline.unanswered():
        window.review.answer_requested.emit(leave_blank)
        yield f"answering {leave_blank} from the review"
        window.key_point_screen.go_next()
    session.finish()
    yield "result"


def _rect_in(widget: QWidget, ancestor: QWidget) -> QRect:
    return QRect(widget.mapTo(ancestor, widget.rect().topLeft()), widget.size())


def _in_scroll_area(widget: QWidget, root: QWidget) -> QWidget | None:
    """The viewport of the scroll area ``widget`` scrolls in, if any, below ``root``."""
    parent = widget.parentWidget()
    while parent is not None and parent is not root:
        area = parent.parentWidget()
        if isinstance(area, QScrollArea) and parent is area.viewport():
            return parent
        parent = parent.parentWidget()
    return None


def _shown(root: QWidget) -> list[QWidget]:
    return [w for w in root.findChildren(QWidget) if w.isVisible() and w.window() is root]


def layout_problems(root: QWidget) -> list[str]:
    """Every interactive control and every label lies inside the window and inside each
    container it is in (scrolled content: inside its viewport's width), and controls have at
    least the size they need to show themselves whole."""
    problems = []
    for widget in _shown(root):
        interactive = isinstance(widget, INTERACTIVE)
        if not (interactive or isinstance(widget, QLabel)):
            continue
        if _is_part(widget):
            continue
        name = _describe(widget)
        viewport = _in_scroll_area(widget, root)
        rect = _rect_in(widget, root)
        if viewport is None and not root.rect().contains(rect):
            problems.append(f"{name} lies outside the window: {rect} in {root.rect()}")
        if viewport is not None:
            inner = _rect_in(widget, viewport)
            if inner.left() < 0 or inner.right() > viewport.width():
                problems.append(f"{name} is wider than its scrolled panel")
        else:
            parent = widget.parentWidget()
            while parent is not None and parent is not root:
                if not parent.rect().contains(_rect_in(widget, parent)):
                    problems.append(f"{name} is cut off by {_describe(parent)}")
                    break
                parent = parent.parentWidget()
        if not interactive:
            continue
        hint = widget.minimumSizeHint()
        if hint.isValid() and (widget.width() < hint.width() or widget.height() < hint.height()):
            problems.append(f"{name} is squashed: {widget.size()} < {hint}")
        horizontal = (
            isinstance(widget, QSlider) and widget.orientation() is Qt.Orientation.Horizontal
        )
        if horizontal and widget.width() < MIN_SLIDER_WIDTH:
            problems.append(f"{name} is {widget.width()} px wide")
    return problems


def accessibility_problems(root: QWidget) -> list[str]:
    """Controls without an accessible name, labels whose accessible name hides their text,
    pictures shown without a text description."""
    problems = []
    for widget in _shown(root):
        name = _describe(widget)
        if isinstance(widget, INTERACTIVE) and not _is_part(widget):
            face = QAccessible.queryAccessibleInterface(widget)
            if face is None or not face.text(QAccessible.Text.Name).strip():
                problems.append(f"{name} has no accessible name")
        if isinstance(widget, QLabel) and widget.accessibleName():
            text = _plain(widget)
            if text and text not in widget.accessibleName():
                problems.append(
                    f"{name}'s accessible name {widget.accessibleName()!r} hides {text!r}"
                )
        picture = isinstance(widget, FrameView) and not widget.image().isNull()
        if picture and not widget.accessibleDescription().strip():
            problems.append(f"{name} shows a picture without a description")
    return problems


def _is_part(widget: QWidget) -> bool:
    """Scroll bars, a tab bar's scroll buttons, a spin box's line edit: parts of a control
    that the control itself answers for."""
    if isinstance(widget, QScrollBar):
        return True
    parent = widget.parentWidget()
    return isinstance(parent, QAbstractScrollArea | QTabBar | QAbstractSpinBox | QComboBox)


def _plain(label: QLabel) -> str:
    if label.textFormat() is Qt.TextFormat.PlainText:
        return label.text().strip()
    face = QAccessible.queryAccessibleInterface(label)
    return face.text(QAccessible.Text.Name).strip() if face is not None else label.text()


def _describe(widget: QWidget) -> str:
    text = ""
    if isinstance(widget, QAbstractButton | QLabel):
        text = widget.text()
    label = widget.accessibleName() or text or widget.objectName()
    return f"{type(widget).__name__} {label[:40]!r}"
