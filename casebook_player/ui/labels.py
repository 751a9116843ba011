"""Text from a case file on screen: plain text, never markup (case files are not trusted to
hold rich text). A label shows it as plain text; where it goes inside a rich-text label of
the player's own, it is escaped first."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel


def plain_label(text: str = "", *, wrap: bool = True) -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(wrap)
    return label


def as_markup(text: str) -> str:
    """``text`` to put inside rich text: shown exactly as written, never read as markup."""
    return escape(text, quote=False)
