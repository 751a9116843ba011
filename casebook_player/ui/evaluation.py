"""The peer evaluation window: one row per criterion, a comments box, review, submit.

The window renders a `PeerForm` and collects ratings; whether they are complete is decided by
core (`rating_problems`), and the evaluation file is written by core (`write_evaluation`).
Keyboard: Tab moves between rows (each row is one stop, on its chosen rating), the arrow keys
choose within a row, and a digit key picks that rating (N: not applicable).
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, QSize, Qt, Signal
from PySide6.QtGui import QCloseEvent, QFont, QKeyEvent, QPalette
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from casebook_player.core.peer.evaluations import (
    Rating,
    evaluation_document,
    evaluation_file_name,
    rating_problems,
    write_evaluation,
)
from casebook_player.core.peer.forms import NOT_APPLICABLE, Criterion, PeerForm
from casebook_player.core.peer.summary import format_rating
from casebook_player.ui.labels import as_markup, plain_label

AREA_NAMES = {
    "cardiac": "Cardiac",
    "gastrointestinal": "Gastrointestinal",
    "hepatobiliary": "Hepatobiliary / spleen",
    "obstetrics": "Obstetrics (first trimester)",
    "trauma": "Abdominal trauma (FAST/eFAST)",
    "dvt": "Lower-extremity DVT",
    "lung": "Lung",
    "msk": "MSK soft tissue",
    "renal": "Renal / genitourinary",
    "aaa": "Abdominal aortic aneurysm",
}


class CriterionRow(QObject):
    """The radio buttons of one criterion: one per scale point, plus "Not applicable"."""

    changed = Signal()

    def __init__(self, form: PeerForm, criterion: Criterion, parent: QWidget) -> None:
        super().__init__(parent)
        self.criterion = criterion
        self.group = QButtonGroup(self)
        self.buttons: dict[Rating, QRadioButton] = {}
        choices: list[tuple[Rating, str]] = [(p.value, f"{p.value}, {p.label}") for p in form.scale]
        if criterion.allows_not_applicable:
            choices.append((NOT_APPLICABLE, "not applicable"))
        for value, spoken in choices:
            button = QRadioButton(parent)
            button.setAccessibleName(f"{criterion.label}: {spoken}")
            button.setToolTip(spoken.capitalize())
            # One Tab stop per row until a rating is chosen; Qt then moves it to the checked one.
            button.setFocusPolicy(
                Qt.FocusPolicy.StrongFocus if not self.buttons else Qt.FocusPolicy.ClickFocus
            )
            button.installEventFilter(self)
            self.group.addButton(button)
            self.buttons[value] = button
        self.group.buttonToggled.connect(self._on_toggled)

    def value(self) -> Rating | None:
        for value, button in self.buttons.items():
            if button.isChecked():
                return value
        return None

    def choose(self, value: Rating) -> None:
        self.buttons[value].setChecked(True)

    def first_button(self) -> QRadioButton:
        return next(iter(self.buttons.values()))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            value = self._value_for_key(event.text())
            if value is not None:
                self.choose(value)
                self.buttons[value].setFocus(Qt.FocusReason.ShortcutFocusReason)
                return True
        return super().eventFilter(watched, event)

    def _value_for_key(self, text: str) -> Rating | None:
        if text.lower() == "n" and NOT_APPLICABLE in self.buttons:
            return NOT_APPLICABLE
        if text.isdigit() and int(text) in self.buttons:
            return int(text)
        return None

    def _on_toggled(self, _button: QAbstractButton, checked: bool) -> None:
        if checked:
            self.changed.emit()


EVALUATION_SIZE = QSize(1100, 780)


class EvaluationWindow(QWidget):
    """Fill in the form, review, submit. ``submitted`` carries (ratings, comments, started)."""

    submitted = Signal(dict, str, float)

    def __init__(self, form: PeerForm, candidate: str, evaluator: str) -> None:
        super().__init__()
        self.form, self.candidate, self.evaluator = form, candidate, evaluator
        self.started_at = time.time()
        self.saved_path: Path | None = None
        area = AREA_NAMES.get(form.clinical_area, form.clinical_area)
        self.setWindowTitle(f"{form.title} — candidate {candidate}")
        self.pages = QStackedWidget(self)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.pages)
        self.rows: dict[str, CriterionRow] = {}
        self.pages.addWidget(self._form_page(area))
        self.pages.addWidget(self._review_page())
        self.pages.addWidget(self._saved_page())
        self.resize(EVALUATION_SIZE)

    # --- pages ----------------------------------------------------------------------------

    def _form_page(self, area: str) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(24, 18, 24, 18)
        layout.addWidget(_heading(self.form.title))
        who = QLabel(
            f"Candidate <b>{as_markup(self.candidate)}</b>"
            f" · evaluator <b>{as_markup(self.evaluator)}</b> · {as_markup(area)}"
            f" · form {as_markup(self.form.id)} {as_markup(self.form.version)}"
        )
        who.setAccessibleName(f"Candidate {self.candidate}, evaluator {self.evaluator}, {area}")
        layout.addWidget(who)
        if self.form.instructions:
            layout.addWidget(plain_label(self.form.instructions.strip()))
        layout.addSpacing(6)

        grid_host = QWidget()
        grid = QGridLayout(grid_host)
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(0)
        grid.setColumnStretch(0, 1)
        columns = [f"{p.value}\n{p.label}" for p in self.form.scale] + ["Not\napplicable"]
        for col, text in enumerate(columns, start=1):
            header = plain_label(text, wrap=False)
            header.setAlignment(Qt.AlignmentFlag.AlignCenter)
            header.setMinimumWidth(88)
            header.setContentsMargins(0, 0, 0, 6)
            _bold(header)
            grid.addWidget(header, 0, col)
        na_column = len(columns)
        for row_index, criterion in enumerate(self.form.criteria, start=1):
            stripe = QFrame()
            stripe.setAutoFillBackground(True)
            role = QPalette.ColorRole.AlternateBase if row_index % 2 else QPalette.ColorRole.Window
            stripe.setBackgroundRole(role)
            grid.addWidget(stripe, row_index, 0, 1, na_column + 1)
            grid.addWidget(self._criterion_label(criterion), row_index, 0)
            row = CriterionRow(self.form, criterion, grid_host)
            row.changed.connect(self._on_rating_changed)
            self.rows[criterion.id] = row
            for value, button in row.buttons.items():
                col = na_column if value == NOT_APPLICABLE else self.form.values.index(value) + 1
                grid.addWidget(button, row_index, col, Qt.AlignmentFlag.AlignCenter)
            if not criterion.allows_not_applicable:
                dash = QLabel("—")
                dash.setAlignment(Qt.AlignmentFlag.AlignCenter)
                dash.setToolTip("Not applicable is not allowed for this criterion")
                grid.addWidget(dash, row_index, na_column)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(grid_host)
        layout.addWidget(scroll, 1)

        comments_label = plain_label(f"{self.form.comments_label}:", wrap=False)
        _bold(comments_label)
        layout.addWidget(comments_label)
        self.comments = QPlainTextEdit()
        self.comments.setTabChangesFocus(True)
        self.comments.setAccessibleName(self.form.comments_label)
        self.comments.setPlaceholderText(
            "Required." if self.form.comments_required else "Optional."
        )
        self.comments.setFixedHeight(self.fontMetrics().lineSpacing() * 5)
        comments_label.setBuddy(self.comments)
        self.comments.textChanged.connect(self._on_comments_changed)
        layout.addWidget(self.comments)

        bottom = QHBoxLayout()
        self.progress = QLabel()  # no fixed accessible name: the count itself is read
        bottom.addWidget(self.progress, 1)
        self.review_button = QPushButton("Review and submit…")
        self.review_button.setDefault(True)
        self.review_button.clicked.connect(self.review)
        bottom.addWidget(self.review_button)
        layout.addLayout(bottom)
        self.problems = QLabel()
        self.problems.setWordWrap(True)
        self.problems.setAccessibleName("Problems")
        self.problems.setStyleSheet("color: #b00020;")
        self.problems.hide()
        layout.addWidget(self.problems)
        self._update_progress()
        return page

    def _criterion_label(self, criterion: Criterion) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.setSpacing(2)
        layout.addStretch(1)  # the text stays together, centred on the row
        name = plain_label(criterion.label)
        _bold(name)
        layout.addWidget(name)
        if criterion.help:
            help_text = plain_label(criterion.help)
            help_text.setForegroundRole(QPalette.ColorRole.PlaceholderText)
            layout.addWidget(help_text)
        layout.addStretch(1)
        return box

    def _review_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(24, 18, 24, 18)
        layout.addWidget(_heading("Review your evaluation"))
        self.review_text = QLabel()
        self.review_text.setTextFormat(Qt.TextFormat.RichText)
        self.review_text.setWordWrap(True)
        self.review_text.setAccessibleName("Your ratings")
        self.review_text.setAlignment(Qt.AlignmentFlag.AlignTop)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.review_text)
        layout.addWidget(scroll, 1)
        layout.addWidget(
            plain_label(
                "Once submitted, the evaluation cannot be changed. It is confidential: the "
                "candidate does not see it."
            )
        )
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.back_button = QPushButton("Back to the form")
        self.back_button.clicked.connect(self.back_to_form)
        self.submit_button = QPushButton("Submit evaluation")
        self.submit_button.clicked.connect(self.submit)
        buttons.addWidget(self.back_button)
        buttons.addWidget(self.submit_button)
        layout.addLayout(buttons)
        return page

    def _saved_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(24, 18, 24, 18)
        layout.addWidget(_heading("Evaluation submitted"))
        self.saved_text = plain_label("")
        self.saved_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.saved_text)
        layout.addStretch(1)
        close = QPushButton("Close")
        close.clicked.connect(self.close)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(close)
        layout.addLayout(row)
        self.close_button = close
        return page

    # --- state ----------------------------------------------------------------------------

    def ratings(self) -> dict[str, Rating]:
        return {cid: v for cid, row in self.rows.items() if (v := row.value()) is not None}

    def review(self) -> None:
        """Go to the review page, or say what is still missing."""
        problems = rating_problems(self.form, self.ratings(), self.comments.toPlainText())
        if problems:
            self.problems.setText("Before submitting: " + "; ".join(problems) + ".")
            self.problems.show()
            missing = [c for c in self.form.criteria if c.id not in self.ratings()]
            if missing:
                self.rows[missing[0].id].first_button().setFocus(Qt.FocusReason.OtherFocusReason)
            else:
                self.comments.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        self.problems.hide()
        self.review_text.setText(self._review_html())
        self.pages.setCurrentIndex(1)
        self.submit_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def back_to_form(self) -> None:
        self.pages.setCurrentIndex(0)
        self.review_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def submit(self) -> None:
        self.submitted.emit(self.ratings(), self.comments.toPlainText(), self.started_at)

    def show_saved(self, path: Path, signed: bool) -> None:
        self.saved_path = path
        note = "signed" if signed else "not signed (an unsigned evaluation does not count)"
        self.saved_text.setText(f"Saved, {note}:\n{path}")
        self.pages.setCurrentIndex(2)
        self.close_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.saved_path is None and (self.ratings() or self.comments.toPlainText().strip()):
            answer = QMessageBox.question(
                self,
                "Leave without submitting?",
                "Your ratings have not been submitted and will be lost.",
                QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Cancel,
            )
            if answer != QMessageBox.StandardButton.Discard:
                event.ignore()
                return
        event.accept()

    def _review_html(self) -> str:
        ratings = self.ratings()
        rows = "".join(
            f"<tr><td style='padding:3px 16px 3px 0'>{as_markup(c.label)}</td>"
            f"<td><b>{as_markup(self._spoken(ratings[c.id]))}</b></td></tr>"
            for c in self.form.criteria
        )
        comments = self.comments.toPlainText().strip() or "(none)"
        return (
            f"<p>Candidate <b>{as_markup(self.candidate)}</b>, evaluated by "
            f"<b>{as_markup(self.evaluator)}</b> on {as_markup(self.form.title)}.</p>"
            f"<table>{rows}</table><p><b>{as_markup(self.form.comments_label)}:</b><br>"
            f"{as_markup(comments).replace(chr(10), '<br>')}</p>"
        )

    def _spoken(self, value: Rating) -> str:
        if value == NOT_APPLICABLE:
            return "Not applicable"
        return f"{format_rating(value)} — {self.form.label_of(int(value))}"

    def _on_rating_changed(self) -> None:
        self._update_progress()
        if self.problems.isVisible():
            self.problems.hide()

    def _on_comments_changed(self) -> None:
        self._update_progress()

    def _update_progress(self) -> None:
        done, total = len(self.ratings()), len(self.form.criteria)
        text = f"{done} of {total} criteria rated"
        length = len(self.comments.toPlainText()) if hasattr(self, "comments") else 0
        if length > self.form.comments_max_length * 0.8:
            text += f" · comments {length}/{self.form.comments_max_length} characters"
        self.progress.setText(text)


@dataclass
class EvaluationOptions:
    out: Path | None = None
    results_dir: Path | None = None
    signing_key: Any = None  # an Ed25519PrivateKey, or None for an unsigned evaluation
    high_contrast: bool = False


def build_evaluation_window(
    form: PeerForm, candidate: str, evaluator: str, options: EvaluationOptions
) -> EvaluationWindow:
    """The window, wired to write the evaluation through core when it is submitted."""
    window = EvaluationWindow(form, candidate, evaluator)

    def save(ratings: dict[str, Rating], comments: str, started_at: float) -> None:
        document = evaluation_document(
            form, candidate, evaluator, ratings, comments, started_at, time.time()
        )
        signed = options.signing_key is not None
        folder = options.results_dir or Path.cwd()
        path = options.out or folder / evaluation_file_name(document, signed)
        try:
            write_evaluation(path, document, options.signing_key)
        except OSError as exc:
            QMessageBox.critical(window, "The evaluation could not be saved", str(exc))
            return
        print(f"casebook: evaluation saved to {path}", flush=True)
        window.show_saved(path, signed)

    window.submitted.connect(save)
    return window


def run_evaluation(
    form: PeerForm, candidate: str, evaluator: str, options: EvaluationOptions
) -> int:
    """Show the form until the window closes; 0 when an evaluation was saved, else 1."""
    from casebook_player.ui.app import application
    from casebook_player.ui.screen_fit import show_fitted
    from casebook_player.ui.theme import apply_theme

    app = application()
    apply_theme(app, options.high_contrast)
    window = build_evaluation_window(form, candidate, evaluator, options)
    show_fitted(window, EVALUATION_SIZE)
    app.exec()
    if window.saved_path is None:
        print("casebook evaluate: closed without submitting", file=sys.stderr)
        return 1
    return 0


def _heading(text: str) -> QLabel:
    label = plain_label(text)
    font = QFont(label.font())
    font.setPointSizeF(font.pointSizeF() * 1.4)
    font.setBold(True)
    label.setFont(font)
    label.setAccessibleName(text)
    return label


def _bold(label: QLabel) -> None:
    font = QFont(label.font())
    font.setBold(True)
    label.setFont(font)
