"""Look and feel: Qt's Fusion style with the system palette, or a high-contrast palette.

Font sizes are never fixed in pixels: text follows the system font size.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

_HIGH_CONTRAST = {
    QPalette.ColorRole.Window: "#000000",
    QPalette.ColorRole.WindowText: "#ffffff",
    QPalette.ColorRole.Base: "#000000",
    QPalette.ColorRole.AlternateBase: "#1a1a1a",
    QPalette.ColorRole.Text: "#ffffff",
    QPalette.ColorRole.Button: "#000000",
    QPalette.ColorRole.ButtonText: "#ffffff",
    QPalette.ColorRole.Highlight: "#ffff00",
    QPalette.ColorRole.HighlightedText: "#000000",
    QPalette.ColorRole.ToolTipBase: "#000000",
    QPalette.ColorRole.ToolTipText: "#ffffff",
    QPalette.ColorRole.Link: "#00ffff",
    QPalette.ColorRole.PlaceholderText: "#c0c0c0",
}


def apply_theme(app: QApplication, high_contrast: bool) -> None:
    app.setStyle("Fusion")
    if not high_contrast:
        app.setPalette(app.style().standardPalette())
        app.setStyleSheet("")
        return
    palette = QPalette()
    for role, colour in _HIGH_CONTRAST.items():
        palette.setColor(role, QColor(colour))
    palette.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.ButtonText, QColor("#9a9a9a"))
    palette.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.WindowText, QColor("#9a9a9a"))
    app.setPalette(palette)
    app.setStyleSheet(HIGH_CONTRAST_SHEET)


# Every state is told apart by more than a shade: checked buttons are yellow, focus is a thick
# yellow border outside the text (the style's own focus rectangle, drawn over the text, is
# turned off), disabled controls are grey and dashed, slider handles are white.
HIGH_CONTRAST_SHEET = """
QPushButton, QLineEdit, QListWidget, QComboBox, QSpinBox, QTextBrowser {
    border: 2px solid #ffffff; padding: 3px 6px; outline: none;
}
QPushButton:checked { background: #ffff00; color: #000000; }
*:focus { border: 3px solid #ffff00; padding: 2px 5px; }
QPushButton:disabled, QLineEdit:disabled, QComboBox:disabled, QSpinBox:disabled {
    color: #9a9a9a; border: 2px dashed #9a9a9a;
}
QSlider { outline: none; }
QSlider::groove:horizontal { border: 1px solid #ffffff; height: 6px; background: #000000; }
QSlider::groove:vertical { border: 1px solid #ffffff; width: 6px; background: #000000; }
QSlider::sub-page:horizontal { background: #00ffff; }
QSlider::handle { background: #ffffff; border: 2px solid #ffffff; width: 14px; height: 14px;
    margin: -6px 0; border-radius: 3px; }
QSlider::handle:vertical { margin: 0 -6px; }
QSlider:focus::handle { background: #ffff00; border-color: #ffff00; }
QSlider::handle:disabled { background: #9a9a9a; border-color: #9a9a9a; }
"""
