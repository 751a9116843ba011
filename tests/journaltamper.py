"""Every class of journal edit a hostile candidate was seen to make, applied to a packaged,
signed attempt interrupted at its first key point; used by the tests and by
bench/bench_journal_tamper.py.

Each edit returns how the player must show it: "refused" (a resume is never silent: the proctor
must decide) or "retake" (a new attempt that the result numbers 2).
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from casebook_player.core.case.model import Case, SingleItem
from casebook_player.core.session.attempt import OpenedAttempt, open_attempt
from casebook_player.core.session.custody import Custody, Decide, custody_for
from casebook_player.core.session.journal import Journal, JournalKind, journal_path
from casebook_player.core.session.results import Attempt, Candidate
from casebook_player.core.session.simulate import FakeClock, correct_answers
from casebook_player.core.session.timeline import EndReason, Phase

CANDIDATE = "cand-1"


def journal_of(custody: Custody, case: Case, candidate: str) -> Path:
    return journal_path(custody.folder, custody.kind, case.id, case.sha256, candidate)


def journaled_responses(custody: Custody, case: Case, candidate: str) -> list[str]:
    """The items whose responses the candidate's journal holds (none when there is none)."""
    path = journal_of(custody, case, candidate)
    if not path.exists():
        return []
    meta = {
        "kind": str(custody.kind),
        "case_id": case.id,
        "case_sha256": case.sha256,
        "candidate": candidate,
    }
    journal, check = Journal.open(path, custody.key, meta)
    with journal:
        assert check.problem is None, check.problem
        return [payload["item"] for _, _, payload in journal.events("response")]


@dataclass
class Centre:
    """A test centre machine: the centre's key, the journal folder, a packaged case."""

    case: Case
    folder: Path
    key: Ed25519PrivateKey = field(default_factory=Ed25519PrivateKey.generate)
    clock: FakeClock = field(default_factory=FakeClock)

    def custody(self, kind: JournalKind = JournalKind.PACKAGED, signed: bool = True) -> Custody:
        return custody_for(kind, self.folder, self.key if signed else None)

    @property
    def journal(self) -> Path:
        return journal_of(self.custody(), self.case, CANDIDATE)

    def open(
        self,
        candidate: str = CANDIDATE,
        custody: Custody | None = None,
        decide: Decide | None = None,
    ) -> OpenedAttempt:
        attempt = Attempt(Candidate(candidate))
        return open_attempt(self.case, attempt, custody or self.custody(), self.clock, None, decide)

    def interrupted(
        self, candidate: str = CANDIDATE, custody: Custody | None = None, answers: bool = False
    ) -> None:
        """An attempt that answered the first question (wrongly, or with the key), then the
        player was killed."""
        session = self.open(candidate, custody).session
        session.start()
        kp = next(kp for _, kp in self.case.key_points())
        self.clock.advance(kp.at)
        session.narration_reached(kp.at)
        assert session.phase is Phase.KEY_POINT
        item = kp.items[0]
        assert isinstance(item, SingleItem)
        wrong = next(c.id for c in item.choices if c.id != item.answer)
        self.clock.advance(20)
        assert session.respond(item.id, item.answer if answers else wrong)
        self.clock.advance(30)
        session.tick()
        session.close()

    def finished(self) -> None:
        session = self.open().session
        session.start()
        session.end(EndReason.ENDED_BY_PROCTOR)
        session.close()


def _rows(path: Path, edit: Callable[[sqlite3.Connection], None]) -> None:
    with sqlite3.connect(path) as db:
        edit(db)
    db.close()


def edit_last_snapshot(path: Path, change: Callable[[dict[str, Any]], None]) -> None:
    def edit(db: sqlite3.Connection) -> None:
        seq, text = db.execute(
            "SELECT seq, snapshot FROM records WHERE snapshot IS NOT NULL ORDER BY seq DESC"
        ).fetchone()
        snapshot = json.loads(text)
        change(snapshot)
        db.execute("UPDATE records SET snapshot = ? WHERE seq = ?", (json.dumps(snapshot), seq))

    _rows(path, edit)


def answers_set_to_the_key(centre: Centre) -> str:
    centre.interrupted()
    key = correct_answers(centre.case)

    def change(snapshot: dict[str, Any]) -> None:
        for item_id, record in snapshot["timeline"]["responses"].items():
            record["value"] = key[item_id]

    edit_last_snapshot(centre.journal, change)
    return "refused"


def time_used_set_to_zero(centre: Centre) -> str:
    centre.interrupted()
    edit_last_snapshot(centre.journal, lambda s: s["timer"].update(used_s=0.0))
    return "refused"


