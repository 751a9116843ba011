"""ReorderableList: a list the user puts in order by drag-and-drop or from the keyboard."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QListWidget, QListWidgetItem, QWidget

ID_ROLE = Qt.ItemDataRole.UserRole


class ReorderableList(QListWidget):
    """Rows of (id, text); Alt+Up / Alt+Down move the current row, as does dragging it."""

    reordered = Signal()  # the user moved a row

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._texts: dict[str, str] = {}
        self.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setWordWrap(True)
        self.setAlternatingRowColors(True)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.setSpacing(1)
        # Roomier rows are easier targets to grab and to read.
        self.setStyleSheet("QListWidget::item { padding: 4px 2px; }")
        self.model().rowsMoved.connect(self._on_rows_moved)
        self.setAccessibleDescription(
            "Drag a step to move it, or select it and press Alt+Up or Alt+Down."
        )

    def set_rows(self, rows: Sequence[tuple[str, str]]) -> None:
        """Show ``rows`` of (id, text) in this order; no signal."""
        self._texts = dict(rows)
        self.clear()
        for row_id, _ in rows:
            item = QListWidgetItem()
            item.setData(ID_ROLE, row_id)
            self.addItem(item)
        self._renumber()
        self.setCurrentRow(0)

    def order(self) -> list[str]:
        return [str(self.item(row).data(ID_ROLE)) for row in range(self.count())]

    def set_order(self, ids: Sequence[str]) -> None:
        """Put the rows in the order of ``ids`` (all of them); no signal."""
        current = self.currentItem()
        current_id = current.data(ID_ROLE) if current is not None else None
        self.set_rows([(row_id, self._texts[row_id]) for row_id in ids])
        if current_id in ids:
            self.setCurrentRow(list(ids).index(current_id))

    def move_current(self, delta: int) -> bool:
        """Move the current row up (-1) or down (+1); False when it cannot move."""
        row = self.currentRow()
        target = row + delta
        if row < 0 or not 0 <= target < self.count():
            return False
        item = self.takeItem(row)
        self.insertItem(target, item)
        self.setCurrentRow(target)
        self._renumber()
        self.reordered.emit()
        return True

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.AltModifier:
            delta = {Qt.Key.Key_Up: -1, Qt.Key.Key_Down: 1}.get(Qt.Key(event.key()))
            if delta is not None:
                self.move_current(delta)
                event.accept()
                return
        super().keyPressEvent(event)

    def _on_rows_moved(self) -> None:
        # A drop moves rows in the model (QListWidget's internal move); the keyboard and the
        # buttons take and insert instead, so each move is reported once.
        self._renumber()
        self.reordered.emit()

    def _renumber(self) -> None:
        """Show each row's place: the order is the answer, so make it explicit."""
        for row in range(self.count()):
            item = self.item(row)
            text = self._texts[str(item.data(ID_ROLE))]
            item.setText(f"{row + 1}.  {text}")
            item.setData(Qt.ItemDataRole.AccessibleTextRole, f"Position {row + 1}: {text}")
        self._fit_height()

    def updateGeometries(self) -> None:
        super().updateGeometries()
        self._fit_height()  # runs after each row layout: wrapped rows change height with width

    def _fit_height(self) -> None:
        """As tall as its rows: the whole order is visible, no scrolling inside the list."""
        height = self.contentsSize().height() + 2 * self.frameWidth()
        if self.count() and height != self.height():
            self.setFixedHeight(height)
