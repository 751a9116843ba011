"""Item-writer preview: outline jumps, keys shown, live reload from disk within a second,
check scoring."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from casefactory import case_data, write_case
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTreeWidgetItem
from pytestqt.qtbot import QtBot
from uiharness import fake_duration

from casebook_player.core.session.timeline import Phase
from casebook_player.media.fake_player import FakePlayer
from casebook_player.ui.preview import PreviewWindow


@pytest.fixture
def preview(qtbot: QtBot, tmp_path: Path) -> PreviewWindow:
    write_case(tmp_path / "case")
    window = PreviewWindow(
        tmp_path / "case", FakePlayer(duration_for=fake_duration), FakePlayer(fake_duration)
    )
    qtbot.addWidget(window)
    window.show()
    return window


def outline_rows(window: PreviewWindow) -> list[str]:
    rows = []
    for i in range(window.outline.topLevelItemCount()):
        segment = window.outline.topLevelItem(i)
        rows.append(segment.text(0))
        for j in range(segment.childCount()):
            kp = segment.child(j)
            rows.append(kp.text(0))
            rows += [kp.child(k).text(0) for k in range(kp.childCount())]
    return rows


def find_row(window: PreviewWindow, text: str) -> QTreeWidgetItem:
    flags = Qt.MatchFlag.MatchContains | Qt.MatchFlag.MatchRecursive
    found = window.outline.findItems(text, flags)
    assert found, text
    return found[0]


def test_outline_lists_segments_key_points_and_items(preview: PreviewWindow) -> None:
    rows = outline_rows(preview)
    assert rows[0].startswith("▶ intro")
    assert "RUQ  @ 3.00 s" in rows
    assert "q-order · ordering · 3 pt" in rows
    assert len(rows) == 3 + 4 + 6


def test_jump_to_any_key_point_and_item(preview: PreviewWindow) -> None:
    player = preview.player
    assert player is not None and player.session is not None
    preview._jump(find_row(preview, "Order  @ 6.00 s"))
    assert player.session.core.timeline.state.key_point_id == "kp3"
    assert player.stack.currentWidget() is player.key_point_screen
    assert ("seek", 6000) in preview.narration.calls  # type: ignore[attr-defined]
    preview._jump(find_row(preview, "q-signs · multiple"))
    assert player.session.core.timeline.state.key_point_id == "kp1"
    assert player.session.core.timeline.state.item_index == 1
    assert list(player.key_point_screen.widgets) == ["q-signs"]
    preview._jump(find_row(preview, "▶ shock"))
    assert player.session.core.timeline.phase is Phase.NARRATION
    assert player.session.core.timeline.state.segment_id == "shock"


def test_keys_are_shown_unless_candidate_view(preview: PreviewWindow) -> None:
    player = preview.player
    assert player is not None
    preview._jump(find_row(preview, "RUQ  @"))
    widget = player.key_point_screen.widgets["q-view"]
    key_panel = widget.key_panel
    assert player.key_point_screen.show_keys and key_panel.isVisibleTo(widget)
    assert "Because." in key_panel.text()
    preview.candidate_view.setChecked(True)
    assert not player.key_point_screen.show_keys and not key_panel.isVisibleTo(widget)
    preview.candidate_view.setChecked(False)
    assert key_panel.isVisibleTo(widget)


def test_saving_the_script_reloads_it_keeping_the_position(
    preview: PreviewWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    player = preview.player
    assert player is not None and player.session is not None
    preview._jump(find_row(preview, "Order  @"))
    data = case_data()
    data["segments"][1]["key_points"][1]["title"] = "Order of the views"
    (tmp_path / "case" / "case.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    qtbot.waitUntil(
        lambda: "Order of the views" in player.key_point_screen.title.text(), timeout=1000
    )
    assert player.session.core.timeline.state.key_point_id == "kp3"


def test_problems_replace_the_case_until_fixed(
    preview: PreviewWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    script = tmp_path / "case" / "case.yaml"
    good = script.read_text()
    script.write_text(good.replace("cut_score: 60", "cut_score: 600"))
    qtbot.waitUntil(lambda: preview.pages.currentIndex() == 0, timeout=1000)
    problems = [preview.problems.item(i).text() for i in range(preview.problems.count())]
    assert len(problems) == 1
    assert (
        problems[0].startswith(f"{script}:9:") and "cut_score: 600 is greater than" in problems[0]
    )
    script.write_text(good)
    qtbot.waitUntil(lambda: preview.pages.currentWidget() is preview.player, timeout=1000)


def test_caption_file_changes_reload_too(
    preview: PreviewWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    captions = tmp_path / "case" / "media" / "intro.vtt"
    captions.write_text("WEBVTT\n\n00:00:01.000 -> broken\nx\n")
    qtbot.waitUntil(lambda: preview.pages.currentIndex() == 0, timeout=1000)
    assert "intro.vtt" in preview.problems.item(0).text()


def test_check_scoring_simulates_key_and_blank(preview: PreviewWindow) -> None:
    text = preview.check_scoring()
    assert "With the key:" in text and "100.0 %" in text and "PASS" in text
    assert "Blank:" in text and "0.0 %" in text and "FAIL" in text
