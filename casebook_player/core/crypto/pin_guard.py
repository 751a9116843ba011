"""Wrong proctor PINs: a growing wait before each next try, then a lockout, all journaled.

The first wrong PINs cost nothing (typing slips), then each one makes the next try wait
longer (1, 2, 4, 8 … s); after ``lockout_after`` wrong PINs in a row the PIN cannot be
tried for ``lockout_s``, twice as long at each further lockout (up to ``max_lockout_s``),
and each try after a lockout locks it again. The right PIN clears it all.

Every wrong PIN and every lockout is told to ``record`` as an incident (kind, note); from
those kinds alone the state is rebuilt (``attach``), so a restart of the player does not
clear a lockout. Waits are measured on a monotonic clock within a run; one that was running
when the player stopped starts again in full, since the time the player was not running
cannot be measured without trusting the wall clock: a restart never shortens a wait.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import Enum

from casebook_player.core.crypto.pin import PinHash

WRONG_PIN = "wrong_pin"
PIN_LOCKED = "pin_locked"
PIN_ACCEPTED = "pin_accepted"  # the right PIN after wrong ones: the count starts again

Record = Callable[[str, str], None]  # incident kind, note


@dataclass(frozen=True)
class PinPolicy:
    free_tries: int = 2  # wrong PINs that cost no wait
    first_wait_s: float = 1.0  # after the first wrong PIN past the free ones; doubles
    lockout_after: int = 8  # wrong PINs in a row that lock the PIN
    lockout_s: float = 300.0  # the first lockout; doubles with each further one
    max_lockout_s: float = 3600.0

    def wait_after(self, failures: int, lockouts: int) -> float:
        """Seconds before the next try, after ``failures`` wrong PINs in a row."""
        if lockouts:
            return min(self.lockout_s * 2 ** (lockouts - 1), self.max_lockout_s)
        if failures <= self.free_tries:
            return 0.0
        return self.first_wait_s * 2 ** (failures - self.free_tries - 1)


class PinOutcome(Enum):
    ACCEPTED = "accepted"
    WRONG = "wrong"
    LOCKED = "locked"  # wrong, and now locked
    WAIT = "wait"  # not tried: the wait after the last wrong PIN is not over


@dataclass(frozen=True)
class PinCheck:
    outcome: PinOutcome
    wait_s: float  # before the next try may be made
    failures: int  # wrong PINs in a row so far

    @property
    def accepted(self) -> bool:
        return self.outcome is PinOutcome.ACCEPTED


class PinGuard:
    """The proctor PIN with its wrong-try policy; ``clock`` is monotonic seconds."""

    def __init__(
        self,
        pin: PinHash,
        clock: Callable[[], float] = time.monotonic,
        policy: PinPolicy | None = None,
    ) -> None:
        self.pin = pin
        self.clock = clock
        self.policy = policy or PinPolicy()
        self.failures = 0
        self.lockouts = 0
        self._ready_at = -math.inf
        self._record: Record | None = None
        self._unrecorded: list[tuple[str, str]] = []  # before there is an attempt to journal in

    def wait_left(self) -> float:
        """Seconds before a PIN may be tried (0: now)."""
        return max(0.0, self._ready_at - self.clock())

    @property
    def locked(self) -> bool:
        return self.lockouts > 0 and self.wait_left() > 0

    def attempt(self, pin: str) -> PinCheck:
        """Check ``pin``, unless the wait after the last wrong one is not over."""
        wait = self.wait_left()
        if wait > 0:
            return PinCheck(PinOutcome.WAIT, wait, self.failures)
        if self.pin.matches(pin):
            if self.failures:
                self._tell(PIN_ACCEPTED, f"the right PIN after {self.failures} wrong")
            self._apply(PIN_ACCEPTED)
            self._ready_at = -math.inf
            return PinCheck(PinOutcome.ACCEPTED, 0.0, 0)
        self._apply(WRONG_PIN)
        locks = self.failures >= self.policy.lockout_after
        if locks:
            self._apply(PIN_LOCKED)
        wait = self.policy.wait_after(self.failures, self.lockouts)
        self._ready_at = self.clock() + wait
        self._tell(WRONG_PIN, f"wrong PIN {self.failures} in a row; next try in {wait:g} s")
        if locks:
            self._tell(PIN_LOCKED, f"{self.failures} wrong PINs in a row: locked for {wait:g} s")
            return PinCheck(PinOutcome.LOCKED, wait, self.failures)
        return PinCheck(PinOutcome.WRONG, wait, self.failures)

    def attach(self, record: Record, history: Iterable[str]) -> None:
        """From now on, tell ``record``; ``history`` is the kinds of the incidents the attempt
        has journaled so far (other kinds are skipped), which bring back an earlier run's
        wrong PINs. What happened before (no attempt yet) is told now, after them."""
        unrecorded, self._unrecorded = self._unrecorded, []
        self._record = record
        self.failures = self.lockouts = 0
        for kind in [*history, *(kind for kind, _ in unrecorded)]:
            self._apply(kind)
        for kind, note in unrecorded:
            record(kind, note)
        wait = self.policy.wait_after(self.failures, self.lockouts) if self.failures else 0.0
        self._ready_at = self.clock() + wait if wait else -math.inf

    def _apply(self, kind: str) -> None:
        if kind == WRONG_PIN:
            self.failures += 1
        elif kind == PIN_LOCKED:
            self.lockouts += 1
        elif kind == PIN_ACCEPTED:
            self.failures = self.lockouts = 0

    def _tell(self, kind: str, note: str) -> None:
        if self._record is None:
            self._unrecorded.append((kind, note))
        else:
            self._record(kind, note)
