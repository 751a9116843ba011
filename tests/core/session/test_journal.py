from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from casebook_player.core.case.model import Case
from casebook_player.core.session.journal import (
    Journal,
    JournalDamaged,
    JournalLocked,
    journal_path,
)
from casebook_player.core.session.results import Attempt, Candidate
from casebook_player.core.session.simulate import FakeClock
from casebook_player.core.session.snapshots import make_snapshot, restore
from casebook_player.core.session.timeline import Timeline
from casebook_player.core.session.timer import AssessmentTimer

META = {"case_id": "c", "case_sha256": "ab" * 32, "candidate": "cand-1"}


def test_path_is_per_candidate_and_case_version(tmp_path: Path) -> None:
    path = journal_path(tmp_path, "lung", "0123456789abcdef" * 4, "../evil id/")
    assert path.parent == tmp_path
    assert path.name == "lung--0123456789ab--evil_id.sqlite"


def test_records_events_and_the_latest_snapshot(tmp_path: Path) -> None:
    path = tmp_path / "j.sqlite"
    with Journal.open(path, META) as journal:
        assert journal.snapshot() is None
        journal.record("response", {"item": "q1", "value": "A"}, {"n": 1})
        journal.record("event", {"event": "Play"}, {"n": 2})
        journal.record("incident", {"kind": "media_error"}, None)
    with Journal.open(path, META) as journal:
        assert journal.snapshot() == {"n": 2}
        assert [k for _, k, _ in journal.events()] == ["response", "event", "incident"]
        assert journal.events("response")[0][2] == {"item": "q1", "value": "A"}
        assert journal.meta()["candidate"] == "cand-1"
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_a_second_opening_of_the_same_attempt_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "j.sqlite"
    with (
        Journal.open(path, META),
        pytest.raises(JournalLocked, match="already open in another casebook"),
    ):
        Journal.open(path, META)
    Journal.open(path, META).close()  # free again once closed


def test_a_journal_of_another_attempt_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "j.sqlite"
    Journal.open(path, META).close()
    with pytest.raises(JournalDamaged, match="belongs to another attempt"):
        Journal.open(path, {**META, "candidate": "someone-else"})


@pytest.mark.parametrize("damage", ["garbage", "truncate"])
def test_a_damaged_journal_is_reported_and_kept(tmp_path: Path, damage: str) -> None:
    path = tmp_path / "j.sqlite"
    with Journal.open(path, META) as journal:
        for i in range(50):
            journal.record("response", {"item": f"q{i}", "value": "x" * 200}, {"n": i})
    data = path.read_bytes()
    if damage == "garbage":
        path.write_bytes(b"this is not a database" * 100)
    else:
        path.write_bytes(data[: len(data) // 3])
    (tmp_path / "j.sqlite-wal").unlink(missing_ok=True)
    before = path.read_bytes()
    with pytest.raises(JournalDamaged, match="damaged"), Journal.open(path, META) as journal:
        journal.snapshot()
        journal.events()
    assert path.read_bytes() == before  # never silently replaced


def test_a_damaged_snapshot_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "j.sqlite"
    Journal.open(path, META).close()
    with sqlite3.connect(path) as db:
        db.execute("INSERT INTO snapshot (id, state) VALUES (1, '{not json')")
    with Journal.open(path, META) as journal, pytest.raises(JournalDamaged):
        journal.snapshot()


def test_snapshot_round_trip_resumes_the_attempt(case: Case) -> None:
    clock = FakeClock(5000)
    timeline = Timeline(case, clock)
    timer = AssessmentTimer.for_case(clock, 10, 1.5)
    attempt = Attempt(Candidate("c1", "Ann"), {"extra_time": 1.5}, ({"kind": "x", "at": "t"},))
    timer.start()
    timeline.start()
    timeline.tick(3.0)
    timeline.respond("q-view", "B")
    clock.advance(60)
    snapshot = json.loads(json.dumps(make_snapshot(timeline, timer, attempt, clock())))
    restored = restore(case, snapshot, clock)
    assert restored.timeline.state == timeline.state
    assert restored.attempt == attempt
    assert restored.timer.remaining() == 900 - 60
    assert restored.taken_at == 5060
    with pytest.raises(ValueError, match="damaged"):
        restore(case, {"timeline": snapshot["timeline"]}, clock)
