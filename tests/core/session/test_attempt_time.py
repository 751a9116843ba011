"""The time of an attempt: measured by the monotonic clock, saved every second, never moved
by the wall clock or by restarting the player; every step and restart is an incident."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from casefactory import practice

from casebook_player.core.case.model import Case
from casebook_player.core.session.attempt import AttemptSession, open_attempt
from casebook_player.core.session.results import Attempt, Candidate
from casebook_player.core.session.simulate import FakeClock
from casebook_player.core.session.timeline import Phase
from casebook_player.core.timestamps import iso

DAY = 86_400.0
STEPS = [3600.0, -3600.0, 30 * DAY, -30 * DAY]


def timed(case: Case, minutes: float = 10.0) -> Case:
    return replace(case, time_limit_minutes=minutes)


def at_first_key_point(session: AttemptSession) -> None:
    session.start()
    kp = next(kp for _, kp in session.case.key_points())
    session.narration_reached(kp.at)
    assert session.phase is Phase.KEY_POINT


def run_for(session: AttemptSession, clock: FakeClock, seconds: float, tick: float = 0.25) -> None:
    """Let time pass as the window does: a tick every 250 ms."""
    for _ in range(round(seconds / tick)):
        clock.advance(tick)
        session.tick()


def kinds(session: AttemptSession) -> list[str]:
    return [i["kind"] for i in session.incidents]


@pytest.mark.parametrize("jump", STEPS)
def test_a_wall_clock_step_is_an_incident_and_changes_no_time(case: Case, jump: float) -> None:
    clock = FakeClock()
    session = AttemptSession(timed(case), Attempt(Candidate("c-1")), clock)
    at_first_key_point(session)
    started = session.clock.now()
    run_for(session, clock, 30)
    used_before = session.timer.used()
    clock.set_wall(clock.now + jump)
    run_for(session, clock, 10)
    assert session.phase is Phase.KEY_POINT  # a jump forward did not end it
    assert session.timer.used() == pytest.approx(used_before + 10)
    assert session.time_left() == pytest.approx(600 - 40)
    assert kinds(session) == ["clock_step"]
    assert f"({jump:+.0f} s)" in session.incidents[0]["note"]
    assert session.respond("q-view", "B")
    record = session.timeline.state.responses["q-view"]
    assert record.time_spent == pytest.approx(40)  # never negative, never a month
    assert session.timeline.state.started_at == started
    assert iso(record.answered_at) == iso(started + 40)  # dated by the run, not the jump


def test_a_step_forward_past_the_limit_does_not_end_the_attempt(case: Case) -> None:
    clock = FakeClock()
    session = AttemptSession(timed(case, 1.0), Attempt(Candidate("c-1")), clock)
    at_first_key_point(session)
    clock.set_wall(clock.now + 3600)
    run_for(session, clock, 59)
    assert session.phase is Phase.KEY_POINT and session.time_left() == pytest.approx(1)
    run_for(session, clock, 1)
    assert session.phase is Phase.ENDED
    assert kinds(session) == ["clock_step", "time_up"]


def test_a_step_while_paused_is_recorded_and_the_pause_still_does_not_count(
    case: Case,
) -> None:
    clock = FakeClock()
    session = AttemptSession(timed(case), Attempt(Candidate("c-1")), clock)
    at_first_key_point(session)
    run_for(session, clock, 5)
    session.pause_attempt()
    clock.set_wall(clock.now - 3600)
    run_for(session, clock, 100)
    session.resume_attempt()
    assert session.timer.used() == pytest.approx(5)
    assert kinds(session) == ["proctor_pause", "clock_step", "proctor_resume"]


def crash(session: AttemptSession) -> None:
    """The player dies: nothing more is written (unlike closing it)."""
    assert session.journal is not None
    session.journal.close()


def test_restarting_every_few_seconds_does_not_stop_the_clock(case: Case, tmp_path: Path) -> None:
    """8 restarts, 3.5 s at a key point each: the 28 s count, bar at most a second each."""
    clock = FakeClock()
    candidate = Attempt(Candidate("c-1"))
    opened = open_attempt(timed(case), candidate, practice(tmp_path), clock)
    at_first_key_point(opened.session)
    crash(opened.session)
    for _ in range(8):
        opened = open_attempt(timed(case), candidate, practice(tmp_path), clock)
        assert opened.resumed
        opened.session.start()
        run_for(opened.session, clock, 3.5)
        crash(opened.session)
    last = open_attempt(timed(case), candidate, practice(tmp_path), clock).session
    used = last.timer.used()
    assert 28 - 8 * 1.0 <= used <= 28  # at most a second lost to each restart
    last.start()
    assert kinds(last) == ["restart"] * 9
    assert last.incidents[-1]["note"].startswith("restart 9: resumed with 0:")
    assert last.respond("q-view", "B")
    assert last.timeline.state.responses["q-view"].time_spent == pytest.approx(used)
    last.close()


def test_closing_the_player_saves_the_time_used_to_the_moment(case: Case, tmp_path: Path) -> None:
    clock = FakeClock()
    first = open_attempt(timed(case), Attempt(Candidate("c-1")), practice(tmp_path), clock).session
    at_first_key_point(first)
    run_for(first, clock, 2.75)
    first.close()
    again = open_attempt(timed(case), Attempt(Candidate("c-1")), practice(tmp_path), clock).session
    assert again.timer.used() == pytest.approx(2.75)
    again.close()


def test_a_clock_set_back_between_runs_is_an_incident_and_spends_no_negative_time(
    case: Case, tmp_path: Path
) -> None:
    clock = FakeClock()
    first = open_attempt(timed(case), Attempt(Candidate("c-1")), practice(tmp_path), clock).session
    at_first_key_point(first)
    run_for(first, clock, 10)
    crash(first)
    clock.set_wall(clock.now - 3600)
    again = open_attempt(timed(case), Attempt(Candidate("c-1")), practice(tmp_path), clock).session
    again.start()
    run_for(again, clock, 5)
    assert kinds(again) == ["restart", "clock_step"]
    assert (
        "reads 1:00:00 earlier than when the attempt was last saved" in (again.incidents[1]["note"])
    )
    assert again.respond("q-view", "B")
    assert again.timeline.state.responses["q-view"].time_spent == pytest.approx(15)
    again.close()


def test_an_ended_attempt_opened_again_is_no_restart(case: Case, tmp_path: Path) -> None:
    clock = FakeClock()
    first = open_attempt(case, Attempt(Candidate("c-1")), practice(tmp_path), clock).session
    first.start()
    first.end_by_proctor()
    first.close()
    again = open_attempt(case, Attempt(Candidate("c-1")), practice(tmp_path), clock).session
    again.start()
    assert kinds(again) == ["ended_by_proctor"]
    again.close()


def test_the_time_used_is_saved_every_second_while_running(case: Case, tmp_path: Path) -> None:
    clock = FakeClock()
    session = open_attempt(
        timed(case), Attempt(Candidate("c-1")), practice(tmp_path), clock
    ).session
    at_first_key_point(session)
    assert session.journal is not None
    before = len(session.journal.events("clock"))
    run_for(session, clock, 10)
    saved = [p["used_s"] for _, _, p in session.journal.events("clock")][before:]
    assert len(saved) == 10 and saved[-1] == pytest.approx(10)
    session.close()