def extra_time_doubled(centre: Centre) -> str:
    centre.interrupted()

    def change(snapshot: dict[str, Any]) -> None:
        snapshot["timer"]["extra_time_factor"] = 2.0
        snapshot["attempt"]["accommodations"]["extra_time"] = 2.0

    edit_last_snapshot(centre.journal, change)
    return "refused"


def events_emptied(centre: Centre) -> str:
    centre.interrupted()
    _rows(centre.journal, lambda db: db.execute("DELETE FROM records WHERE kind != 'header'"))
    return "refused"


def everything_emptied(centre: Centre) -> str:
    """Every record and the head removed: the file looks like a journal never written to."""
    centre.interrupted()
    _rows(centre.journal, lambda db: db.executescript("DELETE FROM records; DELETE FROM head;"))
    return "refused"


def cut_short(centre: Centre) -> str:
    centre.interrupted()
    _rows(
        centre.journal,
        lambda db: db.execute("DELETE FROM records WHERE seq > (SELECT MAX(seq) - 3 FROM records)"),
    )
    return "refused"


def file_truncated(centre: Centre) -> str:
    centre.interrupted()
    with sqlite3.connect(centre.journal) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    data = centre.journal.read_bytes()
    centre.journal.write_bytes(data[: len(data) // 2])
    return "refused"


def records_reordered(centre: Centre) -> str:
    centre.interrupted()

    def swap(db: sqlite3.Connection) -> None:
        db.execute("UPDATE records SET seq = -1 WHERE seq = 3")
        db.execute("UPDATE records SET seq = 3 WHERE seq = 4")
        db.execute("UPDATE records SET seq = 4 WHERE seq = -1")

    _rows(centre.journal, swap)
    return "refused"


def _put_in_place(centre: Centre, custody: Custody) -> str:
    """A journal of the key's answers, kept in ``custody``, copied where the packaged
    attempt's journal belongs."""
    centre.interrupted(custody=custody, answers=True)
    centre.journal.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(journal_of(custody, centre.case, CANDIDATE), centre.journal)
    return "refused"


def fabricated_by_simulate(centre: Centre) -> str:
    """``casebook simulate --journal`` run with the key's answers, its journal put in the
    player's place (the candidate has no centre key: the machine key signs it)."""
    return _put_in_place(centre, centre.custody(JournalKind.SIMULATED, signed=False))


def simulated_under_the_centre_key(centre: Centre) -> str:
    """Even made under the centre's own key, a simulated journal never stands in."""
    return _put_in_place(centre, centre.custody(JournalKind.SIMULATED))


def practice_carried_into_the_package(centre: Centre) -> str:
    return _put_in_place(centre, centre.custody(JournalKind.PRACTICE))


def another_candidates_journal(centre: Centre) -> str:
    centre.interrupted(candidate="cand-2", answers=True)
    shutil.copy(journal_of(centre.custody(), centre.case, "cand-2"), centre.journal)
    return "refused"


def ledger_replaced(centre: Centre) -> str:
    """The ledger deleted while an attempt is under way: its journal is no longer in it."""
    centre.interrupted()
    for ledger in centre.folder.glob("attempts-*.ledger"):
        ledger.unlink()
    return "refused"


def journal_deleted_for_a_retake(centre: Centre) -> str:
    centre.finished()
    centre.journal.unlink()
    return "retake"


EDITS: dict[str, Callable[[Centre], str]] = {
    f.__name__: f
    for f in (
        answers_set_to_the_key,
        time_used_set_to_zero,
        extra_time_doubled,
        events_emptied,
        everything_emptied,
        cut_short,
        file_truncated,
        records_reordered,
        fabricated_by_simulate,
        simulated_under_the_centre_key,
        practice_carried_into_the_package,
        another_candidates_journal,
        ledger_replaced,
        journal_deleted_for_a_retake,
    )
}


def detected(centre: Centre, expected: str) -> bool:
    """Whether the player shows the edit: a resume refused until a proctor decides, or a
    retake numbered as such in the result."""
    from casebook_player.core.session.attempt import AttemptUnavailable

    try:
        opened = centre.open()
    except AttemptUnavailable as exc:
        return expected == "refused" and "proctor must decide" in str(exc)
    session = opened.session
    session.end(EndReason.ENDED_BY_PROCTOR)
    session.close()
    result = session.result()
    retake = result["ledger"]["attempt"] == 2 and result["incidents"][0]["kind"] == "retake"
    return expected == "retake" and retake
