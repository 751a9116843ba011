"""UI tests: modal dialogs are answered by the test, never left waiting."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QMessageBox


@pytest.fixture(autouse=True)
def answer_dialogs_yes(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Modal questions are answered Yes (and noted); information boxes are noted."""
    asked: list[str] = []

    def question(
        parent: object, title: str, text: str, *args: object
    ) -> QMessageBox.StandardButton:
        asked.append(title)
        return QMessageBox.StandardButton.Yes

    def information(parent: object, title: str, text: str, *args: object) -> None:
        asked.append(title)

    monkeypatch.setattr(QMessageBox, "question", question)
    monkeypatch.setattr(QMessageBox, "information", information)
    monkeypatch.setattr(QMessageBox, "critical", information)
    monkeypatch.setattr(QMessageBox, "warning", information)
    yield asked
