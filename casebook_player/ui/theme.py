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
    # Borders and focus rings must stay visible on black.
    app.setStyleSheet(
        "QPushButton, QLineEdit, QListWidget, QSlider, QComboBox, QSpinBox "
        "{ border: 2px solid #ffffff; padding: 3px; }"
        "*:focus { outline: 3px solid #ffff00; border-color: #ffff00; }"
    )
