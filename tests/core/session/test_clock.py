"""RunClock: dates by the wall clock read once, measures by the monotonic clock."""

from __future__ import annotations

import time

import pytest

from casebook_player.core.session.clock import ClockStep, RunClock, SystemClock
from casebook_player.core.session.simulate import FakeClock


def test_the_date_follows_monotonic_time_whatever_the_wall_clock_does() -> None:
    clock = FakeClock(1_000.0)
    run = RunClock(clock)
    clock.advance(10)
    clock.set_wall(5_000.0)  # someone sets the clock
    clock.advance(5)
    assert run.now() == 1_015.0
    assert run.wall() == 5_005.0 and run.monotonic() == 15.0


def test_begin_reads_the_wall_clock_again() -> None:
    clock = FakeClock(1_000.0)
    run = RunClock(clock)
    clock.set_wall(9_000.0)
    run.begin()
    clock.advance(1)
    assert run.now() == 9_001.0
    assert run.step() is None  # the reading at begin is where steps count from


@pytest.mark.parametrize("jump", [3600.0, -3600.0, 30 * 86_400.0, -30 * 86_400.0, 1.0, -1.0])
def test_a_step_of_the_wall_clock_is_reported_once_with_its_size(jump: float) -> None:
    clock = FakeClock()
    run = RunClock(clock)
    clock.advance(2)
    clock.set_wall(clock.now + jump)
    clock.advance(0.25)
    assert run.step() == ClockStep(jump, clock.now)
    clock.advance(0.25)
    assert run.step() is None


def test_a_clock_that_keeps_time_or_drifts_a_little_is_no_step() -> None:
    clock = FakeClock()
    run = RunClock(clock)
    for _ in range(100):
        clock.advance(0.25)
        clock.set_wall(clock.now + 0.0005)  # NTP slewing, far faster than it can
        assert run.step() is None


def test_a_step_says_how_far_and_which_way() -> None:
    assert (
        ClockStep(3600.0, 0.0)
        .describe()
        .startswith("the system clock moved 1:00:00 (+3600 s) forward")
    )
    assert "720:00:00 (-2592000 s) back" in ClockStep(-2_592_000.0, 0.0).describe()


def test_the_system_clock_reads_the_system() -> None:
    system = SystemClock()
    assert abs(system.wall() - time.time()) < 1.0
    assert abs(system.monotonic() - time.monotonic()) < 1.0
