"""The journal: every event of an attempt, durably in SQLite, so nothing is lost to a crash.

One journal file per candidate + case attempt. Each write is one transaction holding the
event and the snapshot to resume from; it has reached the disk (WAL, synchronous=FULL) before
``record`` returns, so the UI acknowledges nothing that could still be lost. A second process
opening the same attempt is refused (an exclusive lock on a side file). A damaged journal is
never silently replaced: opening it raises JournalDamaged and the file stays as it is.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import sys
import time
from pathlib import Path
from typing import IO, Any

from casebook_player.core.case.model import Case
from casebook_player.core.files import Closing
from casebook_player.core.paths import journals_dir

JOURNAL_FORMAT = "casebook-journal/1"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    at REAL NOT NULL,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS snapshot (id INTEGER PRIMARY KEY CHECK (id = 1), state TEXT NOT NULL);
"""


class JournalError(Exception):
    """The journal cannot be used; the message says why and what to do."""


class JournalLocked(JournalError):
    pass


class JournalDamaged(JournalError):
    pass


def journal_path(folder: Path, case_id: str, case_sha256: str, candidate_id: str) -> Path:
    """Where the journal of this candidate's attempt at this version of the case lives."""
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "_", candidate_id).strip("._") or "candidate"
    return folder / f"{case_id}--{case_sha256[:12]}--{safe}.sqlite"


class Journal(Closing):
    def __init__(self, path: Path, connection: sqlite3.Connection, lock: IO[bytes]) -> None:
        self.path = path
        self._db = connection
        self._lock = lock

    # -- opening ----------------------------------------------------------------------

    @classmethod
    def open(cls, path: Path, meta: dict[str, str]) -> Journal:
        """Open (or create) the journal at ``path`` for the attempt described by ``meta``.

        Raises JournalLocked when another player has it open, JournalDamaged when it cannot
        be read or belongs to another attempt.
        """
        path.parent.mkdir(parents=True, exist_ok=True)
        lock = _acquire_lock(path.with_name(path.name + ".lock"))
        try:
            connection = _connect(path)
            journal = cls(path, connection, lock)
            journal._check_meta(meta)
        except BaseException:
            _release_lock(lock)
            raise
        return journal

    def _check_meta(self, meta: dict[str, str]) -> None:
        stored = dict(self._db.execute("SELECT key, value FROM meta").fetchall())
        if not stored:
            with self._db:
                self._db.executemany(
                    "INSERT INTO meta (key, value) VALUES (?, ?)",
                    [("format", JOURNAL_FORMAT), ("created", str(time.time())), *meta.items()],
                )
            return
        if stored.get("format") != JOURNAL_FORMAT:
            raise JournalDamaged(f"{self.path} is not a journal this player can read")
        for key, value in meta.items():
            if stored.get(key) != value:
                raise JournalDamaged(
                    f"{self.path} belongs to another attempt ({key} is {stored.get(key)!r}, "
                    f"expected {value!r})"
                )

    # -- writing ----------------------------------------------------------------------

    def record(self, kind: str, payload: dict[str, Any], snapshot: dict[str, Any] | None) -> None:
        """Append an event and (optionally) replace the snapshot, durably, in one transaction."""
        try:
            with self._db:
                self._db.execute(
                    "INSERT INTO events (at, kind, payload) VALUES (?, ?, ?)",
                    (time.time(), kind, json.dumps(payload, ensure_ascii=False)),
                )
                if snapshot is not None:
                    self._db.execute(
                        "INSERT OR REPLACE INTO snapshot (id, state) VALUES (1, ?)",
                        (json.dumps(snapshot, ensure_ascii=False),),
                    )
        except sqlite3.Error as exc:
            raise JournalError(f"cannot write the journal {self.path}: {exc}") from None

    # -- reading ----------------------------------------------------------------------

    def snapshot(self) -> dict[str, Any] | None:
        """The last saved state, or None for a new attempt."""
        try:
            row = self._db.execute("SELECT state FROM snapshot WHERE id = 1").fetchone()
            return json.loads(row[0]) if row else None
        except (sqlite3.Error, json.JSONDecodeError) as exc:
            raise JournalDamaged(f"the journal {self.path} is damaged: {exc}") from None

    def events(self, kind: str | None = None) -> list[tuple[int, str, dict[str, Any]]]:
        """(seq, kind, payload) in order."""
        query = "SELECT seq, kind, payload FROM events"
        args: tuple[str, ...] = ()
        if kind is not None:
            query += " WHERE kind = ?"
            args = (kind,)
        try:
            rows = self._db.execute(query + " ORDER BY seq", args).fetchall()
            return [(seq, k, json.loads(payload)) for seq, k, payload in rows]
        except (sqlite3.Error, json.JSONDecodeError) as exc:
            raise JournalDamaged(f"the journal {self.path} is damaged: {exc}") from None

    def meta(self) -> dict[str, str]:
        return dict(self._db.execute("SELECT key, value FROM meta").fetchall())

    # -- closing ----------------------------------------------------------------------

    def close(self) -> None:
        self._db.close()
        _release_lock(self._lock)


def _connect(path: Path) -> sqlite3.Connection:
    existed = path.exists() and path.stat().st_size > 0
    try:
        connection = sqlite3.connect(path)
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=FULL")
        if existed:
            result = connection.execute("PRAGMA quick_check").fetchone()
            if not result or result[0] != "ok":
                connection.close()
                raise JournalDamaged(
                    f"the journal {path} is damaged ({result[0] if result else 'no answer'}); "
                    "it has been kept as it is: ask for support before starting again"
                )
        connection.executescript(_SCHEMA)
    except sqlite3.DatabaseError as exc:
        raise JournalDamaged(
            f"the journal {path} is damaged ({exc}); it has been kept as it is: ask for "
            "support before starting again"
        ) from None
    return connection


def _acquire_lock(lock_path: Path) -> IO[bytes]:
    handle = lock_path.open("a+b")
    try:
        if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
            import msvcrt

            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.close()
        raise JournalLocked(
            "this attempt is already open in another casebook window or process "
            f"(lock: {lock_path}); close that one first"
        ) from None
    handle.seek(0)
    handle.truncate()
    handle.write(str(os.getpid()).encode())
    handle.flush()
    return handle


def _release_lock(handle: IO[bytes]) -> None:
    handle.close()  # closing the file releases the lock


def open_attempt_journal(case: Case, candidate_id: str, folder: Path | None = None) -> Journal:
    """One candidate's journal for one version of a case (new or existing), in ``folder``
    (the default journals folder when None); raises JournalError (locked, damaged)."""
    meta = {"case_id": case.id, "case_sha256": case.sha256, "candidate": candidate_id}
    return Journal.open(
        journal_path(folder or journals_dir(), case.id, case.sha256, candidate_id), meta
    )
