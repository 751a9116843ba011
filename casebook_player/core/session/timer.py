"""The assessment clock: how much of the time limit is left.

The rule: only time while the attempt is running counts. Time while a proctor has paused it,
and time while the player was not running (a crash, a power cut), does not: a restored timer
starts stopped with the time used as last saved, and the candidate loses at most the moments
between the last save and the interruption. An extra-time accommodation multiplies the limit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass
class TimerState:
    limit_s: float | None
    extra_time_factor: float = 1.0
    used_s: float = 0.0
    added_s: float = 0.0  # extra time a proctor granted during the attempt


class AssessmentTimer:
    def __init__(self, clock: Callable[[], float], state: TimerState) -> None:
        self.clock = clock
        self.state = state
        self._running_since: float | None = None

    @classmethod
    def for_case(
        cls, clock: Callable[[], float], limit_minutes: float | None, extra_time_factor: float = 1.0
    ) -> AssessmentTimer:
        if extra_time_factor < 1.0:
            raise ValueError("an extra-time factor is at least 1")
        limit = limit_minutes * 60.0 if limit_minutes is not None else None
        return cls(clock, TimerState(limit, extra_time_factor))

    @property
    def running(self) -> bool:
        return self._running_since is not None

    def start(self) -> None:
        if self._running_since is None:
            self._running_since = self.clock()

    def stop(self) -> None:
        """Stop counting (proctor pause, app closing); the time so far is kept."""
        if self._running_since is not None:
            self.state.used_s += max(0.0, self.clock() - self._running_since)
            self._running_since = None

    def add_time(self, seconds: float) -> None:
        self.state.added_s += seconds

    def used(self) -> float:
        running = self.clock() - self._running_since if self._running_since is not None else 0.0
        return self.state.used_s + max(0.0, running)

    def allowed(self) -> float | None:
        if self.state.limit_s is None:
            return None
        return self.state.limit_s * self.state.extra_time_factor + self.state.added_s

    def remaining(self) -> float | None:
        allowed = self.allowed()
        return None if allowed is None else max(0.0, allowed - self.used())

    def expired(self) -> bool:
        remaining = self.remaining()
        return remaining is not None and remaining <= 0.0

    def to_dict(self) -> dict[str, Any]:
        """The time used so far, as if stopped now (what a resumed attempt starts from)."""
        return {
            "limit_s": self.state.limit_s,
            "extra_time_factor": self.state.extra_time_factor,
            "used_s": round(self.used(), 3),
            "added_s": self.state.added_s,
        }

    @classmethod
    def from_dict(cls, clock: Callable[[], float], data: dict[str, Any]) -> AssessmentTimer:
        """A restored timer: stopped, as the rule above says."""
        return cls(clock, TimerState(**data))


# Warn this long before time runs out (WCAG 2.2.1: at least 5 minutes and 1 minute before).
TIME_WARNINGS_S = (300.0, 60.0)


class TimeWarnings:
    """Which time warning is due: each threshold once, as the time left falls to it.

    A threshold is armed again when time left rises above it (a proctor added time). The
    thresholds are on the time left, which includes any extra-time accommodation, so a
    candidate with extra time is warned as late as everyone else and keeps all of it.
    """

    def __init__(self, thresholds_s: tuple[float, ...] = TIME_WARNINGS_S) -> None:
        self.thresholds_s = tuple(sorted(thresholds_s, reverse=True))
        self._given: set[float] = set()

    def due(self, remaining_s: float | None) -> float | None:
        """The time left to warn of now, or None. Several thresholds passed at once (a
        resumed attempt) give one warning."""
        if remaining_s is None:
            return None
        self._given = {t for t in self._given if remaining_s <= t}
        passed = {t for t in self.thresholds_s if 0.0 < remaining_s <= t} - self._given
        if not passed:
            return None
        self._given |= {t for t in self.thresholds_s if remaining_s <= t}
        return remaining_s


def format_clock(seconds: float) -> str:
    """1234.5 → '20:35'; an hour or more → '1:02:03'."""
    whole = int(seconds + 0.999)  # count down in whole seconds, reaching 0:00 only at zero
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
