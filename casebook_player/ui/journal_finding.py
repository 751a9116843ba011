"""Telling whoever decides that an attempt's journal was found altered, and asking what to do."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractButton, QMessageBox, QWidget

from casebook_player.core.session.custody import DECISION_TEXT, Decision, JournalFinding

TITLE = "The journal of this attempt was altered"


def ask_journal_decision(parent: QWidget | None, finding: JournalFinding) -> Decision | None:
    """Resume from the last intact record, start anew, or neither (None)."""
    box = QMessageBox(QMessageBox.Icon.Warning, TITLE, finding.message(), parent=parent)
    box.setInformativeText(
        f"The journal as found is kept beside {finding.path.name} whatever you choose, and "
        "the result will say what was found and what was done."
    )
    choices: dict[QAbstractButton, Decision] = {}
    options = (
        (Decision.RESUME_INTACT, Decision.START_ANEW)
        if finding.can_resume
        else (Decision.START_ANEW,)
    )
    for decision in options:
        button = box.addButton(
            DECISION_TEXT[decision].capitalize(), QMessageBox.ButtonRole.AcceptRole
        )
        choices[button] = decision
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.exec()
    return choices.get(box.clickedButton())
