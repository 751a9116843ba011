"""Custody of an attempt: every class of journal edit is found, a proctor decides, the ledger
numbers attempts, and the result says all of it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from journaltamper import (
    CANDIDATE,
    EDITS,
    Centre,
    answers_set_to_the_key,
    cut_short,
    detected,
    fabricated_by_simulate,
    journal_of,
)

from casebook_player.core.case.model import Case
from casebook_player.core.session.attempt import AttemptUnavailable
from casebook_player.core.session.custody import Decision, JournalFinding
from casebook_player.core.session.journal import JournalKind
from casebook_player.core.session.ledger import ledger_path
from casebook_player.core.session.timeline import EndReason


@pytest.fixture
def centre(case: Case, tmp_path: Path) -> Centre:
    return Centre(case, tmp_path / "journals")


@pytest.mark.parametrize("edit", EDITS)
def test_every_class_of_edit_is_shown(centre: Centre, edit: str) -> None:
    expected = EDITS[edit](centre)
    assert detected(centre, expected)


def test_an_untouched_journal_resumes_silently(centre: Centre) -> None:
    centre.interrupted()
    assert not detected(centre, "refused")  # the check is not one that always fires
    opened = centre.open()
    assert opened.resumed and opened.finding is None and opened.attempt_number == 1
    assert opened.session.response("q-view") == "A"
    opened.session.close()


def test_a_refusal_says_what_was_found_and_keeps_the_journal(centre: Centre) -> None:
    answers_set_to_the_key(centre)
    before = centre.journal.read_bytes()
    with pytest.raises(AttemptUnavailable) as info:
        centre.open()
    assert re.search(r"record \d+ \(clock\) was altered: its MAC does not match", str(info.value))
    assert str(centre.journal) in str(info.value)
    assert centre.journal.read_bytes() == before


def test_the_proctor_resumes_from_the_last_intact_record(centre: Centre) -> None:
    cut_short(centre)
    found: list[JournalFinding] = []
    opened = centre.open(decide=lambda f: found.append(f) or Decision.RESUME_INTACT)
    assert found[0].can_resume and "have been removed (cut short)" in found[0].problem
    assert opened.resumed and opened.finding == found[0]
    session = opened.session
    session.end(EndReason.ENDED_BY_PROCTOR)
    result = session.result()
    session.close()
    (altered,) = result["journal"]["altered"]
    assert altered["decision"] == "resumed_from_last_intact_record"
    assert (centre.journal.parent / altered["kept_as"]).exists()
    assert [i["kind"] for i in result["incidents"]] == ["journal_altered"]
    assert (
        "the proctor chose to resume from the last intact record" in result["incidents"][0]["note"]
    )
    assert result["ledger"]["attempt"] == 1
    again = centre.open()  # intact from then on, and the finding stays in the result
    again.session.end(EndReason.ENDED_BY_PROCTOR)
    assert again.session.result()["journal"]["altered"] == [altered]
    again.session.close()


def test_the_proctor_starts_anew_and_it_is_a_second_attempt(centre: Centre) -> None:
    answers_set_to_the_key(centre)
    opened = centre.open(decide=lambda f: Decision.START_ANEW)
    assert not opened.resumed and opened.attempt_number == 2
    session = opened.session
    assert session.response("q-view") is None
    session.end(EndReason.ENDED_BY_PROCTOR)
    result = session.result()
    session.close()
    assert [i["kind"] for i in result["incidents"]] == ["retake", "journal_altered"]
    assert result["journal"]["altered"][0]["decision"] == "started_anew"
    assert result["ledger"]["attempt"] == 2 and result["ledger"]["position"] == 3
    kept = list(centre.journal.parent.glob("*.altered-*"))
    assert [p.name for p in kept] == [result["journal"]["altered"][0]["kept_as"]]


def test_nothing_intact_cannot_be_resumed_whatever_is_chosen(centre: Centre) -> None:
    fabricated_by_simulate(centre)
    found: list[JournalFinding] = []
    with pytest.raises(AttemptUnavailable, match="proctor must decide"):
        centre.open(decide=lambda f: found.append(f) or Decision.RESUME_INTACT)
    assert not found[0].can_resume and "it is a simulated journal" in found[0].problem


def test_the_result_names_the_journal_and_its_place_in_the_ledger(centre: Centre) -> None:
    centre.finished()
    opened = centre.open()
    opened.session.close()
    result = opened.session.result()
    assert result["journal"] == {
        "id": result["journal"]["id"],
        "kind": "packaged",
        "key_id": centre.custody().key.key_id,
        "tamper_proof": True,
        "altered": [],
    }
    assert result["ledger"]["position"] == 2 and result["ledger"]["attempt"] == 1
    assert len(result["ledger"]["chain"]) == 64


def test_without_a_centre_key_the_journal_is_not_tamper_proof(centre: Centre) -> None:
    unsigned = centre.custody(JournalKind.PRACTICE, signed=False)
    opened = centre.open(custody=unsigned)
    opened.session.end(EndReason.ENDED_BY_PROCTOR)
    opened.session.close()
    assert opened.session.result()["journal"]["tamper_proof"] is False
    assert (centre.folder / "machine-chain.key").stat().st_mode & 0o777 == 0o600


def test_kinds_and_candidates_are_numbered_apart(centre: Centre) -> None:
    centre.finished()
    centre.journal.unlink()
    numbers = []
    for candidate, kind in (
        (CANDIDATE, JournalKind.PRACTICE),
        ("cand-2", JournalKind.PACKAGED),
        (CANDIDATE, JournalKind.PACKAGED),
    ):
        opened = centre.open(candidate, centre.custody(kind))
        numbers.append(opened.attempt_number)
        opened.session.close()
    assert numbers == [1, 1, 2]
    assert journal_of(centre.custody(JournalKind.PRACTICE), centre.case, CANDIDATE).exists()


def test_an_altered_ledger_stops_every_attempt_under_its_key(centre: Centre) -> None:
    import sqlite3

    centre.finished()
    path = ledger_path(centre.folder, centre.custody().key)
    with sqlite3.connect(path) as db:
        db.execute("UPDATE records SET payload = replace(payload, 'cand-1', 'cand-9')")
    db.close()
    with pytest.raises(AttemptUnavailable, match=r"the attempt ledger .* was altered"):
        centre.open("cand-3")
