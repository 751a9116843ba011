"""Item widgets: one per item type; each shows its question and reports the response.

A widget reports a response (``response_changed``) in the JSON shape of core/responses.py,
or None when the candidate clears it; ``set_response`` shows a saved one without reporting,
and ``show_not_saved`` puts back the one that stands when a response could not be saved.
Hotspot and measurement items are answered on the image (UltrasoundViewer); their widgets
show what was placed and offer to clear it. No widget scores or checks an answer.
"""

from __future__ import annotations

import random
from collections.abc import Mapping

from PySide6.QtCore import QEvent, QObject, QRectF, Qt, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QButtonGroup,
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from casebook_player.core.case.model import (
    AnyItem,
    HotspotItem,
    MeasurementItem,
    MultipleItem,
    OrderingItem,
    SingleItem,
    all_choices,
)
from casebook_player.core.session.responses import Response
from casebook_player.core.session.scoring import measured_mm
from casebook_player.ui.announce import announce
from casebook_player.ui.labels import plain_label
from casebook_player.ui.ordering_list import ReorderableList

_NUMBER_KEYS = {getattr(Qt.Key, f"Key_{n}"): n for n in range(1, 10)}


def _button(text: str, description: str) -> QPushButton:
    button = QPushButton(text)
    button.setAccessibleName(text)
    button.setAccessibleDescription(description)
    button.setToolTip(description)
    return button


class ItemWidget(QWidget):
    """The question (stem) above the type's controls, and the key below it in preview."""

    response_changed = Signal(object)  # the response, or None when cleared
    entered = Signal()  # keyboard focus moved into this item (the candidate works on it)

    def __init__(
        self,
        item: AnyItem,
        parent: QWidget | None = None,
        *,
        domain_names: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(parent)
        self.item = item
        self._response: Response = None
        self._domain_names = dict(domain_names or {})
        self.stem = plain_label(item.stem)
        font = self.stem.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)  # relative: follows the system font size
        self.stem.setFont(font)
        self.stem.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.body = QVBoxLayout()
        self.body.setContentsMargins(0, 4, 0, 0)
        self.key_panel = _KeyPanel()
        self.not_saved = QLabel()
        self.not_saved.setObjectName("not-saved")
        self.not_saved.setWordWrap(True)
        self.not_saved.setFont(font)  # as the stem: it must not be missed
        self.not_saved.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 6)
        layout.addWidget(self.stem)
        layout.addLayout(self.body)
        layout.addWidget(self.not_saved)
        layout.addWidget(self.key_panel)
        self.setAccessibleName(item.stem)
        # Clicks on a label or the stem focus the item too, so `entered` follows the mouse.
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._on_focus_changed)

    def _on_focus_changed(self, old: QWidget | None, new: QWidget | None) -> None:
        inside = new is not None and (new is self or self.isAncestorOf(new))
        was_inside = old is not None and (old is self or self.isAncestorOf(old))
        if inside and not was_inside:
            self.entered.emit()

    def response(self) -> Response:
        return self._response

    def set_response(self, value: Response) -> None:
        """Show a saved response (None: unanswered) without reporting it."""
        self._response = value
        self._show_response(value)
        self.not_saved.hide()

    def show_not_saved(self, standing: Response, why: str) -> None:
        """The last response could not be saved: show ``standing`` (what is saved) again,
        and say why under the question, each time."""
        self.set_response(standing)
        kept = "Your earlier answer stands." if standing is not None else "It is unanswered."
        text = f"Your answer was NOT saved: {why}. {kept} Tell the proctor."
        self.not_saved.setText(text)
        self.not_saved.show()
        announce(self.not_saved, text)

    def set_show_key(self, show: bool) -> None:
        """Preview for item writers: key, rationale, domains and points. Off for candidates."""
        if show:
            domains = ", ".join(self._domain_names.get(d, d) for d in self.item.domains)
            self.key_panel.show_key(
                self._key_text(), self.item.rationale, domains, self.item.points
            )
        else:
            self.key_panel.hide_key()  # the text goes too, not only the panel
        self._mark_key(show)

    def _report(self, value: Response) -> None:
        if value != self._response:
            self._response = value
            self.response_changed.emit(value)

    # -- for subclasses ---------------------------------------------------------------

    def _show_response(self, value: Response) -> None:
        raise NotImplementedError

    def _key_text(self) -> str:
        raise NotImplementedError

    def _mark_key(self, show: bool) -> None:
        """Mark the key among the controls (choices); most types have nothing to mark."""


