"""The attempt ledger: every attempt started on this machine, append-only and hash-chained.

One ledger per chain key (the centre's, or the machine key), beside the journals, in the same
authenticated records as a journal (``chained``). Each attempt started adds a ``started``
entry (kind, case, version, candidate, start time, journal id); a proctor's decision on an
altered journal adds a ``journal_altered`` entry. A result carries the position and MAC of its
attempt's ``started`` entry and how many attempts of the same kind this candidate started at
this case here, so a journal deleted to retake the case shows as "attempt 2". The ledger is
opened only for a moment, in a transaction, so players on the same machine take turns.
"""

from __future__ import annotations

import json
import sqlite3
import time
import uuid
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from casebook_player.core.crypto.chain import GENESIS, ChainKey
from casebook_player.core.session import chained
from casebook_player.core.session.journal import JournalError

LEDGER_FORMAT = "casebook-ledger/1"
STARTED = "started"
JOURNAL_ALTERED = "journal_altered"


class LedgerError(JournalError):
    """The ledger cannot be read, written or trusted; the message says why. No attempt can
    be opened then, so it is a JournalError to whoever opens one."""


@dataclass(frozen=True)
class Place:
    """Where an attempt's start is in the ledger."""

    ledger_id: str
    position: int  # the entry's number in the ledger
    chain: str  # the entry's MAC (hex): it covers every entry before it
    attempt: int  # attempts of this kind by this candidate at this case here, up to this one

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def ledger_path(folder: Path, key: ChainKey) -> Path:
    return folder / f"attempts-{key.key_id}.ledger"


def append(folder: Path, key: ChainKey, kind: str, entry: dict[str, Any]) -> None:
    """Add an entry at the end of the ledger (made on first use). Raises LedgerError."""
    with _Ledger(folder, key) as ledger:
        ledger.append(kind, entry)


def record_start(folder: Path, key: ChainKey, entry: dict[str, Any]) -> Place:
    """Add a ``started`` entry for the attempt ``entry`` describes; its place."""
    with _Ledger(folder, key) as ledger:
        ledger.append(STARTED, entry)
        place = ledger.place(entry["journal_id"])
    assert place is not None
    return place


def place_of(folder: Path, key: ChainKey, journal_id: str) -> Place | None:
    """The place of the attempt journaled as ``journal_id``; None when it was never started
    here. Raises LedgerError."""
    with _Ledger(folder, key) as ledger:
        return ledger.place(journal_id)


class _Ledger:
    def __init__(self, folder: Path, key: ChainKey) -> None:
        self.path = ledger_path(folder, key)
        self.key = key.for_purpose("ledger")
        self.rows: list[tuple[Any, ...]] = []
        self.head = (0, GENESIS)
        self.header: dict[str, Any] = {}

    def __enter__(self) -> _Ledger:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            self.db.execute("PRAGMA synchronous=FULL")
            self.db.executescript(chained.SCHEMA)
            self.db.execute("BEGIN IMMEDIATE")  # one player at a time from here to commit
            self._check()
        except sqlite3.Error as exc:
            self.db.close()
            raise LedgerError(f"the attempt ledger {self.path} cannot be read: {exc}") from None
        except LedgerError:
            self.db.close()
            raise
        return self

    def __exit__(self, exc_type: object, *rest: object) -> None:
        try:
            self.db.execute("ROLLBACK" if exc_type else "COMMIT")
        except sqlite3.Error as exc:
            raise LedgerError(f"cannot write the attempt ledger {self.path}: {exc}") from None
        finally:
            self.db.close()

    def _check(self) -> None:
        chain, rows = chained.check(self.db, self.key)
        if not rows and not self.db.execute("SELECT seq FROM head").fetchall():
            header = {"format": LEDGER_FORMAT, "ledger_id": uuid.uuid4().hex, "at": time.time()}
            self.head = chained.append(self.db, self.key, self.head, chained.HEADER, header, None)
            self.header = header
            return
        problem = chain.problem or chain.head_problem(self.db)
        if chain.intact == 0:
            problem = "its first entry does not check under this key"
        if problem is not None:
            raise LedgerError(
                f"the attempt ledger {self.path} was altered ({problem}); it has been kept as "
                "it is: no attempt can be started or resumed under this key until support has "
                "looked at it"
            )
        self.rows, self.head = rows, (chain.intact, chain.mac)
        self.header = json.loads(rows[0][3])

    def append(self, kind: str, entry: dict[str, Any]) -> None:
        try:
            self.head = chained.append(self.db, self.key, self.head, kind, entry, None)
        except sqlite3.Error as exc:
            raise LedgerError(f"cannot write the attempt ledger {self.path}: {exc}") from None
        self.rows.append((*self.head[:1], None, kind, json.dumps(entry), None, self.head[1]))

    def place(self, journal_id: str) -> Place | None:
        started = [
            (seq, json.loads(payload), mac)
            for seq, _, kind, payload, _, mac in self.rows
            if kind == STARTED
        ]
        for seq, entry, mac in started:
            if entry["journal_id"] == journal_id:
                same = ("kind", "case_id", "candidate")
                attempt = sum(
                    1
                    for s, other, _ in started
                    if s <= seq and all(other[k] == entry[k] for k in same)
                )
                return Place(self.header["ledger_id"], seq, mac.hex(), attempt)
        return None
