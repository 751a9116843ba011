"""Play a case to the end in the window, by mouse and keyboard, and compare with simulate."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest
import yaml
from casefactory import write_case
from PySide6.QtCore import QPoint, QPointF, Qt
from pytestqt.qtbot import QtBot
from uiharness import Harness, make_harness

from casebook_player.cli import main
from casebook_player.core.session.timeline import Phase
from casebook_player.ui.items import (
    MultipleItemWidget,
    OrderingItemWidget,
    SingleItemWidget,
)

LEFT = Qt.MouseButton.LeftButton


@pytest.fixture
def harness(qtbot: QtBot, tmp_path: Path) -> Harness:
    write_case(tmp_path / "case")
    return make_harness(qtbot, tmp_path / "case", tmp_path)


def widget_point(harness: Harness, x: float, y: float) -> QPoint:
    canvas = harness.window.key_point_screen.viewer.canvas
    return canvas.to_widget(QPointF(x, y)).toPoint()


def test_play_to_the_end_by_mouse_and_keyboard_equals_simulate(
    harness: Harness, tmp_path: Path
) -> None:
    h, w, qtbot = harness, harness.window, harness.qtbot
    h.check_in("cand-9")
    assert w.stack.currentWidget() is w.encounter
    h.play_until_stop()
    # Key point 1 (sequential): single by mouse, multiple by keyboard.
    assert w.stack.currentWidget() is w.key_point_screen
    assert ("seek", 3000) in h.narration.calls  # shown exactly at the key-point frame
    kp = w.key_point_screen
    single = kp.widgets["q-view"]
    assert isinstance(single, SingleItemWidget)
    qtbot.mouseClick(single.button("B"), LEFT)
    qtbot.keyClick(w, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    multiple = kp.widgets["q-signs"]
    assert isinstance(multiple, MultipleItemWidget)
    qtbot.mouseClick(multiple.button("A"), LEFT)
    qtbot.mouseClick(multiple.button("C"), LEFT)
    qtbot.mouseClick(kp.next_button, LEFT)
    assert w.stack.currentWidget() is w.encounter
    h.play_until_stop()  # the rest of 'intro', then 'exam' up to kp2
    # Key point 2 (together): a hotspot click and a caliper drag on the same still.
    assert w.session and w.session.core.timeline.state.key_point_id == "kp2"
    canvas = kp.viewer.canvas
    qtbot.mouseClick(canvas, LEFT, pos=widget_point(h, 52, 48))
    measure = kp.widgets["q-measure"]
    qtbot.mouseClick(measure, LEFT)  # this item now owns the image
    start, end = kp.viewer.calipers() or kp.viewer.canvas.shown_calipers() or ((0, 0), (0, 0))
    qtbot.mousePress(canvas, LEFT, pos=widget_point(h, *end))
    qtbot.mouseMove(canvas, widget_point(h, start[0] + 100, start[1]))
    qtbot.mouseRelease(canvas, LEFT, pos=widget_point(h, start[0] + 100, start[1]))
    qtbot.mouseClick(kp.next_button, LEFT)
    h.play_until_stop()
    # Key point 3: ordering by keyboard (select a row, Alt+Down).
    ordering = kp.widgets["q-order"]
    assert isinstance(ordering, OrderingItemWidget)
    ordering.list.setFocus()
    ordering.list.setCurrentRow(0)
    qtbot.keyClick(ordering.list, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    qtbot.mouseClick(kp.next_button, LEFT)
    h.play_until_stop()
    # Review (nothing left), finish, result.
    assert w.stack.currentWidget() is w.review
    qtbot.mouseClick(w.review.finish_button, LEFT)
    assert w.session.core.timeline.phase is Phase.ENDED
    assert w.stack.currentWidget() is w.result

    responses = w.session.core.timeline.responses()
    assert set(responses) == {"q-view", "q-signs", "q-spot", "q-measure", "q-order"}
    assert responses["q-view"] == "B" and responses["q-signs"] == ["A", "C"]
    assert responses["q-spot"] == pytest.approx({"x": 52, "y": 48}, abs=0.5)
    length = responses["q-measure"]["to"][0] - responses["q-measure"]["from"][0]
    assert length == pytest.approx(100, abs=0.5)
    answers = tmp_path / "answers.yaml"
    answers.write_text(yaml.safe_dump(responses))
    out = tmp_path / "simulated.json"
    assert (
        main(["simulate", str(h.case.folder), "--responses", str(answers), "--out", str(out)]) == 0
    )
    simulated = json.loads(out.read_text())
    played = w.session.result()
    for key in ("raw", "max", "percent", "passed", "domains", "path"):
        assert played[key] == simulated[key], key
    assert [r["points"] for r in played["responses"]] == [
        r["points"] for r in simulated["responses"]
    ]
    earned = {r["item"]: r["points"] for r in played["responses"]}
    assert earned["q-spot"] == 1 and earned["q-measure"] == 1 and earned["q-signs"] == 2
    report = w.export_report(tmp_path / "report.pdf")
    assert report is not None and report.read_bytes().startswith(b"%PDF")
    saved = list((tmp_path / "results").glob("test-case--cand-9--*.json"))
    assert len(saved) == 1 and json.loads(saved[0].read_text())["percent"] == played["percent"]


def test_cannot_seek_past_the_furthest_point(harness: Harness) -> None:
    harness.check_in()
    harness.narration.advance(1000)
    session = harness.window.session
    assert session is not None
    assert session.seek(8.0) == pytest.approx(1.0, abs=0.05)
    harness.window.encounter.skip(10)
    assert session.core.timeline.state.position <= 1.05


def test_narration_is_asked_for_pictures_no_larger_than_its_view(harness: Harness) -> None:
    harness.check_in()
    view = harness.window.encounter.view
    ratio = view.devicePixelRatioF()
    harness.window.resize(900, 700)
    harness.qtbot.waitUntil(lambda: view.width() < 900)
    sizes = [call[1:] for call in harness.narration.calls if call[0] == "set_view_size"]
    assert sizes[-1] == (math.ceil(view.width() * ratio), math.ceil(view.height() * ratio))
    assert "set_view_size" not in harness.clips.call_names()  # clips are zoomed: full size


def test_missing_clip_shows_a_message_and_the_candidate_can_answer(harness: Harness) -> None:
    (harness.case.folder / "media" / "clip.mp4").unlink()
    harness.check_in()
    harness.play_until_stop()
    kp = harness.window.key_point_screen
    assert "cannot be played" in kp.viewer.canvas.message()
    harness.qtbot.mouseClick(kp.widgets["q-view"].button("A"), LEFT)  # type: ignore[attr-defined]
    session = harness.window.session
    assert session is not None and session.response("q-view") == "A"
    assert any(i["kind"] == "media_error" for i in session.core.incidents)


def test_time_running_out_ends_the_case_and_scores_unanswered_as_zero(
    qtbot: QtBot, tmp_path: Path
) -> None:
    from casefactory import case_data

    data = case_data()
    data["time_limit_minutes"] = 0.01  # 0.6 s
    write_case(tmp_path / "case", data)
    h = make_harness(qtbot, tmp_path / "case", tmp_path)
    h.check_in()
    session = h.window.session
    assert session is not None
    qtbot.waitUntil(lambda: session.core.timeline.phase is Phase.ENDED, timeout=5000)
    result = session.result()
    assert result["end_reason"] == "time_up" and result["percent"] == 0
    assert h.window.stack.currentWidget() is h.window.result
    assert len(result["responses"]) == 5  # the default path's items, unanswered


def test_narration_that_cannot_be_played_offers_to_continue(harness: Harness) -> None:
    intro = harness.case.segment("intro").media
    harness.narration.fail_paths.add(intro)
    harness.check_in()
    w = harness.window
    assert "The narration cannot be played" in w.encounter.view.message()
    assert w.encounter.continue_button.isVisible()
    harness.qtbot.mouseClick(w.encounter.continue_button, LEFT)
    assert w.session is not None and w.session.core.timeline.state.key_point_id == "kp1"
    assert [i["kind"] for i in w.session.core.incidents] == ["media_error"]


def _flow(document: dict[str, Any]) -> dict[str, Any]:
    """What a flow decides, without the times it took."""
    return {
        "end_reason": document["end_reason"],
        "path": document["path"],
        "responses": [(r["item"], r["response"], r["points"]) for r in document["responses"]],
        "incidents": [(i["kind"], i["note"]) for i in document["incidents"]],
        "percent": document["percent"],
    }


def _simulated(case_dir: Path, tmp_path: Path, script: dict[str, Any]) -> dict[str, Any]:
    file = tmp_path / "script.yaml"
    file.write_text(yaml.safe_dump(script))
    out = tmp_path / "simulated.json"
    assert main(["simulate", str(case_dir), "--responses", str(file), "--out", str(out)]) == 0
    return json.loads(out.read_text())


def test_window_and_simulate_agree_on_a_proctor_pause_extra_time_and_ending(
    harness: Harness, tmp_path: Path
) -> None:
    h, w = harness, harness.window
    h.check_in()
    h.play_until_stop()
    session = w.session
    assert session is not None and session.key_point is not None
    # At kp1, before answering: what a proctor does from the proctor menu.
    session.pause_attempt()
    session.resume_attempt()
    session.add_time(10)
    session.respond("q-view", "B")
    session.next_item()
    session.respond("q-signs", ["A", "C"])
    session.next_item()
    h.play_until_stop()
    assert session.key_point is not None and session.key_point.id == "kp2"
    session.end_by_proctor("fire alarm")
    assert w.stack.currentWidget() is w.result

    script = {
        "responses": {"q-view": "B", "q-signs": ["A", "C"]},
        "events": [
            {"at": "kp1", "pause": 60},
            {"at": "kp1", "add_time": 10},
            {"at": "kp2", "end": "fire alarm"},
        ],
    }
    simulated = _simulated(h.case.folder, tmp_path, script)
    assert _flow(session.result()) == _flow(simulated)
    assert [kind for kind, _ in _flow(simulated)["incidents"]] == [
        "proctor_pause",
        "proctor_resume",
        "extra_time",
        "ended_by_proctor",
    ]


def test_window_and_simulate_agree_when_time_runs_out(qtbot: QtBot, tmp_path: Path) -> None:
    from casefactory import case_data

    data = case_data()
    data["time_limit_minutes"] = 0.01  # 0.6 s: out before the first key point
    write_case(tmp_path / "case", data)
    h = make_harness(qtbot, tmp_path / "case", tmp_path)
    h.check_in()
    session = h.window.session
    assert session is not None
    qtbot.waitUntil(lambda: session.phase is Phase.ENDED, timeout=5000)
    simulated = _simulated(tmp_path / "case", tmp_path, {"responses": {}})
    assert _flow(session.result()) == _flow(simulated)
    assert _flow(simulated)["end_reason"] == "time_up"
