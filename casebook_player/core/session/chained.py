"""Hash-chained records in SQLite, shared by the journal and the attempt ledger.

A ``records`` table (seq, at, kind, payload, snapshot, mac) and a one-row ``head`` naming the
last record, sealed. Record n's MAC covers its fields and record n-1's MAC; record 1 is the
header. Checking walks the chain and stops at the first record that does not fit.
"""

from __future__ import annotations

import json
import sqlite3
import time
from dataclasses import dataclass
from typing import Any

from casebook_player.core.crypto.chain import GENESIS, ChainKey

HEADER = "header"

SCHEMA = """
CREATE TABLE IF NOT EXISTS records (
    seq INTEGER PRIMARY KEY,
    at REAL NOT NULL,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    snapshot TEXT,
    mac BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS head (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    seq INTEGER NOT NULL,
    mac BLOB NOT NULL,
    seal BLOB NOT NULL
);
"""
ROWS = "SELECT seq, at, kind, payload, snapshot, mac FROM records ORDER BY seq"


@dataclass
class Chain:
    """Records checked one after another: how many are intact, the last MAC and snapshot,
    and the first problem (None while all fit; a foreign header leaves it None, intact 0)."""

    key: ChainKey
    intact: int = 0
    mac: bytes = GENESIS
    snapshot: str | None = None
    problem: str | None = None

    def add(self, seq: Any, at: Any, kind: Any, payload: Any, snapshot: Any, mac: Any) -> bool:
        if seq != self.intact + 1:
            self.problem = (
                f"record {self.intact + 1} is missing or out of place (record {seq} follows "
                f"record {self.intact})"
            )
            return False
        if not (
            isinstance(mac, bytes)
            and isinstance(at, float)
            and isinstance(payload, str)
            and isinstance(snapshot, str | None)
            and self.key.matches(mac, self.mac, body(seq, at, str(kind), payload, snapshot))
        ):
            if self.intact > 0:
                self.problem = f"record {seq} ({kind}) was altered: its MAC does not match"
            return False
        if seq == 1 and kind != HEADER:
            return False
        self.intact, self.mac = seq, mac
        if snapshot is not None:
            self.snapshot = snapshot
        return True

    def head_problem(self, db: sqlite3.Connection) -> str | None:
        """What is wrong with the head, given the intact records; None when it fits."""
        head = db.execute("SELECT seq, mac, seal FROM head WHERE id = 1").fetchall()
        if not head:
            return f"its head is missing: records after record {self.intact} may be gone"
        seq, mac, seal = head[0]
        if not (isinstance(mac, bytes) and isinstance(seal, bytes) and isinstance(seq, int)):
            return "its head was altered"
        if not self.key.matches(seal, mac, _head_body(seq)):
            return "its head was altered"
        if seq > self.intact:
            return f"records {self.intact + 1}–{seq} of {seq} have been removed (cut short)"
        if seq != self.intact or mac != self.mac:
            return f"it holds records after its last sealed record ({seq}): records were added"
        return None


def check(db: sqlite3.Connection, key: ChainKey) -> tuple[Chain, list[tuple[Any, ...]]]:
    """The chain of ``db``'s records checked under ``key``, and the rows read."""
    rows = db.execute(ROWS).fetchall()
    chain = Chain(key)
    for row in rows:
        if not chain.add(*row):
            break
    return chain, rows


def append(
    db: sqlite3.Connection,
    key: ChainKey,
    after: tuple[int, bytes],
    kind: str,
    payload: dict[str, Any],
    snapshot: dict[str, Any] | None,
) -> tuple[int, bytes]:
    """Insert the record after ``after`` (seq, MAC) and move the head to it, inside the
    caller's transaction; the new (seq, MAC)."""
    seq, at = after[0] + 1, time.time()
    payload_text = json.dumps(payload, ensure_ascii=False)
    snapshot_text = json.dumps(snapshot, ensure_ascii=False) if snapshot is not None else None
    mac = key.link(after[1], body(seq, at, kind, payload_text, snapshot_text))
    db.execute(
        "INSERT INTO records (seq, at, kind, payload, snapshot, mac) VALUES (?, ?, ?, ?, ?, ?)",
        (seq, at, kind, payload_text, snapshot_text, mac),
    )
    write_head(db, key, seq, mac)
    return seq, mac


def write_head(db: sqlite3.Connection, key: ChainKey, seq: int, mac: bytes) -> None:
    db.execute(
        "INSERT OR REPLACE INTO head (id, seq, mac, seal) VALUES (1, ?, ?, ?)",
        (seq, mac, key.link(mac, _head_body(seq))),
    )


def body(seq: int, at: float, kind: str, payload: str, snapshot: str | None) -> bytes:
    return json.dumps([seq, at, kind, payload, snapshot], ensure_ascii=False).encode()


def _head_body(seq: int) -> bytes:
    return f"head {seq}".encode()
