"""The encounter screen: a transcript of only what was heard, captions clear of the picture,
and controls that fit a small window."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from uiharness import Harness, fake_duration, make_harness

from casebook_player.core.captions import read_vtt
from casebook_player.media.fake_player import FakePlayer
from casebook_player.ui.encounter import EncounterScreen
from casebook_player.ui.preview import PreviewWindow

LUNG = Path("cases/lung-pneumothorax")
FIRST_KEY_POINT_S = 53.64  # kp-before-scan in the lung case's history segment


def rows(encounter: EncounterScreen) -> list[str]:
    transcript = encounter.transcript
    return [transcript.item(i).text() for i in range(transcript.count())]


def shows(encounter: EncounterScreen, text: str) -> bool:
    return any(text in row for row in rows(encounter))


def play_to(h: Harness, seconds: float) -> None:
    h.narration.advance(round(seconds * 1000) - h.narration.position())


def test_the_transcript_shows_only_what_the_narration_has_reached(
    qtbot: QtBot, tmp_path: Path
) -> None:
    h = make_harness(qtbot, LUNG, tmp_path)
    cues = read_vtt(h.case.segment("history").captions)
    h.check_in()
    encounter = h.window.encounter
    play_to(h, 50.0)
    assert len(rows(encounter)) == 7
    later = [cue.text for cue in cues if cue.start > 50.0]
    assert later and not any(shows(encounter, text) for text in later)
    play_to(h, 51.0)
    assert shows(encounter, "You decide to scan his chest")
    qtbot.keyClick(h.window, Qt.Key.Key_J)  # back 10 s: what was heard stays
    assert h.narration.position() < 42_000 and len(rows(encounter)) == 8
    qtbot.keyClick(h.window, Qt.Key.Key_R)  # replay from the start: the same
    assert h.narration.position() == 0 and len(rows(encounter)) == 8
    h.play_until_stop()
    assert h.window.session is not None
    assert h.window.session.timeline.state.key_point_id == "kp-before-scan"
    assert not shows(encounter, "You pick up the linear probe")  # after the key point
    h.window.key_point_screen.go_next()
    h.window.key_point_screen.go_next()
    assert h.window.stack.currentWidget() is encounter
    h.narration.advance(400)
    assert shows(encounter, "You pick up the linear probe")
    assert encounter.transcript.accessibleName() == "Transcript"


def test_a_resumed_attempt_shows_the_transcript_heard_before(qtbot: QtBot, tmp_path: Path) -> None:
    first = make_harness(qtbot, LUNG, tmp_path)
    first.check_in("cand-7")
    play_to(first, 51.0)
    assert first.window.session is not None
    first.window.session.record_incident("note", "saved with where the narration was")
    first.crash()
    second = make_harness(qtbot, LUNG, tmp_path)
    second.check_in("cand-7")
    assert second.narration.position() == 0  # narration restarts from the segment's start
    assert len(rows(second.window.encounter)) == 8


def test_the_preview_shows_every_cue_except_in_candidate_view(qtbot: QtBot, tmp_path: Path) -> None:
    narration = FakePlayer(duration_for=fake_duration)
    preview = PreviewWindow(LUNG, narration, FakePlayer(duration_for=fake_duration))
    qtbot.addWidget(preview)
    assert preview.player is not None
    encounter = preview.player.encounter
    cues = read_vtt(preview.player.case.segment("history").captions)
    assert len(rows(encounter)) == len(cues)
    narration.advance(8000)
    preview.candidate_view.setChecked(True)
    assert len(rows(encounter)) == 2
    preview.candidate_view.setChecked(False)
    assert len(rows(encounter)) == len(cues)
