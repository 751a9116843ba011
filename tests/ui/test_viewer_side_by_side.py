"""Two media side by side, each in its own pane and player, when the viewer has the room."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QSplitter, QWidget
from pytestqt.qtbot import QtBot
from test_viewer import clip, png, still
from uiharness import make_harness

from casebook_player.core.case.model import Media, Region
from casebook_player.media.fake_player import FakePlayer
from casebook_player.ui.viewer import UltrasoundViewer

WIDE = (1000, 600)
NARROW = (560, 600)
LEFT = Qt.MouseButton.LeftButton
LUNG = Path(__file__).resolve().parents[2] / "cases" / "lung-pneumothorax"


@pytest.fixture
def first() -> FakePlayer:
    return FakePlayer(duration_for=lambda _: 2_000)


@pytest.fixture
def second() -> FakePlayer:
    return FakePlayer(duration_for=lambda _: 2_000)


@pytest.fixture
def viewer(qtbot: QtBot, first: FakePlayer, second: FakePlayer) -> Iterator[UltrasoundViewer]:
    view = UltrasoundViewer(first, second)
    qtbot.addWidget(view)
    view.resize(*WIDE)
    view.show()
    yield view
    view.clear()


def two_clips(folder: Path) -> list[Media]:
    return [
        clip(folder, "left", "left.mp4", label="Left anterior chest", size=(640, 480)),
        clip(folder, "right", "right.mp4", label="Right anterior chest", size=(640, 480)),
    ]


def resize(viewer: UltrasoundViewer, size: tuple[int, int]) -> None:
    viewer.resize(*size)
    QApplication.processEvents()


def test_two_clips_play_side_by_side_each_with_label_and_play_button(
    qtbot: QtBot, viewer: UltrasoundViewer, first: FakePlayer, second: FakePlayer, tmp_path: Path
) -> None:
    left, right = two_clips(tmp_path)
    viewer.show_media([left, right])
    assert viewer.is_side_by_side()
    assert not viewer._tabs.isVisibleTo(viewer)
    panes = viewer.panes()
    assert len(panes) == 2 and all(p.isVisibleTo(viewer) for p in panes)
    assert [p.caption.text() for p in panes] == ["Left anterior chest", "Right anterior chest"]
    assert first.path == left.path and second.path == right.path
    assert first.is_playing() and second.is_playing() and first.loop and second.loop
    assert panes[0].geometry().right() < panes[1].geometry().left()  # beside, not on top
    assert min(p.canvas.width() for p in panes) >= 300
    qtbot.mouseClick(panes[1].play_button, LEFT)  # each pane's own play/pause
    assert first.is_playing() and not second.is_playing()
    assert viewer.current_media() is right  # the pane last used is the one the keys act on
    assert panes[1].is_highlighted() and not panes[0].is_highlighted()
    viewer.toggle_play()
    assert second.is_playing()
    panes[0].play_button.setFocus()
    viewer.toggle_play()
    assert not first.is_playing() and second.is_playing()
    qtbot.mouseClick(panes[1].canvas, LEFT)  # a click on a picture turns to it too
    assert viewer.current_media() is right


def test_a_narrow_viewer_keeps_tabs_and_the_second_player_is_only_reused(
    viewer: UltrasoundViewer, first: FakePlayer, second: FakePlayer, tmp_path: Path
) -> None:
    left, right = two_clips(tmp_path)
    viewer.show_media([left, right])
    resize(viewer, NARROW)
    assert not viewer.is_side_by_side()
    assert viewer._tabs.isVisibleTo(viewer) and len(viewer.panes()) == 1
    assert second.path is None and second.call_names()[-1] == "close"  # closed, not destroyed
    assert first.path == left.path
    viewer.select_media("right")
    assert first.path == right.path
    resize(viewer, WIDE)
    assert viewer.is_side_by_side()
    assert (first.path, second.path) == (left.path, right.path)
    assert viewer.current_media() is right  # the selection is kept


def test_without_a_second_player_two_media_take_tabs(
    qtbot: QtBot, first: FakePlayer, tmp_path: Path
) -> None:
    view = UltrasoundViewer(first)
    qtbot.addWidget(view)
    view.resize(*WIDE)
    view.show()
    view.show_media(two_clips(tmp_path))
    assert not view.is_side_by_side() and view._tabs.isVisibleTo(view)
    view.clear()


def test_three_media_take_tabs(viewer: UltrasoundViewer, tmp_path: Path) -> None:
    viewer.show_media([*two_clips(tmp_path), still(png(tmp_path, "a.png"))])
    assert not viewer.is_side_by_side() and viewer._tabs.isVisibleTo(viewer)


def test_marking_applies_on_the_target_pane_only(
    qtbot: QtBot, viewer: UltrasoundViewer, first: FakePlayer, second: FakePlayer, tmp_path: Path
) -> None:
    left, right = two_clips(tmp_path)
    viewer.show_media([left, right])
    viewer.set_mode("hotspot", "right")
    left_pane, right_pane = viewer.panes()
    assert viewer.current_media() is right and viewer.canvas is right_pane.canvas
    assert right_pane.canvas.mode() == "hotspot" and left_pane.canvas.mode() == "view"
    assert first.is_playing() and not second.is_playing()  # only the clip to mark pauses
    with qtbot.assertNotEmitted(viewer.hotspot_placed, wait=10):
        qtbot.mouseClick(left_pane.canvas, LEFT, pos=left_pane.canvas.rect().center())
    centre = right_pane.canvas.image_rect().center().toPoint()
    with qtbot.waitSignal(viewer.hotspot_placed) as placed:
        qtbot.mouseClick(right_pane.canvas, LEFT, pos=centre)
    assert placed.args == pytest.approx([320, 240], abs=3)  # in the declared size
    viewer.set_hotspot(10, 20)
    assert right_pane.canvas.marker() == (10.0, 20.0) and left_pane.canvas.marker() is None


def test_marks_move_with_their_picture_when_the_arrangement_changes(
    viewer: UltrasoundViewer, tmp_path: Path
) -> None:
    left = still(png(tmp_path, "a.png"), "left", pixel_spacing_mm=0.5)
    right = still(png(tmp_path, "b.png"), "right", pixel_spacing_mm=0.5)
    viewer.show_media([left, right])
    viewer.set_mode("measure", "right")
    viewer.set_calipers([10, 10], [60, 10])
    assert viewer.panes()[1].canvas.calipers() == ((10.0, 10.0), (60.0, 10.0))
    resize(viewer, NARROW)
    assert viewer.calipers() == ((10.0, 10.0), (60.0, 10.0))
    assert viewer.canvas.mode() == "measure" and viewer.current_media() is right
    resize(viewer, WIDE)
    left_pane, right_pane = viewer.panes()
    assert right_pane.canvas.calipers() == ((10.0, 10.0), (60.0, 10.0))
    assert left_pane.canvas.calipers() is None and left_pane.canvas.mode() == "view"
    assert viewer.distance_text() == "25.0 mm"


def test_key_regions_show_on_the_target_picture_only(
    viewer: UltrasoundViewer, tmp_path: Path
) -> None:
    viewer.show_media(
        [still(png(tmp_path, "a.png"), "left"), still(png(tmp_path, "b.png"), "right")]
    )
    region = Region("r", center=(20.0, 20.0), radius=5.0)
    viewer.set_mode("hotspot", "left")
    viewer.set_key_regions([region])
    left_pane, right_pane = viewer.panes()
    assert left_pane.canvas.key_regions() == (region,)
    viewer.set_mode("hotspot", "right")  # the next item is on the other picture
    viewer.set_key_regions([region])
    assert left_pane.canvas.key_regions() == () and right_pane.canvas.key_regions() == (region,)


def test_a_failed_clip_beside_another_is_reported_once(
    qtbot: QtBot, viewer: UltrasoundViewer, second: FakePlayer, tmp_path: Path
) -> None:
    left, right = two_clips(tmp_path)
    second.fail_paths.add(right.path)
    with qtbot.waitSignal(viewer.media_failed) as failed:
        viewer.show_media([left, right])
    assert failed.args[0] == str(right.path)
    assert "cannot be played" in viewer.panes()[1].canvas.message()
    with qtbot.assertNotEmitted(viewer.media_failed, wait=10):
        resize(viewer, NARROW)
        viewer.select_media("right")
        resize(viewer, WIDE)
    assert "cannot be played" in viewer.panes()[1].canvas.message()


def test_side_by_side_never_stops_a_splitter_narrowing_the_viewer(
    qtbot: QtBot, first: FakePlayer, second: FakePlayer, tmp_path: Path
) -> None:
    splitter = QSplitter()
    viewer = UltrasoundViewer(first, second)
    splitter.addWidget(viewer)
    splitter.addWidget(QWidget())
    qtbot.addWidget(splitter)
    splitter.resize(1500, 600)
    splitter.show()
    splitter.setSizes([1200, 300])
    viewer.show_media(two_clips(tmp_path))
    QApplication.processEvents()
    assert viewer.is_side_by_side()
    splitter.setSizes([500, 1000])
    QApplication.processEvents()
    assert viewer.width() <= 560 and not viewer.is_side_by_side()
    viewer.clear()


def test_the_lung_case_shows_both_anterior_clips_side_by_side(qtbot: QtBot, tmp_path: Path) -> None:
    h = make_harness(qtbot, LUNG, tmp_path)
    h.window.resize(1280, 800)
    h.check_in()
    assert h.window.session is not None
    h.window.session.jump_to_key_point("kp-anterior")
    QApplication.processEvents()
    viewer = h.window.key_point_screen.viewer
    assert viewer.is_side_by_side()
    assert h.clips.path is not None and h.clips.path.name == "left_anterior.mp4"
    assert h.second_clips.path is not None and h.second_clips.path.name == "right_anterior.mp4"
    assert viewer.current_media().id == "left-anterior"  # type: ignore[union-attr]
    h.window.key_point_screen.leave()
    assert h.clips.path is None and h.second_clips.path is None