class _KeyPanel(QFrame):
    """The key and why: filled only while shown, so a candidate's screen never holds it."""

    def __init__(self) -> None:
        super().__init__()
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self.setBackgroundRole(QPalette.ColorRole.AlternateBase)
        self._text = plain_label()
        self._text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addWidget(self._text)
        self.hide()

    def show_key(self, key: str, rationale: str, domains: str, points: float) -> None:
        lines = [f"Key: {key}"]
        if rationale:
            lines.append(f"Rationale: {rationale}")
        lines.append(f"Domains: {domains}")
        lines.append(f"Points: {points:g}")
        self._text.setText("\n".join(lines))
        self.setAccessibleName("Answer key (preview)")
        self.show()

    def hide_key(self) -> None:
        self._text.clear()
        self.hide()

    def text(self) -> str:
        return self._text.text()


# -- single and multiple choice -----------------------------------------------------------


class _ChoiceRow(QWidget):
    """A radio button or check box with a word-wrapped label that also toggles it."""

    def __init__(self, button: QAbstractButton, number: int, text: str) -> None:
        super().__init__()
        self.button = button
        button.setAccessibleName(text)
        if number <= 9:
            button.setAccessibleDescription(f"Key {number}")
        self.label = plain_label(f"{number}.  {text}")
        self.label.installEventFilter(self)
        button.installEventFilter(self)
        self.key_mark = QLabel("✓ key")
        self.key_mark.setAccessibleName("This choice is in the key")
        self.key_mark.hide()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 3, 4, 3)
        layout.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.key_mark, 0, Qt.AlignmentFlag.AlignTop)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.label
            and event.type() == QEvent.Type.MouseButtonRelease
            and isinstance(event, QMouseEvent)
            and event.button() == Qt.MouseButton.LeftButton
            and self.button.isEnabled()
        ):
            self.button.setFocus(Qt.FocusReason.MouseFocusReason)
            self.button.click()
            return True
        if watched is self.button and event.type() in (QEvent.Type.FocusIn, QEvent.Type.FocusOut):
            self.update()
        return False

    def paintEvent(self, event: QPaintEvent) -> None:
        # The indicator's own focus cue is small; frame the whole row. A frame, not a fill:
        # a filled row reads as "selected".
        super().paintEvent(event)
        if self.button.hasFocus():
            painter = QPainter(self)
            painter.setPen(QPen(self.palette().highlight().color(), 2))
            painter.drawRoundedRect(QRectF(self.rect()).adjusted(1, 1, -1, -1), 4, 4)
            painter.end()


