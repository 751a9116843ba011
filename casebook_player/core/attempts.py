"""Opening the journal of one candidate's attempt at one version of a case."""

from __future__ import annotations

from pathlib import Path

from casebook_player.core.journal import Journal, journal_path
from casebook_player.core.model import Case
from casebook_player.core.paths import journals_dir


def open_attempt_journal(case: Case, candidate_id: str, folder: Path | None = None) -> Journal:
    """The attempt's journal (new or existing); raises JournalError (locked, damaged)."""
    folder = folder or journals_dir()
    meta = {"case_id": case.id, "case_sha256": case.sha256, "candidate": candidate_id}
    return Journal.open(journal_path(folder, case.id, case.sha256, candidate_id), meta)
