"""Every sample case plays to the end in the window (fake media clock), scoring 100 % with
the key: the player and the library agree."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from uiharness import make_harness

from casebook_player.core.session.responses import key_response
from casebook_player.core.session.scoring import measurement_spacing
from casebook_player.core.session.timeline import Phase

CASES = sorted(p.parent for p in (Path(__file__).parents[2] / "cases").glob("*/case.yaml"))


@pytest.mark.parametrize("case_dir", CASES, ids=[c.name for c in CASES])
def test_sample_case_plays_to_the_end_with_full_marks(
    qtbot: QtBot, tmp_path: Path, case_dir: Path
) -> None:
    h = make_harness(qtbot, case_dir, tmp_path)
    h.check_in("library")
    session = h.window.session
    assert session is not None
    seen_key_points = []
    for _ in range(500):
        phase = session.core.timeline.phase
        if phase is Phase.ENDED:
            break
        if phase is Phase.NARRATION:
            h.play_until_stop()
        elif phase is Phase.KEY_POINT:
            kp = session.core.timeline.key_point
            assert kp is not None and h.window.stack.currentWidget() is h.window.key_point_screen
            seen_key_points.append(kp.id)
            for item_id, widget in h.window.key_point_screen.widgets.items():
                item = session.case.item(item_id)
                assert session.respond(
                    item_id, key_response(item, measurement_spacing(session.case, item))
                )
                assert widget.response() is not None
            qtbot.mouseClick(h.window.key_point_screen.next_button, Qt.MouseButton.LeftButton)
        elif phase is Phase.REVIEW:
            assert session.core.timeline.unanswered() == ()
            qtbot.mouseClick(h.window.review.finish_button, Qt.MouseButton.LeftButton)
    result = session.result()
    assert result["percent"] == 100.0 and result["passed"], result["responses"]
    assert len(seen_key_points) >= 4
    assert h.window.stack.currentWidget() is h.window.result
