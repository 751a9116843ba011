"""Custody of an attempt: where its journal is kept, under which key, its place in the attempt
ledger, and what happens when the journal was found altered.

The key: derived from the centre's signing key when the result is signed (the proctor
unlocked it; the candidate's account never holds it), else the machine key, which that account
can read, so the journal is then not tamper-proof and the result says so. A journal found
altered, cut short, foreign or unreadable is never resumed silently: ``decide`` (a proctor,
with the PIN) chooses to resume from its last intact record or to start anew; the journal as
found is kept as evidence, the decision goes into the ledger, an incident and the result.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from casebook_player.core.case.model import Case
from casebook_player.core.crypto.chain import (
    ChainKey,
    ChainKeyError,
    key_from_signing_key,
    machine_key,
)
from casebook_player.core.paths import journals_dir
from casebook_player.core.session import ledger
from casebook_player.core.session.journal import (
    Journal,
    JournalDamaged,
    JournalError,
    JournalKind,
    journal_path,
    set_aside,
)
from casebook_player.core.session.results import Attempt
from casebook_player.core.timestamps import iso


class Decision(StrEnum):
    RESUME_INTACT = "resumed_from_last_intact_record"
    START_ANEW = "started_anew"


DECISION_TEXT = {
    Decision.RESUME_INTACT: "resume from the last intact record",
    Decision.START_ANEW: "start the attempt anew",
}


@dataclass(frozen=True)
class JournalFinding:
    """What is wrong with an attempt's journal, for whoever must decide."""

    path: Path
    problem: str
    can_resume: bool  # an intact part with a state to resume from survives

    def message(self) -> str:
        resume = (
            "It can be resumed from its last intact record, or started anew."
            if self.can_resume
            else "Nothing of it can be resumed: the attempt can only be started anew."
        )
        return f"The journal of this attempt was found altered: {self.problem}.\n\n{resume}"


Decide = Callable[[JournalFinding], Decision | None]


class JournalRefused(JournalError):
    """The journal was found altered and nobody decided what to do: it is kept as it is."""


@dataclass(frozen=True)
class Custody:
    folder: Path
    kind: JournalKind
    key: ChainKey


def custody_for(
    kind: JournalKind, folder: Path | None, signing_key: Ed25519PrivateKey | None
) -> Custody:
    """Journals of ``kind`` in ``folder`` (the default journals folder when None), keyed by
    the centre's signing key when there is one. Raises JournalError."""
    folder = folder or journals_dir()
    try:
        key = key_from_signing_key(signing_key) if signing_key else machine_key(folder)
    except ChainKeyError as exc:
        raise JournalError(str(exc)) from None
    return Custody(folder, kind, key)


@dataclass
class OpenedJournal:
    journal: Journal
    snapshot: dict[str, Any] | None  # None: a new attempt
    provenance: dict[str, Any]  # the result's journal and ledger fields
    incidents: tuple[dict[str, Any], ...] = ()  # what the attempt must record: retake, altered
    finding: JournalFinding | None = None
    altered: list[dict[str, Any]] = field(default_factory=list)

    @property
    def attempt_number(self) -> int:
        return int(self.provenance["ledger"]["attempt"])

    def amend(self, attempt: Attempt) -> Attempt:
        """``attempt`` with what opening found: its provenance and incidents."""
        before = attempt.provenance.get("journal", {}).get("altered", [])
        provenance = {**self.provenance}
        provenance["journal"] = {**provenance["journal"], "altered": [*before, *self.altered]}
        return replace(
            attempt, incidents=(*attempt.incidents, *self.incidents), provenance=provenance
        )


