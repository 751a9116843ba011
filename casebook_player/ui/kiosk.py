"""The kiosk: a window that holds the screen and the keyboard, and says when it loses them.

The window is full screen, frameless and above other windows, and grabs the keyboard: under
X11 the window manager's own keys (Alt+Tab, Alt+F4, …) then reach the player, not the window
manager. What a window system can still do (give the focus to another window; minimise, hide
or unmap the window) is told through ``lost`` (an incident kind and a note), and the kiosk
takes the screen back; what follows is the proctor's to decide (``ui.proctor``). A close
request from the window system is the window's to refuse; it is told as ``CLOSE_REQUEST``.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QWindow
from PySide6.QtWidgets import QWidget

FOCUS_LOST = "kiosk_focus_lost"
HIDDEN = "kiosk_hidden"
CLOSE_REQUEST = "kiosk_close_request"
RESTARTED = "kiosk_restarted"

# What the candidate and the proctor read on the cover, by incident kind.
WHAT_HAPPENED = {
    FOCUS_LOST: "Another window took the keyboard focus.",
    HIDDEN: "The player's window was hidden or minimised.",
    CLOSE_REQUEST: "The window system asked to close the player.",
    RESTARTED: "The player was started again during the attempt.",
}

RETAKE_EVERY_MS = 500  # how often the screen is taken back while another window has it
# A window system may unexpose a window for a moment (a resize, a change of state): only a
# window still visible and unexposed after this long counts as unmapped.
UNEXPOSED_GRACE_MS = 250


class KioskHold(QObject):
    lost = Signal(str, str)  # incident kind, note

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.window = window
        self.holding = False  # from the first time the window is shown until released
        self.armed = False  # it has held the screen: from now on, losing it is told
        self.grabbed = False  # the keyboard grab is in place
        self._handle: QWindow | None = None
        shown = window.isVisible()
        window.setWindowFlag(Qt.WindowType.FramelessWindowHint, True)
        window.setWindowFlag(Qt.WindowType.WindowStaysOnTopHint, True)
        self._retake = QTimer(self)
        self._retake.setInterval(RETAKE_EVERY_MS)
        self._retake.timeout.connect(self._take_back)
        self._unexposed = QTimer(self)
        self._unexposed.setSingleShot(True)
        self._unexposed.setInterval(UNEXPOSED_GRACE_MS)
        self._unexposed.timeout.connect(self._on_unexposed)
        window.installEventFilter(self)
        app = QGuiApplication.instance()
        assert isinstance(app, QGuiApplication)
        app.applicationStateChanged.connect(self._on_application_state)
        if shown:  # new window flags hide a window that was already on screen
            self.hold()

    def hold(self) -> None:
        """Take the screen: full screen, in front, active, the keyboard grabbed (tried again
        until the window system has given it all)."""
        self.holding = True
        self.window.showFullScreen()
        self._watch_handle()
        self.window.raise_()
        self.window.activateWindow()
        self._check_held()
        if not self.armed:
            self._retake.start()

    def release(self) -> None:
        """The proctor lets the window go (it is about to close): nothing is watched."""
        self.holding = False
        self._retake.stop()
        self._unexposed.stop()
        if self._handle is not None and self.grabbed:
            self._handle.setKeyboardGrabEnabled(False)
        self.grabbed = False

    def holds_the_screen(self) -> bool:
        handle = self.window.windowHandle()
        return (
            handle is not None
            and handle.isExposed()
            and self.window.isFullScreen()
            and QGuiApplication.applicationState() is Qt.ApplicationState.ApplicationActive
        )

    # -- watching ---------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if watched is self.window and kind == QEvent.Type.Show and not self.holding:
            self.hold()
        elif watched is self._handle and kind == QEvent.Type.Expose and self._handle is not None:
            if self._handle.isExposed():
                self._check_held()
            else:
                self._unexposed.start()
        return False

    def _on_unexposed(self) -> None:
        handle = self._handle
        if handle is not None and handle.isVisible() and not handle.isExposed():
            self._lose(HIDDEN, "the window was unmapped")

    def _watch_handle(self) -> None:
        handle = self.window.windowHandle()
        if handle is None or handle is self._handle:
            return
        self._handle = handle
        handle.installEventFilter(self)
        handle.visibilityChanged.connect(self._on_visibility)

    def _on_visibility(self, visibility: QWindow.Visibility) -> None:
        if visibility is QWindow.Visibility.Minimized:
            self._lose(HIDDEN, "the window was minimised")
        elif visibility is QWindow.Visibility.Hidden:
            self._lose(HIDDEN, "the window was hidden")

    def _on_application_state(self, state: Qt.ApplicationState) -> None:
        if state is Qt.ApplicationState.ApplicationActive:
            self._check_held()
        elif self._handle is not None and not self._handle.isExposed():
            self._lose(HIDDEN, "the window was unmapped")  # and so lost the focus
        else:
            self._lose(FOCUS_LOST, "another window took the keyboard focus")

    def _lose(self, kind: str, note: str) -> None:
        if not (self.holding and self.armed):
            return  # not yet on screen: the window system is still placing it
        self.grabbed = False
        self.lost.emit(kind, note)
        if not self._retake.isActive():
            self._retake.start()

    # -- taking the screen back -----------------------------------------------------------

    def _take_back(self) -> None:
        self._check_held()
        if not self.holding or (self.armed and self.holds_the_screen()):
            self._retake.stop()
            return
        handle = self.window.windowHandle()
        if handle is not None and handle.isVisible() and not handle.isExposed():
            self.window.hide()  # unmapped behind Qt's back: map it again
        self.hold()

    def _check_held(self) -> None:
        """Arm once the window holds the screen, and grab the keyboard whenever it does."""
        if self.holding and self._handle is not None and self.holds_the_screen():
            self.armed = True
            self.grabbed = self._handle.setKeyboardGrabEnabled(True)
