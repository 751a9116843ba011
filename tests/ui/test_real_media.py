"""The window with the real Qt Multimedia backend: narration plays and stops at the key
point; a clip that cannot be decoded shows a message and the candidate can still answer."""

from __future__ import annotations

from pathlib import Path

from casefactory import write_case
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from casebook_player.core.case.loader import load_case
from casebook_player.core.session.timeline import Phase
from casebook_player.media.backends import create_player
from casebook_player.ui.app import PlayerOptions, build_window


def test_real_narration_stops_at_the_key_point(qtbot: QtBot, tmp_path: Path) -> None:
    write_case(tmp_path / "case")  # 10 s WAV narration, key point at 3 s
    case = load_case(tmp_path / "case")
    # The clip is damaged after validation (a disk error, a copy cut short).
    (tmp_path / "case" / "media" / "clip.mp4").write_bytes(b"\x00\x00\x00\x18ftypisom")
    narration = create_player("qt")
    clips = create_player("qt", audio=False)
    options = PlayerOptions(journal_dir=tmp_path / "j", results_dir=tmp_path / "r")
    window = build_window(case, narration, clips, options)
    qtbot.addWidget(window)
    window.show()
    window.checkin.candidate_id.setText("real")
    window.checkin.start_button.click()
    session = window.session
    assert session is not None and narration.name == "qt"
    qtbot.waitUntil(lambda: window.encounter.view.caption == "The patient arrives.", timeout=5000)
    qtbot.waitUntil(lambda: session.core.timeline.phase is Phase.KEY_POINT, timeout=10000)
    assert abs(narration.position() - 3000) <= 40  # the key-point frame (one 25 fps frame)
    kp_screen = window.key_point_screen
    qtbot.waitUntil(lambda: "cannot be played" in kp_screen.viewer.canvas.message(), timeout=5000)
    choice = kp_screen.widgets["q-view"].button("B")  # type: ignore[attr-defined]
    qtbot.mouseClick(choice, Qt.MouseButton.LeftButton)
    assert session.response("q-view") == "B"
    assert any(i["kind"] == "media_error" for i in session.core.incidents)
    narration.close()
    clips.close()
