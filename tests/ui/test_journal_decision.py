"""A journal found altered in the window: the proctor decides with the PIN, or nobody does."""

from __future__ import annotations

from pathlib import Path

import pytest
from casefactory import write_case
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from journaltamper import edit_last_snapshot
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from uiharness import Harness, make_harness

from casebook_player.core.crypto.pin import PinHash
from casebook_player.core.session.custody import Decision, JournalFinding
from casebook_player.core.session.journal import JournalKind, journal_path
from casebook_player.ui import journal_finding
from casebook_player.ui.proctor import ProctorControls


class Asked:
    """Stands in for the decision dialog: notes each finding, answers ``choice``."""

    def __init__(self, choice: Decision | None) -> None:
        self.choice = choice
        self.findings: list[JournalFinding] = []

    def __call__(self, parent: object, finding: JournalFinding) -> Decision | None:
        self.findings.append(finding)
        return self.choice


def altered_attempt(qtbot: QtBot, tmp_path: Path, key: Ed25519PrivateKey | None = None) -> Harness:
    """A window on a case whose candidate answered, crashed, then edited the journal."""
    write_case(tmp_path / "case")
    first = make_harness(qtbot, tmp_path / "case", tmp_path)
    first.options.signing_key = key
    first.check_in("cand-1")
    first.play_until_stop()
    qtbot.mouseClick(
        first.window.key_point_screen.widgets["q-view"].button("A"), Qt.MouseButton.LeftButton
    )  # type: ignore[attr-defined]
    first.crash()
    path = journal_path(
        tmp_path / "journal", JournalKind.PRACTICE, first.case.id, first.case.sha256, "cand-1"
    )
    edit_last_snapshot(path, lambda s: s["timer"].update(used_s=0.0))
    second = make_harness(qtbot, tmp_path / "case", tmp_path)
    second.options.signing_key = key
    return second


@pytest.mark.parametrize(("pin", "started"), [("2468", True), ("1111", False)])
def test_the_proctor_decides_with_the_pin(
    qtbot: QtBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    answer_dialogs_yes: list[str],
    pin: str,
    started: bool,
) -> None:
    h = altered_attempt(qtbot, tmp_path, Ed25519PrivateKey.generate())
    asked = Asked(Decision.START_ANEW)
    monkeypatch.setattr(journal_finding, "ask_journal_decision", asked)
    prompts: list[str] = []
    ProctorControls(
        h.window, PinHash.create("2468"), ask=lambda _, p: prompts.append(p) or pin, kiosk=False
    )
    h.check_in("cand-1")
    assert "record" in asked.findings[0].problem and asked.findings[0].can_resume
    assert prompts == ["To start the attempt anew, enter the proctor PIN."]
    session = h.window.session
    if started:
        assert session is not None and "Attempt 2 on this machine" in answer_dialogs_yes
        assert [i["kind"] for i in session.core.incidents] == ["retake", "journal_altered"]
        assert session.response("q-view") is None
    else:
        assert session is None and "This attempt cannot be opened" in answer_dialogs_yes


def test_without_a_proctor_a_signed_attempt_is_refused_unasked(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, answer_dialogs_yes: list[str]
) -> None:
    h = altered_attempt(qtbot, tmp_path, Ed25519PrivateKey.generate())
    asked = Asked(Decision.RESUME_INTACT)
    monkeypatch.setattr("casebook_player.ui.app.ask_journal_decision", asked)
    h.check_in("cand-1")
    assert asked.findings == [] and h.window.session is None
    assert "This attempt cannot be opened" in answer_dialogs_yes


def test_a_practice_journal_is_decided_by_its_user(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, answer_dialogs_yes: list[str]
) -> None:
    h = altered_attempt(qtbot, tmp_path)
    asked = Asked(Decision.RESUME_INTACT)
    monkeypatch.setattr("casebook_player.ui.app.ask_journal_decision", asked)
    h.check_in("cand-1")
    assert len(asked.findings) == 1
    session = h.window.session
    assert session is not None and "Resuming your attempt" in answer_dialogs_yes
    # The edited record was the answer's own: the attempt goes on from just before it.
    assert session.response("q-view") is None
    kinds = [incident["kind"] for incident in session.core.incidents]
    assert kinds[-2:] == ["journal_altered", "restart"]  # found altered, then resumed
