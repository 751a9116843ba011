"""Top-level windows open at a comfortable size, or fill the screen when it is smaller."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

# Room the window system takes around a window (title bar, borders), as a margin of error.
_FRAME_ALLOWANCE = QSize(16, 48)


def show_fitted(window: QWidget, preferred: QSize) -> None:
    """Show ``window`` at ``preferred`` size centred on its screen, or maximised when the
    screen's available area cannot hold that size with its frame."""
    screen = window.screen() or QGuiApplication.primaryScreen()
    available = screen.availableGeometry()
    wanted = preferred + _FRAME_ALLOWANCE
    if wanted.width() > available.width() or wanted.height() > available.height():
        window.resize(available.size() - _FRAME_ALLOWANCE)  # if maximising is refused
        window.showMaximized()
        return
    window.resize(preferred)
    frame = window.frameGeometry()
    frame.moveCenter(available.center())
    window.move(frame.topLeft())
    window.show()