def open_journal(
    case: Case, candidate_id: str, custody: Custody, decide: Decide | None, now: float
) -> OpenedJournal:
    """The journal of this candidate's attempt at ``case``: new, intact, or, when found
    altered, as ``decide`` chose. Raises JournalError (locked, ledger altered, refused)."""
    meta = {
        "kind": str(custody.kind),
        "case_id": case.id,
        "case_sha256": case.sha256,
        "candidate": candidate_id,
    }
    path = journal_path(custody.folder, custody.kind, case.id, case.sha256, candidate_id)
    try:
        journal, check = Journal.open(path, custody.key, meta)
    except JournalDamaged as exc:
        finding = JournalFinding(path, str(exc).rstrip("."), can_resume=False)
        return _decided(case, custody, meta, None, finding, decide, now)
    try:
        problem = check.problem
        place = None if problem else _place(custody, journal.journal_id)
        if problem is None and place is None and check.snapshot is not None:
            problem = (
                "it is not in this machine's attempt ledger (copied from elsewhere, or the "
                "ledger was replaced)"
            )
        if problem is not None:
            finding = JournalFinding(path, problem, can_resume=check.snapshot is not None)
            return _decided(case, custody, meta, journal, finding, decide, now)
        if place is None:
            return _started(case, custody, journal, now)
        return OpenedJournal(journal, check.snapshot, _provenance(custody, journal, place))
    except BaseException:
        journal.close()
        raise


def _decided(
    case: Case,
    custody: Custody,
    meta: dict[str, str],
    journal: Journal | None,
    finding: JournalFinding,
    decide: Decide | None,
    now: float,
) -> OpenedJournal:
    choice = decide(finding) if decide is not None else None
    if choice is Decision.RESUME_INTACT and not finding.can_resume:
        choice = None
    if choice is None:
        raise JournalRefused(
            f"{finding.message()}\n\nThe journal {finding.path} has been kept as it is. A "
            "proctor must decide what to do (start the player in proctor mode)."
        )
    if choice is Decision.RESUME_INTACT:
        assert journal is not None
        evidence = None if journal.writable else journal.keep_intact_part()
        snapshot = journal.snapshot()
        place = _place(custody, journal.journal_id) or _record_start(case, custody, journal, now)
        opened = OpenedJournal(journal, snapshot, _provenance(custody, journal, place))
    else:
        if journal is not None:
            journal.close()
        evidence = set_aside(finding.path)
        journal, _ = Journal.open(finding.path, custody.key, meta)
        opened = _started(case, custody, journal, now)
    altered = {
        "at": iso(now),
        "problem": finding.problem,
        "decision": str(choice),
        "kept_as": evidence.name if evidence is not None else None,
    }
    ledger.append(
        custody.folder,
        custody.key,
        ledger.JOURNAL_ALTERED,
        {**altered, "journal_id": journal.journal_id},
    )
    kept = f"; the journal as found is kept as {evidence.name}" if evidence else ""
    note = f"{finding.problem}; the proctor chose to {DECISION_TEXT[choice]}{kept}"
    opened.incidents = (
        *opened.incidents,
        {"at": iso(now), "kind": "journal_altered", "note": note},
    )
    opened.finding, opened.altered = finding, [altered]
    return opened


def _started(case: Case, custody: Custody, journal: Journal, now: float) -> OpenedJournal:
    """A new attempt: its start goes into the ledger; a retake says so."""
    place = _record_start(case, custody, journal, now)
    opened = OpenedJournal(journal, None, _provenance(custody, journal, place))
    if place.attempt > 1:
        note = (
            f"attempt {place.attempt} on this machine by candidate {journal.meta()['candidate']} "
            f"at case {case.id}: {place.attempt - 1} earlier attempt(s) started here"
        )
        opened.incidents = ({"at": iso(now), "kind": "retake", "note": note},)
    return opened


def _record_start(case: Case, custody: Custody, journal: Journal, now: float) -> ledger.Place:
    entry = {
        "kind": str(custody.kind),
        "case_id": case.id,
        "case_version": case.version,
        "case_sha256": case.sha256,
        "candidate": journal.meta()["candidate"],
        "journal_id": journal.journal_id,
        "at": iso(now),
    }
    return ledger.record_start(custody.folder, custody.key, entry)


def _place(custody: Custody, journal_id: str) -> ledger.Place | None:
    return ledger.place_of(custody.folder, custody.key, journal_id)


def _provenance(custody: Custody, journal: Journal, place: ledger.Place) -> dict[str, Any]:
    return {
        "journal": {
            "id": journal.journal_id,
            "kind": str(custody.kind),
            "key_id": custody.key.key_id,
            "tamper_proof": custody.key.tamper_proof,
        },
        "ledger": place.to_dict(),
    }
