"""The end of the case: unanswered items to review, confirmation, then the result."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from casebook_player.core.case.model import Case
from casebook_player.ui.dialogs import confirm
from casebook_player.ui.labels import as_markup


class ReviewScreen(QWidget):
    """Every question reached, answered or not; the candidate may answer those left blank,
    then finishes."""

    answer_requested = Signal(str)  # item id
    finish_requested = Signal()

    def __init__(self, case: Case, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.case = case
        self.unanswered: tuple[str, ...] = ()
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.heading.setTextFormat(Qt.TextFormat.RichText)
        self.heading.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.items = QListWidget()
        self.items.setAccessibleName("Questions")
        self.items.setWordWrap(True)
        self.items.itemActivated.connect(self._answer)
        self.items.currentItemChanged.connect(lambda row, _: self._update_answer_button(row))
        self.answer_button = QPushButton("Answer the selected question")
        self.answer_button.clicked.connect(lambda: self._answer(self.items.currentItem()))
        self.finish_button = QPushButton("Finish the case")
        self.finish_button.setDefault(True)
        self.finish_button.clicked.connect(self._confirm)
        buttons = QHBoxLayout()
        buttons.addWidget(self.answer_button)
        buttons.addStretch(1)
        buttons.addWidget(self.finish_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.items, 1)
        layout.addLayout(buttons)

    def show_review(self, visited: list[str], unanswered: tuple[str, ...]) -> None:
        """List the questions reached (``visited``) with their state; blank ones first in focus."""
        self.unanswered = unanswered
        self.items.clear()
        for item_id in visited:
            item = self.case.item(item_id)
            kp = next(kp for _, kp in self.case.key_points() if item in kp.items)
            state = "Not answered" if item_id in unanswered else "Answered"
            row = QListWidgetItem(f"{state} — {kp.title}: {item.stem}")
            row.setData(Qt.ItemDataRole.UserRole, item_id)
            # Answered rows stay enabled, to be read in full contrast; only blank ones can
            # be answered (answers given cannot change once the narration has gone on).
            self.items.addItem(row)
        count = len(unanswered)
        if unanswered:
            self.heading.setText(
                f"<h2>Review</h2><p>You left {count} question{'s' if count != 1 else ''} "
                "unanswered. Unanswered questions score nothing. Answer them now, or finish "
                "the case. Answered questions cannot be changed.</p>"
            )
            self.items.setCurrentRow(visited.index(unanswered[0]))
            self.items.setFocus()
        else:
            self.heading.setText(
                "<h2>Review</h2><p>You answered every question. Finish the case to see "
                "the result.</p>"
            )
            self.finish_button.setFocus()
        self._update_answer_button(self.items.currentItem())

    def _update_answer_button(self, row: QListWidgetItem | None) -> None:
        self.answer_button.setEnabled(
            row is not None and row.data(Qt.ItemDataRole.UserRole) in self.unanswered
        )

    def _answer(self, row: QListWidgetItem | None) -> None:
        if row is not None and row.data(Qt.ItemDataRole.UserRole) in self.unanswered:
            self.answer_requested.emit(row.data(Qt.ItemDataRole.UserRole))

    def _confirm(self) -> None:
        left = len(self.unanswered)
        text = "Finish the case? You cannot change your answers afterwards."
        if left:
            text = f"{left} question{'s are' if left != 1 else ' is'} still unanswered. " + text
        if confirm(self, "Finish the case", text):
            self.finish_requested.emit()


class DomainBar(QWidget):
    """One blueprint domain: its name, a bar of its percent, and the cut score as a line."""

    def __init__(
        self, name: str, percent: float, cut_score: float, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.name = name
        self.percent = percent
        self.cut_score = cut_score
        self.setMinimumHeight(self.fontMetrics().height() * 2)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAccessibleName(f"{name}: {percent:.0f} percent")

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        palette = self.palette()
        label_width = int(self.width() * 0.4)
        height = self.height()
        painter.setPen(palette.windowText().color())
        left_middle = int(Qt.AlignmentFlag.AlignVCenter)
        painter.drawText(0, 0, label_width - 8, height, left_middle, self.name)
        bar_width = self.width() - label_width - 70
        top, bar_height = height // 4, height // 2
        painter.fillRect(label_width, top, bar_width, bar_height, palette.mid())
        filled = int(bar_width * self.percent / 100)
        painter.fillRect(label_width, top, filled, bar_height, palette.highlight())
        cut_x = label_width + int(bar_width * self.cut_score / 100)
        painter.setPen(QPen(palette.windowText().color(), 3))
        painter.drawLine(cut_x, top - 4, cut_x, top + bar_height + 4)
        painter.drawText(
            label_width + bar_width + 8, 0, 62, height, left_middle, f"{self.percent:.0f} %"
        )
        painter.end()


class ResultScreen(QWidget):
    """The end of the attempt: the score when the case shows it (overall, pass/fail, a bar per
    domain), and a row of actions the window adds (export, close)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.content = QWidget()
        self.saved = QLabel()
        self.saved.setWordWrap(True)
        self.saved.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.action_row = QHBoxLayout()
        layout = QVBoxLayout(self)
        layout.addWidget(self.content, 1)
        layout.addWidget(self.saved)
        layout.addLayout(self.action_row)

    def set_saved_path(self, path: Path | None) -> None:
        if path is None:
            self.saved.setText("<b>The result file could not be saved.</b> Tell the proctor.")
        else:
            self.saved.setText(f"Result saved to {as_markup(str(path))}")

    def show_result(self, document: dict[str, Any], show_score: bool) -> None:
        self.content.hide()
        self.content.deleteLater()
        self.content = QWidget()
        self.layout().insertWidget(0, self.content, 1)  # type: ignore[union-attr]
        layout = QVBoxLayout(self.content)
        reason = _END_REASONS.get(document["end_reason"], "")
        title = QLabel(
            f"<h2>{as_markup(document['case']['title'])}</h2><p>The case is over.{reason} "
            "Your responses have been recorded.</p>"
        )
        title.setWordWrap(True)
        layout.addWidget(title)
        if show_score:
            verdict = "PASS" if document["passed"] else "FAIL"
            summary = QLabel(
                f"<p style='font-size:x-large'><b>{verdict}</b> — {document['percent']:.1f} % "
                f"(cut score {document['cut_score']:g} %)</p>"
            )
            layout.addWidget(summary)
            layout.addWidget(
                QLabel("<b>By blueprint domain</b> (the vertical line is the cut score)")
            )
            for domain in document["domains"]:
                if domain["max"]:
                    layout.addWidget(
                        DomainBar(domain["name"], domain["percent"], document["cut_score"])
                    )
        layout.addStretch(1)


_END_REASONS = {
    "time_up": " Time ran out.",
    "ended_by_proctor": " The proctor ended the attempt.",
}
