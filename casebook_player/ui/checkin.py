"""Check-in: what the case is, who is taking it, then Start."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from casebook_player.core.model import Case
from casebook_player.core.results import Candidate


class CheckInScreen(QWidget):
    start_requested = Signal(object)  # Candidate

    def __init__(self, case: Case, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        key_points = sum(1 for _ in case.key_points())
        timing = (
            f"{case.time_limit_minutes:g} minutes" if case.time_limit_minutes else "no time limit"
        )
        about = QLabel(
            f"<h1>{case.title}</h1>"
            f"<p>{case.summary}</p>"
            f"<p>Clinical area: {case.clinical_area} · up to {key_points} key points · "
            f"{timing}.</p>"
            "<p>The encounter is narrated with captions and a transcript. At key points the "
            "narration pauses, ultrasound images appear, and you answer questions. You can go "
            "back within what you have already heard, but not skip ahead. Press F1 at any time "
            "for the keyboard shortcuts.</p>"
        )
        about.setWordWrap(True)
        self.candidate_id = QLineEdit()
        self.candidate_id.setAccessibleName("Candidate ID")
        self.candidate_name = QLineEdit()
        self.candidate_name.setAccessibleName("Candidate name")
        self.start_button = QPushButton("Start the case")
        self.start_button.setDefault(True)
        self.start_button.setEnabled(False)
        self.candidate_id.textChanged.connect(
            lambda text: self.start_button.setEnabled(bool(text.strip()))
        )
        self.candidate_id.returnPressed.connect(self._start)
        self.candidate_name.returnPressed.connect(self._start)
        self.start_button.clicked.connect(self._start)
        form = QFormLayout()
        form.addRow("Candidate &ID", self.candidate_id)
        form.addRow("&Name", self.candidate_name)
        start_row = QHBoxLayout()
        start_row.addStretch(1)
        start_row.addWidget(self.start_button)
        column = QWidget()
        column.setMaximumWidth(self.fontMetrics().averageCharWidth() * 100)
        column_layout = QVBoxLayout(column)
        column_layout.addWidget(about)
        column_layout.addLayout(form)
        column_layout.addLayout(start_row)
        column_layout.addStretch(1)
        layout = QHBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(column, 4)
        layout.addStretch(1)

    def _start(self) -> None:
        if self.candidate_id.text().strip():
            self.start_requested.emit(
                Candidate(self.candidate_id.text().strip(), self.candidate_name.text().strip())
            )
