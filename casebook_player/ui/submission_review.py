"""The reviewer's window for ``casebook review-submission``: the verified submission, the
programme's verdicts and the comments; saving goes through the command's ``save``, which
signs the review in core and answers the path written or why it was refused."""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QSize
from PySide6.QtWidgets import (
    QButtonGroup,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from casebook_player.core.certification.programme import Verdict

REVIEW_SIZE = QSize(640, 560)
Save = Callable[[Verdict, str], Path | str]  # the review written, or why not


class ReviewWindow(QWidget):
    def __init__(self, summary: Sequence[str], verdicts: Sequence[Verdict], save: Save) -> None:
        super().__init__()
        self.setWindowTitle("Review a video submission")
        self._verdicts = tuple(verdicts)
        self._save = save
        self.saved_path: Path | None = None
        layout = QVBoxLayout(self)
        heading = QLabel("Review a video submission")
        font = heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        heading.setFont(font)
        layout.addWidget(heading)
        self.summary = QLabel("\n".join(summary))
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        layout.addWidget(QLabel("Verdict"))
        self.choices = QButtonGroup(self)
        for index, verdict in enumerate(self._verdicts):
            button = QRadioButton(f"&{index + 1} {verdict.label}")
            button.setAccessibleName(verdict.label)
            self.choices.addButton(button, index)
            layout.addWidget(button)
        comments_label = QLabel("&Comments for the candidate (what to change, when sent back)")
        self.comments = QPlainTextEdit()
        self.comments.setAccessibleName("Comments for the candidate")
        comments_label.setBuddy(self.comments)
        layout.addWidget(comments_label)
        layout.addWidget(self.comments, 1)
        self.status = QLabel()
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.save_button = QPushButton("&Sign and save the review")
        self.save_button.setEnabled(False)
        layout.addWidget(self.save_button)
        self.choices.idToggled.connect(self._on_choice)
        self.save_button.clicked.connect(self.submit)

    def choose(self, index: int) -> None:
        self.choices.button(index).setChecked(True)

    def submit(self) -> None:
        index = self.choices.checkedId()
        if index < 0 or self.saved_path is not None:
            return
        outcome = self._save(self._verdicts[index], self.comments.toPlainText())
        if isinstance(outcome, str):
            self.status.setText(f"Not saved: {outcome}")
            return
        self.saved_path = outcome
        self.status.setText(f"Signed and saved: {outcome}")
        for widget in (*self.choices.buttons(), self.comments, self.save_button):
            widget.setEnabled(False)

    def _on_choice(self, _index: int, checked: bool) -> None:
        if checked:
            self.save_button.setEnabled(True)
            self.status.clear()


def run_review_window(
    summary: Sequence[str], verdicts: Sequence[Verdict], save: Save, high_contrast: bool
) -> int:
    """Show the window until it closes; 0 when a review was saved, else 1."""
    from casebook_player.ui.app import application
    from casebook_player.ui.screen_fit import show_fitted
    from casebook_player.ui.theme import apply_theme

    app = application()
    apply_theme(app, high_contrast)
    window = ReviewWindow(summary, verdicts, save)
    show_fitted(window, REVIEW_SIZE)
    app.exec()
    if window.saved_path is None:
        print("casebook review-submission: closed without saving", file=sys.stderr)
        return 1
    return 0
