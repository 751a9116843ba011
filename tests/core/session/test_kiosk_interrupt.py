"""The kiosk losing the screen: an incident that pauses the attempt until a proctor resumes,
journaled so that it (and the wrong PINs of the proctor guard) outlive a restart."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from casefactory import practice

from casebook_player.core.case.model import Case
from casebook_player.core.crypto.pin import PinHash
from casebook_player.core.crypto.pin_guard import PinGuard
from casebook_player.core.session.attempt import AttemptSession, Notice, PausedChanged, open_attempt
from casebook_player.core.session.results import Attempt, Candidate
from casebook_player.core.session.simulate import FakeClock
from casebook_player.core.session.timeline import Phase


def started(case: Case, clock: FakeClock) -> tuple[AttemptSession, list[Notice]]:
    session = AttemptSession(replace(case, time_limit_minutes=10), Attempt(Candidate("c")), clock)
    heard: list[Notice] = []
    session.subscribe(heard.append)
    session.start()
    return session, heard


def test_an_interruption_pauses_the_attempt_and_stops_the_clock(case: Case) -> None:
    clock = FakeClock()
    session, heard = started(case, clock)
    clock.advance(60)
    session.interrupt("kiosk_focus_lost", "another window took the keyboard focus")
    assert session.paused and not session.timer.running
    clock.advance(3600)
    session.tick()
    assert session.phase is not Phase.ENDED
    session.resume_attempt()
    assert session.time_left() == pytest.approx(540)
    assert [(i["kind"], i["note"]) for i in session.incidents] == [
        ("kiosk_focus_lost", "another window took the keyboard focus"),
        ("proctor_resume", ""),
    ]
    assert [n.paused for n in heard if isinstance(n, PausedChanged)] == [True, False]


def test_an_interruption_while_paused_or_after_the_end_is_still_journaled(case: Case) -> None:
    clock = FakeClock()
    session, heard = started(case, clock)
    session.pause_attempt()
    session.interrupt("kiosk_hidden", "the window was minimised")
    assert [n.paused for n in heard if isinstance(n, PausedChanged)] == [True]
    session.resume_attempt()
    session.end_by_proctor()
    session.interrupt("kiosk_close_request", "the window system asked to close the window")
    assert not session.paused
    kinds = [i["kind"] for i in session.incidents]
    assert kinds == [
        "proctor_pause",
        "kiosk_hidden",
        "proctor_resume",
        "ended_by_proctor",
        "kiosk_close_request",
    ]


def test_a_lockout_and_an_interruption_survive_a_restart(case: Case, tmp_path: Path) -> None:
    clock = FakeClock()
    first = open_attempt(case, Attempt(Candidate("c")), practice(tmp_path), clock)
    first.session.start()
    first.session.interrupt("kiosk_focus_lost")
    guard = PinGuard(PinHash.create("2468"), clock)
    guard.attach(first.session.record_incident, [])
    while not guard.locked:
        clock.advance(guard.wait_left())
        guard.attempt("1111")
    first.session.close()  # the player stops in the lockout

    again = open_attempt(case, Attempt(Candidate("c")), practice(tmp_path), clock)
    assert again.resumed
    restarted = PinGuard(PinHash.create("2468"), clock)
    restarted.attach(again.session.record_incident, [i["kind"] for i in again.session.incidents])
    assert restarted.locked and restarted.wait_left() == 300
    assert again.session.incidents[0]["kind"] == "kiosk_focus_lost"
    again.session.close()
