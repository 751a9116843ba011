"""The clocks of an attempt: monotonic time measures it, the wall clock only dates it.

Anyone at the machine can set its wall clock. Measured on it, an hour forward ended an
attempt as "time ran out" and an hour back erased the time used. So every duration (time
used, time on an answer) is measured on the monotonic clock, which nothing at the keyboard
moves, and the wall clock is read once, when a run starts, to date what happens in that run:
``RunClock.now`` is that reading plus the monotonic time since. A step of the wall clock
during the run (someone set it, NTP stepped it, the machine slept) is seen by comparing how
far each clock moved (``RunClock.step``); the attempt records it as an incident and measures
on as before.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Protocol

from casebook_player.core.session.timer import format_clock

# The wall clock may drift from the monotonic one by this much between two readings before
# it counts as a step. NTP slews at most 0.5 ms per second; a person or a sleep moves it more.
STEP_THRESHOLD_S = 1.0


class Clock(Protocol):
    """Where time comes from: the system's, or a test's moved by hand."""

    def wall(self) -> float:
        """Seconds since the epoch, as the machine's clock says (anyone can set it)."""
        ...

    def monotonic(self) -> float:
        """Seconds from an arbitrary start that only ever go forward, at the rate of time."""
        ...


class SystemClock:
    def wall(self) -> float:
        return time.time()

    def monotonic(self) -> float:
        return time.monotonic()


@dataclass(frozen=True)
class ClockStep:
    seconds: float  # how far the wall clock jumped: > 0 forward, < 0 back
    wall: float  # what it read after the jump

    def describe(self) -> str:
        direction = "forward" if self.seconds > 0 else "back"
        return (
            f"the system clock moved {format_clock(abs(self.seconds))} ({self.seconds:+.0f} s) "
            f"{direction}; the time used is measured without it"
        )


class RunClock:
    """One run of the player: dates by the wall clock as read at ``begin``, measures by the
    monotonic clock, and reports the steps of the wall clock in between."""

    def __init__(self, source: Clock, threshold_s: float = STEP_THRESHOLD_S) -> None:
        self.source = source
        self.threshold_s = threshold_s
        self.begin()

    def begin(self) -> None:
        """Read the wall clock now: the run's dates count from this reading."""
        self._wall = self._last_wall = self.source.wall()
        self._monotonic = self._last_monotonic = self.source.monotonic()

    def monotonic(self) -> float:
        return self.source.monotonic()

    def now(self) -> float:
        """The date now: the wall clock as read at ``begin``, plus the monotonic time since."""
        return self._wall + (self.source.monotonic() - self._monotonic)

    def wall(self) -> float:
        return self.source.wall()

    def step(self) -> ClockStep | None:
        """How far the wall clock jumped since the last call (or ``begin``), beyond the time
        that passed; None when it kept time."""
        wall, monotonic = self.source.wall(), self.source.monotonic()
        jump = (wall - self._last_wall) - (monotonic - self._last_monotonic)
        self._last_wall, self._last_monotonic = wall, monotonic
        return ClockStep(round(jump, 3), wall) if abs(jump) >= self.threshold_s else None
