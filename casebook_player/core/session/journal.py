"""The journal: every event of an attempt, durably in SQLite and authenticated, so nothing is
lost to a crash and nothing can be changed unseen.

One journal file per kind of attempt (practice, packaged, simulated), candidate and case
version. Each write is one transaction holding the event, the snapshot to resume from and the
new head; it has reached the disk (WAL, synchronous=FULL) before ``record`` returns, so the UI
acknowledges nothing that could still be lost.

Every record carries a MAC over itself and the MAC of the record before it (a hash chain,
``core.crypto.chain``), under a key derived for this kind of journal. The first record is the
header (format, kind, journal id, case, candidate); the head row names the last record and is
sealed too. Opening checks the whole chain: a record edited, removed or moved, a journal cut
short, a journal written for another kind of attempt or under another key, all show as a
``JournalCheck.problem``, with the intact part before it. Such a journal is not written to until
someone decides what to do with it (``keep_intact_part`` or ``set_aside``). A second process
opening the same attempt is refused (an exclusive lock on a side file); a file SQLite cannot
read raises JournalDamaged and stays as it is.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import sys
import time
import uuid
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import IO, Any

from casebook_player.core.crypto.chain import GENESIS, ChainKey
from casebook_player.core.files import Closing
from casebook_player.core.session import chained

JOURNAL_FORMAT = "casebook-journal/2"


class JournalKind(StrEnum):
    """Journals of different kinds live apart and are keyed apart: one never stands in for
    another."""

    PRACTICE = "practice"  # the window on a plain case folder
    PACKAGED = "packaged"  # the window on a signed package
    SIMULATED = "simulated"  # casebook simulate --journal


class JournalError(Exception):
    """The journal cannot be used; the message says why and what to do."""


class JournalLocked(JournalError):
    pass


class JournalDamaged(JournalError):
    pass


@dataclass(frozen=True)
class JournalCheck:
    """What opening found: ``problem`` is None for an intact journal; else the first thing
    wrong, ``intact`` the records before it (the header counts) and ``snapshot`` the last
    state saved in them (None when there is none to resume from)."""

    problem: str | None
    intact: int
    snapshot: dict[str, Any] | None


def journal_path(
    folder: Path, kind: JournalKind, case_id: str, case_sha256: str, candidate_id: str
) -> Path:
    """Where the journal of this candidate's attempt of this kind at this case version lives."""
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "_", candidate_id).strip("._") or "candidate"
    return folder / str(kind) / f"{case_id}--{case_sha256[:12]}--{safe}.{kind}.sqlite"


