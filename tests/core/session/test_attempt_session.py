"""AttemptSession: the rules of taking an attempt, headless, with a clock moved by hand."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from casefactory import practice
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from casebook_player.core.case.model import Case
from casebook_player.core.crypto.signing import verify_document
from casebook_player.core.session.attempt import (
    AttemptSession,
    AttemptUnavailable,
    IncidentRecorded,
    Notice,
    PausedChanged,
    ResponseNotRecorded,
    ResponseRecorded,
    ResultOutput,
    Saved,
    SaveFailed,
    TimeWarning,
    open_attempt,
)
from casebook_player.core.session.journal import JournalError
from casebook_player.core.session.results import Attempt, Candidate
from casebook_player.core.session.simulate import FakeClock
from casebook_player.core.session.timeline import Ended, EndReason, Phase, ShowKeyPoint


def timed(case: Case, minutes: float = 10.0) -> Case:
    return replace(case, time_limit_minutes=minutes)


def started(case: Case, clock: FakeClock, **kwargs: object) -> tuple[AttemptSession, list[Notice]]:
    attempt = kwargs.pop("attempt", Attempt(Candidate("c-1")))
    session = AttemptSession(case, attempt, clock, **kwargs)  # type: ignore[arg-type]
    heard: list[Notice] = []
    session.subscribe(heard.append)
    session.start()
    return session, heard


def to_first_key_point(session: AttemptSession) -> None:
    kp = next(kp for _, kp in session.case.key_points())
    session.narration_reached(kp.at)
    assert session.phase is Phase.KEY_POINT and session.key_point == kp


def test_a_response_is_acknowledged_only_once_on_disk(case: Case, tmp_path: Path) -> None:
    clock = FakeClock()
    opened = open_attempt(case, Attempt(Candidate("c-1")), practice(tmp_path), clock)
    session, heard = opened.session, []
    session.subscribe(heard.append)
    session.start()
    to_first_key_point(session)
    heard.clear()
    assert session.respond("q-view", "B")
    assert heard == [
        Saved("response", {"item": "q-view", "value": "B"}),
        ResponseRecorded("q-view", "B"),
    ]
    assert session.journal is not None
    assert [p["item"] for _, _, p in session.journal.events("response")] == ["q-view"]
    session.close()


def test_closing_releases_the_journal_and_saves_nothing_after(case: Case, tmp_path: Path) -> None:
    clock = FakeClock()
    session = open_attempt(case, Attempt(Candidate("c-1")), practice(tmp_path), clock).session
    session.start()
    to_first_key_point(session)
    session.close()
    session.close()  # twice is harmless
    heard: list[Notice] = []
    session.subscribe(heard.append)
    assert not session.respond("q-view", "B")
    assert [type(n) for n in heard] == [SaveFailed, ResponseNotRecorded]
    assert session.response("q-view") is None
    again = open_attempt(case, Attempt(Candidate("c-1")), practice(tmp_path), clock)  # not locked
    assert again.resumed and again.session.response("q-view") is None
    again.session.close()


def test_a_response_that_does_not_fit_is_an_incident_not_an_answer(case: Case) -> None:
    session, heard = started(case, FakeClock())
    to_first_key_point(session)
    assert not session.respond("q-view", "Z")
    assert session.response("q-view") is None
    (incident,) = [n.incident for n in heard if isinstance(n, IncidentRecorded)]
    assert incident["kind"] == "invalid_response"


def test_a_journal_that_cannot_be_written_says_so_and_acknowledges_nothing(
    case: Case, tmp_path: Path
) -> None:
    opened = open_attempt(case, Attempt(Candidate("c-1")), practice(tmp_path), FakeClock())
    session, heard = opened.session, []
    session.subscribe(heard.append)
    session.start()
    to_first_key_point(session)
    assert session.journal is not None

    def full_disk(*args: object) -> None:
        raise JournalError("database or disk is full")

    session.journal.record = full_disk  # type: ignore[method-assign]
    heard.clear()
    assert not session.respond("q-view", "B")
    assert heard == [
        SaveFailed("database or disk is full"),
        ResponseNotRecorded("q-view", None, "database or disk is full"),
    ]
    session.close()


def test_a_proctor_pause_stops_the_clock_and_is_recorded(case: Case) -> None:
    clock = FakeClock()
    session, heard = started(timed(case), clock)
    clock.advance(60)
    session.pause_attempt()
    clock.advance(600)  # the whole limit passes while paused
    session.tick()
    assert session.phase is not Phase.ENDED
    session.resume_attempt()
    assert session.time_left() == pytest.approx(540)
    assert [n.paused for n in heard if isinstance(n, PausedChanged)] == [True, False]
    assert [i["kind"] for i in session.incidents] == ["proctor_pause", "proctor_resume"]


def test_extra_time_from_a_proctor_moves_the_end(case: Case) -> None:
    clock = FakeClock()
    session, _ = started(timed(case), clock)
    session.add_time(5)
    clock.advance(600)
    session.tick()
    assert session.phase is not Phase.ENDED and session.time_left() == pytest.approx(300)
    assert session.incidents[-1]["note"] == "+5 min"


def test_time_up_ends_the_attempt_and_writes_the_signed_result(case: Case, tmp_path: Path) -> None:
    clock = FakeClock()
    key = Ed25519PrivateKey.generate()
    output = ResultOutput(folder=tmp_path / "results", signing_key=key)
    session, heard = started(timed(case), clock, output=output)
    clock.advance(601)
    session.tick()
    assert Ended(EndReason.TIME_UP) in heard
    assert session.result_path is not None and session.result_path.parent == output.folder
    document = verify_document(session.result_path.read_text(), key.public_key())
    assert document == session.result()
    assert document["end_reason"] == "time_up"
    assert [i["kind"] for i in document["incidents"]] == ["time_up"]
    session.tick()  # nothing more happens once ended
    assert heard.count(Ended(EndReason.TIME_UP)) == 1


def test_a_result_that_cannot_be_written_is_reported_not_raised(case: Case, tmp_path: Path) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    session, _ = started(case, FakeClock(), output=ResultOutput(folder=blocked))
    session.end_by_proctor("fire alarm")
    assert session.phase is Phase.ENDED and session.result_path is None
    assert session.result_error is not None and session.document is not None


def test_warnings_come_five_and_one_minute_before_the_extended_limit(case: Case) -> None:
    clock = FakeClock()
    attempt = Attempt(Candidate("c"), {"extra_time": 1.5})
    session, heard = started(timed(case, 10.0), clock, attempt=attempt)  # 15 min
    clock.advance(301)  # past the unextended limit's warning time: nothing yet
    session.tick()
    assert not [n for n in heard if isinstance(n, TimeWarning)]
    for seconds in (300, 1, 239):  # 299 s left, 298 (once, not every tick), 59
        clock.advance(seconds)
        session.tick()
    warnings = [n.seconds for n in heard if isinstance(n, TimeWarning)]
    assert warnings == [pytest.approx(299.0), pytest.approx(59.0)]


def test_an_attempt_resumes_from_its_journal_where_it_was(case: Case, tmp_path: Path) -> None:
    clock = FakeClock()
    first = open_attempt(case, Attempt(Candidate("c-1")), practice(tmp_path), clock)
    assert not first.resumed
    first.session.start()
    to_first_key_point(first.session)
    first.session.respond("q-view", "B")
    assert first.session.journal is not None
    first.session.close()

    again = open_attempt(case, Attempt(Candidate("c-1")), practice(tmp_path), clock)
    assert again.resumed and again.taken_at is not None
    heard: list[Notice] = []
    again.session.subscribe(heard.append)
    again.session.start()
    assert ShowKeyPoint("kp1", 0) in heard and again.session.response("q-view") == "B"
    again.session.close()


def test_a_damaged_journal_is_kept_and_the_attempt_refused(case: Case, tmp_path: Path) -> None:
    first = open_attempt(case, Attempt(Candidate("c-1")), practice(tmp_path), FakeClock())
    first.session.start()
    assert first.session.journal is not None
    path = first.session.journal.path
    first.session.journal.record("event", {}, {"timeline": "damaged"})
    first.session.journal.close()  # the player dies with the damage on disk
    with pytest.raises(AttemptUnavailable) as info:
        open_attempt(case, Attempt(Candidate("c-1")), practice(tmp_path), FakeClock())
    assert info.value.title == "This attempt cannot be resumed"
    assert str(path) in str(info.value) and path.exists()


def test_the_result_document_is_json(case: Case) -> None:
    session, _ = started(case, FakeClock())
    session.end(EndReason.ENDED_BY_PROCTOR)
    assert json.loads(json.dumps(session.result()))["end_reason"] == "ended_by_proctor"


def test_every_response_that_cannot_be_saved_is_undone_and_the_one_before_stands(
    case: Case, tmp_path: Path
) -> None:
    clock = FakeClock()
    session = open_attempt(case, Attempt(Candidate("c-1")), practice(tmp_path), clock).session
    heard: list[Notice] = []
    session.subscribe(heard.append)
    session.start()
    to_first_key_point(session)
    assert session.respond("q-view", "B")
    journal = session.journal
    assert journal is not None
    record = journal.record

    def full_disk(*args: object) -> None:
        raise JournalError("database or disk is full")

    journal.record = full_disk  # type: ignore[method-assign]
    heard.clear()
    assert not session.respond("q-view", "A")
    assert not session.respond("q-view", None)
    assert session.response("q-view") == "B"  # in memory as on disk
    assert [n for n in heard if not isinstance(n, SaveFailed)] == [
        ResponseNotRecorded("q-view", "B", "database or disk is full"),
        ResponseNotRecorded("q-view", "B", "database or disk is full"),
    ]
    assert sum(isinstance(n, SaveFailed) for n in heard) == 2
    journal.record = record  # type: ignore[method-assign]
    clock.advance(2)
    session.tick()  # the next save that works holds B, not what failed
    session.close()
    again = open_attempt(case, Attempt(Candidate("c-1")), practice(tmp_path), clock).session
    assert again.response("q-view") == "B"
    again.close()


def test_a_response_that_does_not_fit_is_told_as_not_recorded(case: Case) -> None:
    session, heard = started(case, FakeClock())
    to_first_key_point(session)
    assert not session.respond("q-view", "Z")
    (refused,) = [n for n in heard if isinstance(n, ResponseNotRecorded)]
    assert refused.item_id == "q-view" and refused.standing is None and "Z" in refused.why
