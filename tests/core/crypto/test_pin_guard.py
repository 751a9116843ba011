"""Wrong proctor PINs: growing waits, lockouts, each one told as an incident, and a state
that a restart of the player brings back from those incidents."""

from __future__ import annotations

import pytest

from casebook_player.core.crypto.pin import PinHash
from casebook_player.core.crypto.pin_guard import (
    PIN_ACCEPTED,
    PIN_LOCKED,
    WRONG_PIN,
    PinGuard,
    PinOutcome,
    PinPolicy,
)

PIN = PinHash.create("2468")


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def guard(clock: Clock) -> tuple[PinGuard, list[tuple[str, str]]]:
    told: list[tuple[str, str]] = []
    g = PinGuard(PIN, clock)
    g.attach(lambda kind, note: told.append((kind, note)), [])
    return g, told


def wrong_until_waiting(g: PinGuard, clock: Clock) -> list[float]:
    """Wrong PINs, each as soon as it may be tried, until the PIN is locked: the waits."""
    waits = []
    while True:
        clock.now += g.wait_left()
        check = g.attempt("0000")
        waits.append(check.wait_s)
        if check.outcome is PinOutcome.LOCKED:
            return waits


def test_waits_grow_then_the_pin_locks() -> None:
    clock = Clock()
    g, told = guard(clock)
    assert wrong_until_waiting(g, clock) == [0, 0, 1, 2, 4, 8, 16, 300]
    assert g.locked and g.failures == 8
    assert [kind for kind, _ in told] == [WRONG_PIN] * 8 + [PIN_LOCKED]
    assert told[2] == (WRONG_PIN, "wrong PIN 3 in a row; next try in 1 s")
    assert told[-1] == (PIN_LOCKED, "8 wrong PINs in a row: locked for 300 s")


def test_a_try_during_a_wait_is_not_checked_even_with_the_right_pin() -> None:
    clock = Clock()
    g, told = guard(clock)
    for _ in range(3):
        g.attempt("0000")
    assert g.wait_left() == 1
    clock.now += 0.5
    check = g.attempt("2468")
    assert check.outcome is PinOutcome.WAIT and check.wait_s == pytest.approx(0.5)
    assert len(told) == 3  # not a try: nothing more told
    clock.now += 0.5
    assert g.attempt("2468").accepted


def test_the_lockout_lifts_after_its_time_and_the_next_wrong_pin_locks_for_twice_as_long() -> None:
    clock = Clock()
    g, told = guard(clock)
    wrong_until_waiting(g, clock)
    clock.now += 299.9
    assert g.attempt("2468").outcome is PinOutcome.WAIT
    clock.now += 0.1
    assert not g.locked
    check = g.attempt("1357")
    assert check.outcome is PinOutcome.LOCKED and check.wait_s == 600
    clock.now += 600
    assert g.attempt("2468").accepted and g.failures == 0 and g.lockouts == 0
    assert told[-1] == (PIN_ACCEPTED, "the right PIN after 9 wrong")


def test_lockouts_stop_growing_at_the_cap() -> None:
    policy = PinPolicy()
    assert [policy.wait_after(8 + n, 1 + n) for n in range(6)] == [
        300,
        600,
        1200,
        2400,
        3600,
        3600,
    ]


def test_the_right_pin_clears_the_count_and_is_told_only_after_wrong_ones() -> None:
    clock = Clock()
    g, told = guard(clock)
    assert g.attempt("2468").accepted and told == []
    g.attempt("0000")
    g.attempt("0000")
    assert g.attempt("2468").accepted
    assert [kind for kind, _ in told] == [WRONG_PIN, WRONG_PIN, PIN_ACCEPTED]
    assert [g.attempt("0000").wait_s for _ in range(3)] == [0, 0, 1]  # the free tries again


def test_a_restart_brings_the_lockout_back_from_the_journaled_kinds() -> None:
    clock = Clock()
    g, told = guard(clock)
    wrong_until_waiting(g, clock)
    clock.now += 120  # the player is restarted 2 minutes into the lockout
    again = PinGuard(PIN, clock)
    again.attach(lambda kind, note: None, ["proctor_pause", *(kind for kind, _ in told)])
    assert again.locked and again.failures == 8
    assert again.wait_left() == 300  # starts again in full: a restart never shortens it
    assert again.attempt("2468").outcome is PinOutcome.WAIT


def test_a_restart_after_the_right_pin_starts_clean() -> None:
    clock = Clock()
    again = PinGuard(PIN, clock)
    again.attach(lambda kind, note: None, [WRONG_PIN] * 5 + [PIN_ACCEPTED])
    assert again.failures == 0 and again.wait_left() == 0


def test_a_restart_in_a_wait_makes_the_next_try_wait_in_full() -> None:
    clock = Clock()
    again = PinGuard(PIN, clock)
    again.attach(lambda kind, note: None, [WRONG_PIN] * 5)
    assert again.wait_left() == 4 and not again.locked


def test_wrong_pins_before_there_is_an_attempt_are_told_once_attached() -> None:
    clock = Clock()
    g = PinGuard(PIN, clock)
    g.attempt("0000")
    g.attempt("0000")
    told: list[tuple[str, str]] = []
    g.attach(lambda kind, note: told.append((kind, note)), [WRONG_PIN])  # from an earlier run
    assert [kind for kind, _ in told] == [WRONG_PIN, WRONG_PIN]
    assert g.failures == 3 and g.wait_left() == 1
    clock.now += 1
    g.attempt("0000")
    assert len(told) == 3
