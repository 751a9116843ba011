from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from casebook_player.core.case.model import Case
from casebook_player.core.crypto.chain import ChainKey, machine_key
from casebook_player.core.session.journal import (
    Journal,
    JournalDamaged,
    JournalError,
    JournalKind,
    JournalLocked,
    journal_path,
)
from casebook_player.core.session.results import Attempt, Candidate
from casebook_player.core.session.simulate import FakeClock
from casebook_player.core.session.snapshots import make_snapshot, restore
from casebook_player.core.session.timeline import Timeline
from casebook_player.core.session.timer import AssessmentTimer

META = {"kind": "packaged", "case_id": "c", "case_sha256": "ab" * 32, "candidate": "cand-1"}
KEY = ChainKey(b"k" * 32, "test", tamper_proof=True)


def opened(path: Path, key: ChainKey = KEY, meta: dict[str, str] = META) -> Journal:
    journal, check = Journal.open(path, key, meta)
    assert check.problem is None, check.problem
    return journal


def problem(path: Path, key: ChainKey = KEY, meta: dict[str, str] = META) -> str | None:
    journal, check = Journal.open(path, key, meta)
    journal.close()
    return check.problem


def written(path: Path, records: int = 5) -> None:
    with opened(path) as journal:
        for i in range(records):
            journal.record("response", {"item": f"q{i}", "value": "A"}, {"n": i})


def test_path_is_per_kind_candidate_and_case_version(tmp_path: Path) -> None:
    path = journal_path(tmp_path, JournalKind.PRACTICE, "lung", "0123456789abcdef" * 4, "../x y/")
    assert path == tmp_path / "practice" / "lung--0123456789ab--x_y.practice.sqlite"
    other = journal_path(tmp_path, JournalKind.PACKAGED, "lung", "0123456789abcdef" * 4, "../x y/")
    assert other.parent != path.parent and other.name != path.name


def test_records_events_and_the_latest_snapshot(tmp_path: Path) -> None:
    path = tmp_path / "j.sqlite"
    with opened(path) as journal:
        assert journal.snapshot() is None
        journal.record("response", {"item": "q1", "value": "A"}, {"n": 1})
        journal.record("event", {"event": "Play"}, {"n": 2})
        journal.record("incident", {"kind": "media_error"}, None)
        first_id = journal.journal_id
    with opened(path) as journal:
        assert journal.snapshot() == {"n": 2}
        assert [k for _, k, _ in journal.events()] == ["response", "event", "incident"]
        assert journal.events("response")[0][2] == {"item": "q1", "value": "A"}
        assert journal.meta()["candidate"] == "cand-1" and journal.journal_id == first_id
        assert journal.head[0] == 4  # the header and three records
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_a_second_opening_of_the_same_attempt_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "j.sqlite"
    with opened(path), pytest.raises(JournalLocked, match="already open in another casebook"):
        Journal.open(path, KEY, META)
    opened(path).close()  # free again once closed


def test_a_journal_of_another_attempt_is_found(tmp_path: Path) -> None:
    path = tmp_path / "j.sqlite"
    written(path)
    found = problem(path, meta={**META, "candidate": "someone-else"})
    assert found == "it belongs to another attempt (candidate is 'cand-1', expected 'someone-else')"


def test_a_journal_under_another_key_or_of_another_kind_is_foreign(tmp_path: Path) -> None:
    path = tmp_path / "j.sqlite"
    written(path)
    other_key = machine_key(tmp_path / "machine")
    assert "written under another key" in str(problem(path, key=other_key))
    practice = {**META, "kind": "practice"}
    assert problem(path, meta=practice) == (
        "it is a packaged journal: a packaged attempt cannot stand in for a practice one"
    )


def _sql(path: Path, *statements: str) -> None:
    with sqlite3.connect(path) as db:
        for statement in statements:
            db.execute(statement)
    db.close()


@pytest.mark.parametrize(
    ("statements", "found"),
    [
        (["UPDATE records SET payload = '{}' WHERE seq = 3"], "record 3 (response) was altered"),
        (["UPDATE records SET snapshot = '{\"n\": 9}' WHERE seq = 6"], "record 6 (response)"),
        (["UPDATE records SET at = at + 1 WHERE seq = 2"], "record 2 (response) was altered"),
        (["DELETE FROM records WHERE seq = 4"], "record 4 is missing or out of place"),
        (["DELETE FROM records WHERE seq > 4"], "records 5–6 of 6 have been removed"),
        (["DELETE FROM head"], "its head is missing"),
        (["UPDATE head SET seq = 5"], "its head was altered"),
        (
            [
                "UPDATE records SET seq = -1 WHERE seq = 3",
                "UPDATE records SET seq = 3 WHERE seq = 4",
                "UPDATE records SET seq = 4 WHERE seq = -1",
            ],
            "record 3 (response) was altered",
        ),
        (["DELETE FROM records"], "its records have all been removed"),
    ],
)
def test_every_edit_is_found_with_the_intact_part_before_it(
    tmp_path: Path, statements: list[str], found: str
) -> None:
    path = tmp_path / "j.sqlite"
    written(path)
    _sql(path, *statements)
    journal, check = Journal.open(path, KEY, META)
    with journal:
        assert check.problem is not None and found in check.problem
        with pytest.raises(JournalError, match="found altered: nothing is added"):
            journal.record("event", {}, None)


def test_going_on_from_the_intact_part_keeps_the_journal_as_found(tmp_path: Path) -> None:
    path = tmp_path / "j.sqlite"
    written(path)
    _sql(path, "UPDATE records SET payload = '{}' WHERE seq = 4")
    journal, check = Journal.open(path, KEY, META)
    assert check.intact == 3 and check.snapshot == {"n": 1}
    with journal:
        evidence = journal.keep_intact_part()
        journal.record("event", {"event": "again"}, {"n": 10})
    assert evidence.parent == path.parent and ".altered-" in evidence.name
    with sqlite3.connect(evidence) as db:  # as found: all six records, the edit included
        assert db.execute("SELECT COUNT(*) FROM records").fetchone()[0] == 6
    db.close()
    with opened(path) as journal:
        assert [p for _, _, p in journal.events()][-1] == {"event": "again"}
        assert journal.snapshot() == {"n": 10} and journal.head[0] == 4


def test_nothing_intact_cannot_be_gone_on_from(tmp_path: Path) -> None:
    path = tmp_path / "j.sqlite"
    written(path)
    journal, check = Journal.open(path, machine_key(tmp_path / "m"), META)
    with journal, pytest.raises(JournalError, match=r"nothing of .* is intact"):
        journal.keep_intact_part()
    assert check.intact == 0 and check.snapshot is None


@pytest.mark.parametrize("damage", ["garbage", "truncate"])
def test_a_damaged_journal_is_reported_and_kept(tmp_path: Path, damage: str) -> None:
    path = tmp_path / "j.sqlite"
    with opened(path) as journal:
        for i in range(50):
            journal.record("response", {"item": f"q{i}", "value": "x" * 200}, {"n": i})
    data = path.read_bytes()
    if damage == "garbage":
        path.write_bytes(b"this is not a database" * 100)
    else:
        path.write_bytes(data[: len(data) // 3])
    (tmp_path / "j.sqlite-wal").unlink(missing_ok=True)
    before = path.read_bytes()
    with pytest.raises(JournalDamaged, match="damaged"):
        Journal.open(path, KEY, META)
    assert path.read_bytes() == before  # never silently replaced


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
