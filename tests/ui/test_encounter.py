"""The encounter screen: a transcript of only what was heard, captions clear of the picture,
and controls that fit a small window."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage
from pytestqt.qtbot import QtBot
from uiharness import Harness, fake_duration, make_harness

from casebook_player.core.case.captions import read_cues
from casebook_player.media.fake_player import FakePlayer
from casebook_player.ui.encounter import POSTER_DESCRIPTION, CaptionedView, EncounterScreen
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
    cues = read_cues(h.case.segment("history").captions)
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
    assert h.window.session.core.timeline.state.key_point_id == "kp-before-scan"
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
    cues = read_cues(preview.player.case.segment("history").captions)
    assert len(rows(encounter)) == len(cues)
    narration.advance(8000)
    preview.candidate_view.setChecked(True)
    assert len(rows(encounter)) == 2
    preview.candidate_view.setChecked(False)
    assert len(rows(encounter)) == len(cues)


def captioned(qtbot: QtBot, width: int, height: int, position: str) -> CaptionedView:
    view = CaptionedView()
    qtbot.addWidget(view)
    view.resize(width, height)
    view.caption_position = position
    picture = QImage(640, 480, QImage.Format.Format_RGB32)
    picture.fill(QColor("grey"))
    view.set_image(picture)
    view.set_caption("Burned-in labels at the foot of the picture stay readable")
    return view


def caption_pixels(view: CaptionedView) -> tuple[int, int]:
    """White caption text pixels drawn over the picture, and below it."""
    image = view.grab().toImage()
    picture = view.image_rect().toRect()
    over = below = 0
    for y in range(0, image.height(), 2):
        for x in range(0, image.width(), 2):
            if image.pixelColor(x, y).lightnessF() > 0.95:
                if picture.contains(x, y):
                    over += 1
                else:
                    below += 1
    return over, below


def test_captions_below_keep_the_whole_picture_clear(qtbot: QtBot) -> None:
    view = captioned(qtbot, 640, 480, "below")
    band = view.caption_band()
    assert band > 0
    assert view.image_rect().bottom() <= view.height() - band
    over, below = caption_pixels(view)
    assert over == 0 and below > 0


def test_captions_over_are_drawn_on_the_picture(qtbot: QtBot) -> None:
    view = captioned(qtbot, 640, 480, "over")
    assert view.caption_band() == 0
    over, below = caption_pixels(view)
    assert over > 0 and below == 0


def test_auto_puts_captions_below_only_when_the_picture_keeps_most_of_its_size(
    qtbot: QtBot,
) -> None:
    tall = captioned(qtbot, 640, 600, "auto")  # letterboxed: room under the picture
    assert tall.caption_band() > 0 and caption_pixels(tall)[0] == 0
    small = captioned(qtbot, 320, 240, "auto")  # a band would cost the picture a fifth
    assert small.caption_band() == 0 and caption_pixels(small)[0] > 0


def test_hidden_captions_give_their_band_back_to_the_picture(qtbot: QtBot) -> None:
    view = captioned(qtbot, 640, 480, "below")
    smaller = view.image_rect().height()
    view.captions_visible = False
    assert view.image_rect().height() > smaller


def test_the_segment_sets_the_caption_position_and_the_picture_is_described(
    qtbot: QtBot, tmp_path: Path
) -> None:
    h = make_harness(qtbot, LUNG, tmp_path)
    h.check_in()
    view = h.window.encounter.view
    assert view.caption_position == "auto"  # the lung case leaves it to the window
    assert view.accessibleDescription().startswith(POSTER_DESCRIPTION)
    play_to(h, 5.0)
    assert view.caption and view.accessibleDescription().endswith(view.caption)
