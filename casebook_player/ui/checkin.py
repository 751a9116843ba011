"""Check-in: what the case is, who is taking it, then Start."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from casebook_player.core.case.model import Case
from casebook_player.core.session.results import Candidate
from casebook_player.ui.labels import as_markup

EXTRA_TIME = (("None", 1.0), ("× 1.25", 1.25), ("× 1.5", 1.5), ("× 2", 2.0))
CAPTION_SIZES = (("Normal", 1.0), ("Large", 1.5), ("Very large", 2.0))


class CheckInScreen(QWidget):
    start_requested = Signal(object, dict)  # Candidate, accommodations

    def __init__(self, case: Case, proctor: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        key_points = sum(1 for _ in case.key_points())
        timing = (
            f"{case.time_limit_minutes:g} minutes" if case.time_limit_minutes else "no time limit"
        )
        heading = "<p><b>Proctor check-in</b></p>" if proctor else ""
        about = QLabel(
            f"{heading}<h1>{as_markup(case.title)}</h1>"
            f"<p>{as_markup(case.summary)}</p>"
            f"<p>Clinical area: {as_markup(case.clinical_area)} · up to {key_points} key points · "
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
        self.start_button.clicked.connect(self._start)
        self.extra_time = QComboBox()
        self.extra_time.setAccessibleName("Extra time accommodation")
        for label, factor in EXTRA_TIME:
            self.extra_time.addItem(label, factor)
        self.caption_size = QComboBox()
        self.caption_size.setAccessibleName("Caption size accommodation")
        for label, scale in CAPTION_SIZES:
            self.caption_size.addItem(label, scale)
        form = QFormLayout()
        form.addRow("Candidate &ID", self.candidate_id)
        form.addRow("&Name", self.candidate_name)
        if case.time_limit_minutes:
            form.addRow("E&xtra time", self.extra_time)
        form.addRow("Ca&ption size", self.caption_size)
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

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Return starts the case from any field (line edits and closed lists pass it on).
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._start()
            event.accept()
            return
        super().keyPressEvent(event)

    def _start(self) -> None:
        if self.candidate_id.text().strip():
            self.start_requested.emit(
                Candidate(self.candidate_id.text().strip(), self.candidate_name.text().strip()),
                self.accommodations(),
            )

    def accommodations(self) -> dict[str, float]:
        """Only what differs from the standard conditions is recorded."""
        chosen = {
            "extra_time": float(self.extra_time.currentData()),
            "caption_scale": float(self.caption_size.currentData()),
        }
        return {key: value for key, value in chosen.items() if value != 1.0}
