"""When to land an armed pause point, from position reports while playing.

Position reports come every 40-50 ms, more than a frame apart, so pausing inside a report is
about a frame late. Instead, once the key point is near, a precise single-shot timer is armed
from the latest report to fire `lead_ms` before an aim point (the key point, or a time in its
frame, or just after it); the backend then pauses and shows the key point's frame. Qt lands a
little early and seeks to the key point, which is invisible; libvlc cannot seek that exactly,
so it lands just after the key frame and keeps every later picture off screen itself.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, QTimer, Signal

# Arm the timer only this close to the key point: the estimate from the latest report is best.
HORIZON_MS = 250


class PausePoint(QObject):
    """One armed key point; emits `due` when the backend must pause and show it."""

    due = Signal()

    def __init__(self, lead_ms: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._lead_ms = lead_ms
        self._key: int | None = None
        self._aim = 0
        # Only a crossing lands: playback must have been seen before the key point first, so a
        # point armed behind the playhead waits for a seek or loop back before it.
        self._before = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self.due)

    @property
    def key(self) -> int | None:
        """The armed key point in ms, or None."""
        return self._key

    @property
    def ahead(self) -> int | None:
        """The key point if playback is heading for it (seen before it), else None."""
        return self._key if self._before else None

    def arm(self, key: int | None, position: int, aim: int | None = None) -> None:
        """Arm `key` (None disarms) with playback at `position`; the timer aims at `aim`.

        `aim` (default: the key point; may lie after it) is when, in media time, the backend
        wants to land, e.g. before the key point's frame starts, so the frame after it can
        never be drawn first. `due` fires `lead_ms` before it.
        """
        self._timer.stop()
        self._key = key
        self._aim = aim if aim is not None else (key or 0)
        self._before = key is not None and position < key

    def take(self) -> int | None:
        """Disarm and return the key point (call when landing)."""
        key, self._key = self._key, None
        self._timer.stop()
        self._before = False
        return key

    def moved(self, position: int) -> None:
        """Playback jumped (seek, loop, reopen) to `position` without playing through."""
        self._timer.stop()
        self._before = self._key is not None and position < self._key

    def halted(self) -> None:
        """Playback stopped advancing (paused, ended): nothing can be due until it resumes."""
        self._timer.stop()

    def update(self, position: int) -> None:
        """Feed a fresh position while playing; schedules or emits `due`."""
        key = self._key
        if key is None:
            return
        if position < key:
            self._before = True
        if not self._before:
            return
        if position >= self._aim:
            # Reached or passed it without the timer (a stalled event loop): land now.
            self._timer.stop()
            self.due.emit()
            return
        wait = self._aim - self._lead_ms - position
        if wait <= HORIZON_MS:
            self._timer.start(max(0, wait))