class Journal(Closing):
    def __init__(
        self, path: Path, connection: sqlite3.Connection, lock: IO[bytes], key: ChainKey
    ) -> None:
        self.path = path
        self._db = connection
        self._lock = lock
        self._key = key
        self._seq = 0
        self._mac = GENESIS
        self._header: dict[str, str] = {}
        self._writable = False

    # -- opening ----------------------------------------------------------------------

    @classmethod
    def open(cls, path: Path, key: ChainKey, meta: dict[str, str]) -> tuple[Journal, JournalCheck]:
        """Open (or create) the journal at ``path`` for the attempt described by ``meta``
        (``kind``, case, candidate) and check it under ``key``.

        Raises JournalLocked when another player has it open, JournalDamaged when SQLite
        cannot read it. Anything else wrong is in the JournalCheck.
        """
        path.parent.mkdir(parents=True, exist_ok=True)
        lock = _acquire_lock(path.with_name(path.name + ".lock"))
        key = key.for_purpose(f"journal {meta['kind']}")
        try:
            if not path.exists():
                _create(path, key, meta)
            journal = cls(path, _connect(path), lock, key)
            check = journal._check(meta)
        except BaseException:
            _release_lock(lock)
            raise
        return journal, check

    def _check(self, meta: dict[str, str]) -> JournalCheck:
        try:
            chain, rows = chained.check(self._db, self._key)
            problem = chain.problem or _header_problem(rows, chain, meta)
            if problem is None:
                problem = chain.head_problem(self._db)
        except sqlite3.Error as exc:
            raise JournalDamaged(f"the journal {self.path} is damaged: {exc}") from None
        if chain.intact == 0:
            return JournalCheck(problem, 0, None)
        self._header = json.loads(rows[0][3])
        self._seq, self._mac = chain.intact, chain.mac
        self._writable = problem is None
        snapshot = json.loads(chain.snapshot) if chain.snapshot is not None else None
        return JournalCheck(problem, chain.intact, snapshot)

    # -- after a problem: someone decided ----------------------------------------------

    def keep_intact_part(self) -> Path:
        """Go on from the last intact record: a copy of the journal as found is kept as
        evidence (its path is returned), the rest is removed, and writing resumes."""
        if self._seq == 0:
            raise JournalError(f"nothing of {self.path} is intact: it cannot be resumed")
        evidence = _evidence_path(self.path)
        copy = sqlite3.connect(evidence)
        try:
            self._db.backup(copy)
        finally:
            copy.close()
        with self._db:
            self._db.execute("DELETE FROM records WHERE seq > ?", (self._seq,))
            chained.write_head(self._db, self._key, self._seq, self._mac)
        self._writable = True
        return evidence

    # -- writing ----------------------------------------------------------------------

    def record(self, kind: str, payload: dict[str, Any], snapshot: dict[str, Any] | None) -> None:
        """Append an event with the snapshot to resume from, durably, in one transaction."""
        if not self._writable:
            raise JournalError(f"the journal {self.path} was found altered: nothing is added")
        try:
            with self._db:  # committed here, or rolled back and the head stays where it was
                head = chained.append(
                    self._db, self._key, (self._seq, self._mac), kind, payload, snapshot
                )
        except sqlite3.Error as exc:
            raise JournalError(f"cannot write the journal {self.path}: {exc}") from None
        self._seq, self._mac = head

    # -- reading ----------------------------------------------------------------------

    @property
    def writable(self) -> bool:
        """Intact, or someone decided to go on from its intact part."""
        return self._writable

    @property
    def journal_id(self) -> str:
        return self._header["journal_id"]

    @property
    def head(self) -> tuple[int, str]:
        """The last record: its number and MAC (hex)."""
        return self._seq, self._mac.hex()

    def meta(self) -> dict[str, str]:
        return dict(self._header)

    def snapshot(self) -> dict[str, Any] | None:
        """The last saved state, or None for a new attempt."""
        rows = self._read(
            "SELECT snapshot FROM records WHERE seq <= ? AND snapshot IS NOT NULL "
            "ORDER BY seq DESC LIMIT 1",
            (self._seq,),
        )
        return _json(rows[0][0], self.path) if rows else None

    def events(self, kind: str | None = None) -> list[tuple[int, str, dict[str, Any]]]:
        """(seq, kind, payload) of the intact records after the header, in order."""
        query = "SELECT seq, kind, payload FROM records WHERE seq > 1 AND seq <= ?"
        args: tuple[Any, ...] = (self._seq,)
        if kind is not None:
            query += " AND kind = ?"
            args = (self._seq, kind)
        rows = self._read(query + " ORDER BY seq", args)
        return [(seq, k, _json(payload, self.path)) for seq, k, payload in rows]

    def _read(self, query: str, args: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        try:
            return self._db.execute(query, args).fetchall()
        except sqlite3.Error as exc:
            raise JournalDamaged(f"the journal {self.path} is damaged: {exc}") from None

    # -- closing ----------------------------------------------------------------------

    def close(self) -> None:
        self._db.close()
        _release_lock(self._lock)


def _header_problem(
    rows: list[tuple[Any, ...]], chain: chained.Chain, meta: dict[str, str]
) -> str | None:
    """Why the journal is not this attempt's, or None when its header says it is."""
    if chain.intact == 0:
        return _foreign(rows, meta)
    header = json.loads(rows[0][3])
    for key, value in meta.items():
        if header.get(key) != value:
            chain.intact = 0
            return (
                f"it belongs to another attempt ({key} is {header.get(key)!r}, expected {value!r})"
            )
    return None


def _foreign(rows: list[tuple[Any, ...]], meta: dict[str, str]) -> str:
    """Why a journal whose header does not check under this key is not this attempt's."""
    if not rows:
        return "its records have all been removed"
    try:
        claimed = json.loads(rows[0][3]).get("kind")
    except (TypeError, ValueError, AttributeError):
        claimed = None
    if claimed in set(JournalKind) and claimed != meta["kind"]:
        return (
            f"it is a {claimed} journal: a {claimed} attempt cannot stand in for a "
            f"{meta['kind']} one"
        )
    return (
        "its header does not check under this player's key: it was written under another key "
        "(another centre, machine or kind of attempt) or edited"
    )


def _json(text: str, path: Path) -> Any:
    try:
        return json.loads(text)
    except (TypeError, ValueError) as exc:
        raise JournalDamaged(f"the journal {path} is damaged: {exc}") from None


def _evidence_path(path: Path) -> Path:
    """A new name beside ``path`` for the journal as it was found."""
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    for n in range(1000):
        suffix = f".altered-{stamp}{f'-{n}' if n else ''}{path.suffix}"
        candidate = path.with_name(path.stem + suffix)
        if not candidate.exists():
            return candidate
    raise JournalError(f"too many kept copies of {path}: ask for support")


def set_aside(path: Path) -> Path:
    """Move a journal (and SQLite's side files) out of the way, kept as evidence; the new
    name of the journal."""
    evidence = _evidence_path(path)
    for suffix in ("", "-wal", "-shm"):
        source = path.with_name(path.name + suffix)
        if source.exists():
            source.replace(evidence.with_name(evidence.name + suffix))
    return evidence


def _create(path: Path, key: ChainKey, meta: dict[str, str]) -> None:
    """A new journal holding its header, made whole beside ``path`` and then moved there, so
    a journal file that exists always has its header (a crash leaves none or all of it)."""
    partial = path.with_name(path.name + ".partial")
    partial.unlink(missing_ok=True)
    header = {
        "format": JOURNAL_FORMAT,
        "journal_id": uuid.uuid4().hex,
        "created": str(time.time()),
        **meta,
    }
    db = sqlite3.connect(partial)
    try:
        db.execute("PRAGMA synchronous=FULL")
        db.executescript(chained.SCHEMA)
        with db:
            chained.append(db, key, (0, GENESIS), chained.HEADER, header, None)
    except sqlite3.Error as exc:
        raise JournalError(f"cannot create the journal {path}: {exc}") from None
    finally:
        db.close()
    partial.replace(path)


def _connect(path: Path) -> sqlite3.Connection:
    existed = path.stat().st_size > 0
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
                    "it has been kept as it is"
                )
        connection.executescript(chained.SCHEMA)
    except sqlite3.DatabaseError as exc:
        raise JournalDamaged(
            f"the journal {path} is damaged ({exc}); it has been kept as it is"
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