class _ChoicesWidget(ItemWidget):
    """Shared by single and multiple: numbered rows; keys 1–9 pick a row."""

    def __init__(
        self,
        item: SingleItem | MultipleItem,
        parent: QWidget | None,
        exclusive: bool,
        domain_names: Mapping[str, str] | None,
    ) -> None:
        super().__init__(item, parent, domain_names=domain_names)
        self.choices = all_choices(item)  # "not possible" last, when the item offers it
        self.hint = plain_label()
        self.body.addWidget(self.hint)
        self.group = QButtonGroup(self)
        self.group.setExclusive(exclusive)
        self.rows: list[_ChoiceRow] = []
        for number, choice in enumerate(self.choices, start=1):
            button: QAbstractButton = QRadioButton() if exclusive else QCheckBox()
            row = _ChoiceRow(button, number, choice.text)
            self.group.addButton(button, number - 1)
            self.rows.append(row)
            self.body.addWidget(row)
        self.group.idClicked.connect(self._on_clicked)
        if self.rows:
            self.setFocusProxy(self.rows[0].button)

    def button(self, choice_id: str) -> QAbstractButton:
        index = [c.id for c in self.choices].index(choice_id)
        return self.rows[index].button

    def keyPressEvent(self, event: QKeyEvent) -> None:
        number = _NUMBER_KEYS.get(Qt.Key(event.key()))
        if number is not None and number <= len(self.rows):
            button = self.rows[number - 1].button
            if button.isEnabled():
                button.setFocus(Qt.FocusReason.ShortcutFocusReason)
                button.click()
            event.accept()
            return
        super().keyPressEvent(event)

    def _on_clicked(self, index: int) -> None:
        raise NotImplementedError

    def _checked_ids(self) -> list[str]:
        return [
            c.id for c, row in zip(self.choices, self.rows, strict=True) if row.button.isChecked()
        ]

    def _set_checked(self, ids: set[str]) -> None:
        exclusive = self.group.exclusive()
        self.group.setExclusive(False)  # an exclusive group cannot be emptied
        for choice, row in zip(self.choices, self.rows, strict=True):
            row.button.setChecked(choice.id in ids)
        self.group.setExclusive(exclusive)

    def _mark_key(self, show: bool) -> None:
        key = self._key_ids()
        for choice, row in zip(self.choices, self.rows, strict=True):
            row.key_mark.setVisible(show and choice.id in key)

    def _key_ids(self) -> set[str]:
        raise NotImplementedError

    def _key_text(self) -> str:
        texts = [f"{c.text} ({c.id})" for c in self.choices if c.id in self._key_ids()]
        return "; ".join(texts)


class SingleItemWidget(_ChoicesWidget):
    """Radio buttons; arrow keys move between them, keys 1–9 choose directly."""

    item: SingleItem

    def __init__(
        self,
        item: SingleItem,
        parent: QWidget | None = None,
        *,
        domain_names: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(item, parent, True, domain_names)
        self.hint.setText(f"Choose one answer (keys 1–{min(len(self.choices), 9)}).")

    def _on_clicked(self, index: int) -> None:
        self._report(self.choices[index].id)

    def _show_response(self, value: Response) -> None:
        self._set_checked({value} if isinstance(value, str) else set())

    def _key_ids(self) -> set[str]:
        return {self.item.answer}


class MultipleItemWidget(_ChoicesWidget):
    """Check boxes; with ``select: N`` no more than N can be checked at once."""

    item: MultipleItem

    def __init__(
        self,
        item: MultipleItem,
        parent: QWidget | None = None,
        *,
        domain_names: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(item, parent, False, domain_names)
        self.status = plain_label()  # no fixed accessible name: the count itself is read
        self.body.addWidget(self.status)
        self._apply_limit()

    def _on_clicked(self, index: int) -> None:
        self._apply_limit()
        # Nothing checked is no answer at all, not an answer of "none".
        self._report(sorted(self._checked_ids()) or None)

    def _show_response(self, value: Response) -> None:
        self._set_checked(set(value) if isinstance(value, list) else set())
        self._apply_limit()

    def _apply_limit(self) -> None:
        """At the limit, unchecked boxes are disabled; checked ones can always be unchecked."""
        count, limit = len(self._checked_ids()), self.item.select
        full = limit is not None and count >= limit
        for row in self.rows:
            enabled = not full or row.button.isChecked()
            row.button.setEnabled(enabled)
            row.label.setEnabled(enabled)
        keys = f"keys 1–{min(len(self.choices), 9)}"
        if limit is None:
            self.hint.setText(f"Select all that apply ({keys}).")
            self.status.setText(f"{count} selected.")
        else:
            self.hint.setText(f"Select {limit} ({keys}).")
            more = " Uncheck one to choose another." if full else ""
            self.status.setText(f"{count} of {limit} selected.{more}")

    def _key_ids(self) -> set[str]:
        return set(self.item.answer)


# -- ordering -----------------------------------------------------------------------------


def initial_order(item: OrderingItem) -> list[str]:
    """The order first shown: shuffled the same way every time (seeded by the item id), and
    never the key itself, which would give the answer away."""
    ids = [o.id for o in item.options]
    random.Random(item.id).shuffle(ids)
    if len(ids) > 1 and tuple(ids) == tuple(item.answer):
        ids = ids[1:] + ids[:1]  # a rotation of distinct ids always differs
    return ids


class OrderingItemWidget(ItemWidget):
    """A list to put in order by dragging, by Alt+Up/Alt+Down or with Move up/Move down.

    The shown order becomes an answer only when the candidate acts on it: a move, or
    "Keep this order" for an order they accept as it is. Reporting the shuffled order from
    the start would record an answer the candidate never gave; it would also score a
    candidate who skipped the item for whatever pairs the shuffle got right.
    """

    item: OrderingItem

    def __init__(
        self,
        item: OrderingItem,
        parent: QWidget | None = None,
        *,
        domain_names: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(item, parent, domain_names=domain_names)
        self._texts = {o.id: o.text for o in item.options}
        self.body.addWidget(
            plain_label(
                "Put these in order: drag them, or select one and use Move up / Move down "
                "(Alt+Up / Alt+Down).",
            )
        )
        self.list = ReorderableList()
        self.list.setAccessibleName("Order of the steps")
        self.list.set_rows([(i, self._texts[i]) for i in initial_order(item)])
        self.up = _button("Move up", "Move the selected step up (Alt+Up)")
        self.down = _button("Move down", "Move the selected step down (Alt+Down)")
        self.keep = _button("Keep this order", "Answer with the order as it is shown now")
        self.status = plain_label()
        buttons = QHBoxLayout()
        for button in (self.up, self.down):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.keep)
        self.body.addWidget(self.list)
        self.body.addLayout(buttons)
        self.body.addWidget(self.status)
        self.up.clicked.connect(lambda: self.list.move_current(-1))
        self.down.clicked.connect(lambda: self.list.move_current(1))
        self.keep.clicked.connect(self._on_reordered)
        self.list.reordered.connect(self._on_reordered)
        self.list.currentRowChanged.connect(self._update_buttons)
        self.setFocusProxy(self.list)
        self._show_response(None)

    def order(self) -> list[str]:
        return self.list.order()

    def _on_reordered(self) -> None:
        self._report(self.list.order())
        self._update_buttons()

    def _show_response(self, value: Response) -> None:
        known = sorted(self._texts)
        if isinstance(value, list) and sorted(value) == known:
            self.list.set_order(value)
        else:
            self.list.set_order(initial_order(self.item))
        self._update_buttons()

    def _update_buttons(self) -> None:
        row, count = self.list.currentRow(), self.list.count()
        self.up.setEnabled(row > 0)
        self.down.setEnabled(0 <= row < count - 1)
        answered = self._response is not None
        self.keep.setEnabled(not answered)
        self.status.setText(
            "Your order is recorded."
            if answered
            else "Not answered yet: move a step, or choose “Keep this order”."
        )

    def _key_text(self) -> str:
        return " → ".join(self._texts[i] for i in self.item.answer)


# -- answered on the image -----------------------------------------------------------------


class _OnImageWidget(ItemWidget):
    """Instructions, what is placed on the image now, and Clear."""

    def __init__(
        self,
        item: HotspotItem | MeasurementItem,
        parent: QWidget | None,
        instructions: str,
        domain_names: Mapping[str, str] | None,
    ) -> None:
        super().__init__(item, parent, domain_names=domain_names)
        # Reached by Tab as well: entering it is how a keyboard user gives it the image.
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.instructions = plain_label(instructions)
        self.state = plain_label()  # no fixed accessible name: what is placed is read
        self.clear_button = _button("Clear", "Remove your answer from the image")
        self.clear_button.clicked.connect(lambda: self._report(None))
        self.clear_button.clicked.connect(lambda: self._show_response(None))
        row = QHBoxLayout()
        row.addWidget(self.state, 1)
        row.addWidget(self.clear_button)
        self.body.addWidget(self.instructions)
        self.body.addLayout(row)

    def _show_state(self, text: str, answered: bool) -> None:
        self.state.setText(text)
        self.clear_button.setEnabled(answered)


class HotspotItemWidget(_OnImageWidget):
    item: HotspotItem

    def __init__(
        self,
        item: HotspotItem,
        parent: QWidget | None = None,
        *,
        domain_names: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(
            item,
            parent,
            "Click on the image to mark your answer; drag the mark to move it. Keyboard: "
            "Tab to the image, press Enter to place a mark in the middle, then move it with "
            "the arrow keys (hold Shift for bigger steps).",
            domain_names,
        )
        self._show_response(None)

    def _show_response(self, value: Response) -> None:
        if isinstance(value, dict) and "x" in value and "y" in value:
            self._show_state(f"Mark placed at x {value['x']:.0f}, y {value['y']:.0f}.", True)
        else:
            self._show_state("No mark placed yet.", False)

    def _key_text(self) -> str:
        return "a click inside " + " or ".join(sorted(self.item.answer))


class MeasurementItemWidget(_OnImageWidget):
    item: MeasurementItem

    def __init__(
        self,
        item: MeasurementItem,
        parent: QWidget | None = None,
        *,
        spacing_mm: float | None = None,
        domain_names: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(
            item,
            parent,
            "Drag the two calipers on the image to the ends of what you measure. Keyboard: "
            "Tab to the image; Tab or A switches caliper, the arrow keys move it (hold Shift "
            "for bigger steps), Enter keeps the line as it is.",
            domain_names,
        )
        self._spacing_mm = spacing_mm
        self._show_response(None)

    def set_spacing_mm(self, spacing_mm: float | None) -> None:
        """The target image's calibration, to show the distance in millimetres."""
        self._spacing_mm = spacing_mm
        self._show_response(self._response)

    def _show_response(self, value: Response) -> None:
        if not (isinstance(value, dict) and "from" in value and "to" in value):
            self._show_state("No measurement yet.", False)
        elif self._spacing_mm:
            # Shown to the candidate as the machine would; scoring happens in core.
            self._show_state(f"Measured: {measured_mm(value, self._spacing_mm):.1f} mm", True)
        else:
            self._show_state(f"Measured: {measured_mm(value, 1.0):.0f} pixels", True)

    def _key_text(self) -> str:
        return f"{self.item.value_mm:g} mm ± {self.item.tolerance_mm:g} mm"


def make_item_widget(
    item: AnyItem,
    parent: QWidget | None = None,
    *,
    spacing_mm: float | None = None,
    domain_names: Mapping[str, str] | None = None,
) -> ItemWidget:
    """The widget for ``item``; ``spacing_mm`` is a measurement target's calibration."""
    if isinstance(item, SingleItem):
        return SingleItemWidget(item, parent, domain_names=domain_names)
    if isinstance(item, MultipleItem):
        return MultipleItemWidget(item, parent, domain_names=domain_names)
    if isinstance(item, OrderingItem):
        return OrderingItemWidget(item, parent, domain_names=domain_names)
    if isinstance(item, HotspotItem):
        return HotspotItemWidget(item, parent, domain_names=domain_names)
    return MeasurementItemWidget(item, parent, spacing_mm=spacing_mm, domain_names=domain_names)
