"""UltrasoundViewer: media shown and switched, marks placed in image pixels, clip controls."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QObject, QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QImage, QKeyEvent, QKeySequence, QShortcut, QWheelEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from casebook_player.core.case.model import Media, MediaKind, Overlay
from casebook_player.media.fake_player import FRAME_SIZE, FakePlayer
from casebook_player.ui.canvas import MediaCanvas
from casebook_player.ui.viewer import UltrasoundViewer

IMAGE_W, IMAGE_H = 200, 100


def png(folder: Path, name: str, width: int = IMAGE_W, height: int = IMAGE_H) -> Path:
    """A grey-scale ramp, so a picture that is shown differs from one that is not."""
    image = QImage(width, height, QImage.Format.Format_Grayscale8)
    for x in range(width):
        grey = QColor(x * 255 // max(1, width - 1), x * 255 // max(1, width - 1), 0)
        for y in range(height):
            image.setPixelColor(x, y, grey)
    path = folder / name
    assert image.save(str(path))
    return path


def still(path: Path, media_id: str = "still", **kwargs: object) -> Media:
    return Media(media_id, MediaKind.IMAGE, path, **kwargs)  # type: ignore[arg-type]


def clip(folder: Path, media_id: str = "clip", name: str = "clip.mp4", **kwargs: object) -> Media:
    path = folder / name
    path.write_bytes(b"")  # the fake player only needs the file to exist
    return Media(media_id, MediaKind.CLIP, path, **kwargs)  # type: ignore[arg-type]


@pytest.fixture
def player() -> FakePlayer:
    return FakePlayer(duration_for=lambda _: 2_000)


@pytest.fixture
def viewer(qtbot: QtBot, player: FakePlayer) -> Iterator[UltrasoundViewer]:
    view = UltrasoundViewer(player)
    qtbot.addWidget(view)
    view.resize(640, 480)
    with qtbot.waitActive(view):  # keyboard tests need the active window
        view.show()
        view.activateWindow()
    yield view
    view.clear()


def fit(canvas: MediaCanvas, width: int = IMAGE_W, height: int = IMAGE_H) -> tuple[float, ...]:
    """Scale and offsets of a picture fitted (letterboxed) into the canvas, at zoom 1."""
    scale = min(canvas.width() / width, canvas.height() / height)
    left = (canvas.width() - width * scale) / 2
    top = (canvas.height() - height * scale) / 2
    return scale, left, top


def at_image(canvas: MediaCanvas, x: float, y: float) -> QPoint:
    scale, left, top = fit(canvas)
    return QPoint(round(left + x * scale), round(top + y * scale))


def press_move_release(canvas: MediaCanvas, start: QPoint, end: QPoint) -> None:
    """A real drag through the window, as a mouse would do it."""
    window = canvas.window().windowHandle()
    a, b = canvas.mapTo(canvas.window(), start), canvas.mapTo(canvas.window(), end)
    no = Qt.KeyboardModifier.NoModifier
    QTest.mousePress(window, Qt.MouseButton.LeftButton, no, a)
    QTest.mouseMove(window, (a + b) / 2)
    QTest.mouseMove(window, b)
    QTest.mouseRelease(window, Qt.MouseButton.LeftButton, no, b)


# -- showing media ------------------------------------------------------------------------------


def test_a_still_is_shown_without_clip_controls(viewer: UltrasoundViewer, tmp_path: Path) -> None:
    media = still(png(tmp_path, "a.png"), label="Aorta, transverse")
    viewer.show_media([media])
    assert viewer.canvas.image().size().toTuple() == (IMAGE_W, IMAGE_H)
    assert viewer.current_media() is media
    assert viewer.current_pane().caption.text() == "Aorta, transverse"
    assert not viewer._tabs.isVisible()  # one picture needs no tabs
    assert not viewer.current_pane().play_button.isEnabled()
    assert not viewer.current_pane().slider.isEnabled()
    assert not viewer.current_pane().back_button.isEnabled()
    assert viewer.current_pane().zoom_in_button.isEnabled()


def test_several_media_get_tabs_and_switch(
    qtbot: QtBot, viewer: UltrasoundViewer, player: FakePlayer, tmp_path: Path
) -> None:
    first = still(png(tmp_path, "a.png"), "a", label="Long axis")
    second = still(png(tmp_path, "b.png", 50, 80), "b")
    third = clip(tmp_path, "c")
    viewer.show_media([first, second, third])
    tabs = viewer._tabs
    assert tabs.isVisible()
    assert [tabs.tabText(i) for i in range(3)] == ["Long axis", "Image 2", "Clip 3"]
    assert tabs.accessibleTabName(1) == "Image 2"
    assert viewer.current_media() is first
    with qtbot.waitSignal(viewer.media_shown) as shown:
        qtbot.mouseClick(tabs, Qt.MouseButton.LeftButton, pos=tabs.tabRect(1).center())
    assert shown.args == ["b"]
    assert viewer.canvas.image().size().toTuple() == (50, 80)
    tabs.setFocus()
    qtbot.keyClick(tabs, Qt.Key.Key_Right)  # the tab bar is reachable by keyboard
    assert viewer.current_media() is third
    assert ("open", third.path) in player.calls
    assert viewer.select_media("a")
    assert player.call_names()[-1] == "close"  # a still needs no clip playing behind it
    assert not viewer.select_media("nope")


def test_mmode_strip_plays_when_it_is_video_and_shows_when_it_is_a_picture(
    viewer: UltrasoundViewer, player: FakePlayer, tmp_path: Path
) -> None:
    strip_png = Media("m1", MediaKind.MMODE, png(tmp_path, "m.png"))
    (tmp_path / "m.mp4").write_bytes(b"")
    strip_mp4 = Media("m2", MediaKind.MMODE, tmp_path / "m.mp4")
    viewer.show_media([strip_png, strip_mp4])
    assert viewer.canvas.image().size().toTuple() == (IMAGE_W, IMAGE_H)
    assert "open" not in player.call_names()
    viewer.select_media("m2")
    assert ("open", strip_mp4.path) in player.calls


def test_overlays_are_drawn_on_the_picture(viewer: UltrasoundViewer, tmp_path: Path) -> None:
    media = still(png(tmp_path, "a.png"), overlays=(Overlay((20, 50), (180, 50), "4.0 cm"),))
    viewer.show_media([media])
    before = viewer.canvas.grab().toImage()
    viewer.show_media([still(media.path)])
    after = viewer.canvas.grab().toImage()
    assert before != after


# -- hotspot --------------------------------------------------------------------------------------


def test_click_in_hotspot_mode_reports_image_pixels_through_the_letterbox(
    qtbot: QtBot, viewer: UltrasoundViewer, tmp_path: Path
) -> None:
    viewer.show_media([still(png(tmp_path, "a.png"))])
    viewer.set_mode("hotspot", "still")
    canvas = viewer.canvas
    scale, left, top = fit(canvas)
    assert top > 0 or left > 0  # the picture is letterboxed in this canvas
    click = at_image(canvas, 150, 30)
    with qtbot.waitSignal(viewer.hotspot_placed) as placed:
        qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=click)
    x, y = placed.args
    assert x == pytest.approx((click.x() - left) / scale, abs=0.1)
    assert y == pytest.approx((click.y() - top) / scale, abs=0.1)
    assert abs(x - 150) < 1 and abs(y - 30) < 1
    assert viewer.hotspot() == (x, y)


def test_click_on_the_black_border_places_nothing(
    qtbot: QtBot, viewer: UltrasoundViewer, tmp_path: Path
) -> None:
    viewer.show_media([still(png(tmp_path, "a.png"))])
    viewer.set_mode("hotspot", None)
    with qtbot.assertNotEmitted(viewer.hotspot_placed, wait=10):
        qtbot.mouseClick(viewer.canvas, Qt.MouseButton.LeftButton, pos=QPoint(2, 2))
    assert viewer.hotspot() is None


def test_click_while_zoomed_maps_to_the_same_image_pixels(
    qtbot: QtBot, viewer: UltrasoundViewer, tmp_path: Path
) -> None:
    viewer.show_media([still(png(tmp_path, "a.png"))])
    viewer.set_mode("hotspot", "still")
    canvas = viewer.canvas
    canvas.set_zoom(2.0)  # centred: the middle half of the picture fills the width
    scale, _, _ = fit(canvas)
    scale *= 2
    left = canvas.width() / 2 - IMAGE_W / 2 * scale
    top = canvas.height() / 2 - IMAGE_H / 2 * scale
    top = min(0.0, max(canvas.height() - IMAGE_H * scale, top)) if top < 0 else top
    click = QPoint(round(left + 110 * scale), round(top + 60 * scale))
    with qtbot.waitSignal(viewer.hotspot_placed) as placed:
        qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=click)
    assert placed.args[0] == pytest.approx(110, abs=0.5)
    assert placed.args[1] == pytest.approx(60, abs=0.5)
    # The mark stays on its image pixel when the zoom changes.
    canvas.reset_zoom()
    assert viewer.hotspot() == tuple(placed.args)
    widget_point = canvas.to_widget(QPointF(*placed.args))
    assert widget_point.x() == pytest.approx(at_image(canvas, 110, 60).x(), abs=1.5)


def test_the_mark_can_be_dragged_and_is_reported_once_per_gesture(
    qtbot: QtBot, viewer: UltrasoundViewer, tmp_path: Path
) -> None:
    viewer.show_media([still(png(tmp_path, "a.png"))])
    viewer.set_mode("hotspot", "still")
    reports: list[tuple[float, float]] = []
    viewer.hotspot_placed.connect(lambda x, y: reports.append((x, y)))
    qtbot.mouseClick(viewer.canvas, Qt.MouseButton.LeftButton, pos=at_image(viewer.canvas, 20, 20))
    press_move_release(
        viewer.canvas, at_image(viewer.canvas, 20, 20), at_image(viewer.canvas, 90, 70)
    )
    assert len(reports) == 2
    assert reports[-1][0] == pytest.approx(90, abs=1)
    assert reports[-1][1] == pytest.approx(70, abs=1)


def test_keyboard_places_and_nudges_the_mark(
    qtbot: QtBot, viewer: UltrasoundViewer, tmp_path: Path
) -> None:
    viewer.show_media([still(png(tmp_path, "a.png"))])
    viewer.set_mode("hotspot", "still")
    canvas = viewer.canvas
    canvas.setFocus()
    reports: list[tuple[float, float]] = []
    viewer.hotspot_placed.connect(lambda x, y: reports.append((x, y)))
    qtbot.keyClick(canvas, Qt.Key.Key_Return)
    assert reports == [(100.0, 50.0)]  # the middle
    qtbot.keyClick(canvas, Qt.Key.Key_Right)
    qtbot.keyClick(canvas, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    assert reports[-1] == (101.0, 60.0)
    with qtbot.assertNotEmitted(viewer.hotspot_placed, wait=10):
        qtbot.keyClick(canvas, Qt.Key.Key_Space)  # Enter/Space place a mark only when none
    assert viewer.hotspot() == (101.0, 60.0)
    for _ in range(8):
        qtbot.keyClick(canvas, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    assert viewer.hotspot() == (101.0, float(IMAGE_H))  # kept on the picture


def test_hotspot_mode_pauses_the_clip_and_reports_in_the_declared_size(
    qtbot: QtBot, viewer: UltrasoundViewer, player: FakePlayer, tmp_path: Path
) -> None:
    media = clip(tmp_path, size=(640, 360))
    viewer.show_media([media])
    assert player.is_playing() and player.loop  # clips autoplay and loop
    viewer.set_mode("hotspot", "clip")
    assert not player.is_playing()
    canvas = viewer.canvas
    assert canvas.image().size().toTuple() == FRAME_SIZE  # the decoder's frames are smaller
    centre = canvas.image_rect().center().toPoint()
    with qtbot.waitSignal(viewer.hotspot_placed) as placed:
        qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=centre)
    assert placed.args[0] == pytest.approx(320, abs=3)
    assert placed.args[1] == pytest.approx(180, abs=3)


class LateStartPlayer(FakePlayer):
    """Like a real backend: reports playing only once playback has started, later."""

    def is_playing(self) -> bool:
        return False


def test_marking_pauses_a_clip_that_has_not_yet_reported_playing(
    qtbot: QtBot, tmp_path: Path
) -> None:
    player = LateStartPlayer(duration_for=lambda _: 2_000)
    view = UltrasoundViewer(player)
    qtbot.addWidget(view)
    view.show_media([clip(tmp_path)])
    assert player.call_names()[-1] == "play"
    view.set_mode("hotspot", "clip")
    assert player.call_names()[-1] == "pause"
    view.clear()


def test_a_click_while_the_clip_plays_pauses_it(
    qtbot: QtBot, viewer: UltrasoundViewer, player: FakePlayer, tmp_path: Path
) -> None:
    viewer.show_media([clip(tmp_path)])
    viewer.set_mode("hotspot", "clip")
    player.play()
    qtbot.mouseClick(viewer.canvas, Qt.MouseButton.LeftButton, pos=viewer.canvas.rect().center())
    assert not player.is_playing()


def test_the_mode_applies_only_on_its_target(
    qtbot: QtBot, viewer: UltrasoundViewer, tmp_path: Path
) -> None:
    viewer.show_media([still(png(tmp_path, "a.png"), "a"), still(png(tmp_path, "b.png"), "b")])
    viewer.set_mode("hotspot", "b")
    assert viewer.current_media().id == "b"  # type: ignore[union-attr]
    viewer.select_media("a")
    with qtbot.assertNotEmitted(viewer.hotspot_placed, wait=10):
        qtbot.mouseClick(
            viewer.canvas, Qt.MouseButton.LeftButton, pos=viewer.canvas.rect().center()
        )
    assert viewer.canvas.mode() == "view"


def test_restoring_a_mark_reports_nothing(
    qtbot: QtBot, viewer: UltrasoundViewer, tmp_path: Path
) -> None:
    viewer.show_media([still(png(tmp_path, "a.png"))])
    viewer.set_mode("hotspot", "still")
    with qtbot.assertNotEmitted(viewer.hotspot_placed, wait=10):
        viewer.set_hotspot(12.5, 40)
    assert viewer.hotspot() == (12.5, 40.0)
    viewer.set_hotspot(None)
    assert viewer.hotspot() is None


def test_regions_are_never_drawn_unless_previewing(
    viewer: UltrasoundViewer, tmp_path: Path
) -> None:
    viewer.show_media([still(png(tmp_path, "a.png"))])
    viewer.set_mode("hotspot", "still")
    assert viewer.canvas._regions == ()


# -- measure --------------------------------------------------------------------------------------


def test_measure_mode_starts_with_a_default_line_that_is_not_an_answer(
    viewer: UltrasoundViewer, tmp_path: Path
) -> None:
    viewer.show_media([still(png(tmp_path, "a.png"), pixel_spacing_mm=0.5)])
    viewer.set_mode("measure", "still")
    assert viewer.calipers() is None
    start, end = viewer.canvas.shown_calipers()  # type: ignore[misc]
    assert start == pytest.approx((IMAGE_W / 3, IMAGE_H / 2), abs=0.1)
    assert end == pytest.approx((2 * IMAGE_W / 3, IMAGE_H / 2), abs=0.1)
    assert viewer.distance_text() == f"{IMAGE_W / 3 * 0.5:.1f} mm"


def test_dragging_a_caliper_changes_the_distance_and_reports_it(
    qtbot: QtBot, viewer: UltrasoundViewer, tmp_path: Path
) -> None:
    viewer.show_media([still(png(tmp_path, "a.png"), pixel_spacing_mm=0.5)])
    viewer.set_mode("measure", "still")
    canvas = viewer.canvas
    viewer.set_calipers([50, 50], [100, 50])
    reports: list[tuple[list[float], list[float]]] = []
    viewer.calipers_changed.connect(lambda a, b: reports.append((a, b)))
    press_move_release(canvas, at_image(canvas, 100, 50), at_image(canvas, 150, 50))
    assert len(reports) == 1
    start, end = reports[0]
    assert start == [50.0, 50.0]
    assert end[0] == pytest.approx(150, abs=1) and end[1] == pytest.approx(50, abs=1)
    assert viewer.distance_text() == f"{(end[0] - 50) * 0.5:.1f} mm"


def test_measuring_on_a_calibrated_clip_pauses_it_and_reads_mm(
    qtbot: QtBot, viewer: UltrasoundViewer, player: FakePlayer, tmp_path: Path
) -> None:
    """A measurement on a clip (an imported DICOM cine) is made on the paused frame: the
    calipers are drawn over it in the clip's declared pixels, and frames can be stepped."""
    media = clip(tmp_path, size=(160, 120), pixel_spacing_mm=0.25)
    viewer.show_media([media])
    assert player.is_playing()
    viewer.set_mode("measure", "clip")
    assert not player.is_playing()
    viewer.set_calipers([40, 40], [120, 40])
    assert viewer.distance_text() == "20.0 mm"
    viewer.step_forward()  # on to another frame, still paused, the calipers kept
    assert player.call_names()[-1] == "step"
    assert not player.is_playing() and viewer.calipers() == ((40.0, 40.0), (120.0, 40.0))


def test_a_measurement_that_names_its_frame_holds_the_clip_there(
    qtbot: QtBot, viewer: UltrasoundViewer, player: FakePlayer, tmp_path: Path
) -> None:
    """The key's calipers were placed on one frame (an end-diastolic one, say): the clip
    shows that frame and the candidate can neither play it on nor step off it."""
    media = clip(tmp_path, size=(160, 120), pixel_spacing_mm=0.25)
    viewer.show_media([media])
    viewer.set_mode("measure", "clip", 400)
    assert not player.is_playing() and player.position() == 400
    viewer.toggle_play()
    viewer.step_forward()
    viewer.step_back()
    assert not player.is_playing() and player.position() == 400
    pane = viewer.panes()[0]
    assert not any(w.isEnabled() for w in (pane.play_button, pane.back_button, pane.forward_button))
    assert not pane.slider.isEnabled()
    viewer.set_mode("view", None)  # another item: the clip is the candidate's again
    assert pane.play_button.isEnabled()
    viewer.toggle_play()
    assert player.is_playing()


def test_keyboard_switches_and_moves_calipers(
    qtbot: QtBot, viewer: UltrasoundViewer, tmp_path: Path
) -> None:
    viewer.show_media([still(png(tmp_path, "a.png"), pixel_spacing_mm=1.0)])
    viewer.set_mode("measure", "still")
    viewer.set_calipers([10, 10], [40, 50])
    canvas = viewer.canvas
    canvas.setFocus()
    with qtbot.waitSignal(viewer.calipers_changed) as changed:
        qtbot.keyClick(canvas, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    assert changed.args == [[20.0, 10.0], [40.0, 50.0]]
    qtbot.keyClick(canvas, Qt.Key.Key_A)
    with qtbot.waitSignal(viewer.calipers_changed) as changed:
        qtbot.keyClick(canvas, Qt.Key.Key_Up)
    assert changed.args == [[20.0, 10.0], [40.0, 49.0]]
    qtbot.keyClick(canvas, Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)  # back to 1st
    assert canvas.hasFocus() and canvas.active_caliper() == 0
    qtbot.keyClick(canvas, Qt.Key.Key_Tab)  # on to the second caliper
    assert canvas.hasFocus() and canvas.active_caliper() == 1
    qtbot.keyClick(canvas, Qt.Key.Key_Tab)  # and out: no keyboard trap
    assert not canvas.hasFocus()


def test_enter_keeps_the_default_line_as_an_answer(
    qtbot: QtBot, viewer: UltrasoundViewer, tmp_path: Path
) -> None:
    viewer.show_media([still(png(tmp_path, "a.png"))])
    viewer.set_mode("measure", "still")
    viewer.canvas.setFocus()
    with qtbot.waitSignal(viewer.calipers_changed) as changed:
        qtbot.keyClick(viewer.canvas, Qt.Key.Key_Return)
    assert changed.args[0] == pytest.approx([IMAGE_W / 3, IMAGE_H / 2], abs=0.1)
    assert viewer.distance_text().endswith("px")  # no calibration: pixels, not mm


def test_restoring_calipers_reports_nothing(
    qtbot: QtBot, viewer: UltrasoundViewer, tmp_path: Path
) -> None:
    viewer.show_media([still(png(tmp_path, "a.png"), pixel_spacing_mm=0.25)])
    viewer.set_mode("measure", "still")
    with qtbot.assertNotEmitted(viewer.calipers_changed, wait=10):
        viewer.set_calipers([0, 0], [30, 40])
    assert viewer.calipers() == ((0.0, 0.0), (30.0, 40.0))
    assert viewer.distance_text() == "12.5 mm"
    viewer.set_calipers(None)
    assert viewer.calipers() is None


# -- errors ---------------------------------------------------------------------------------------


def test_a_missing_image_shows_a_message_and_reports_the_failure(
    qtbot: QtBot, viewer: UltrasoundViewer, tmp_path: Path
) -> None:
    missing = still(tmp_path / "gone.png", "gone")
    good = still(png(tmp_path, "a.png"), "good")
    with qtbot.waitSignal(viewer.media_failed) as failed:
        viewer.show_media([missing, good])
    assert failed.args[0] == str(missing.path)
    assert failed.args[1]  # the reason, for the incident record
    assert viewer.canvas.message() == (
        "This image cannot be shown: gone.png. You can still answer the question."
    )
    assert viewer.select_media("good")  # the rest stays usable
    assert not viewer.canvas.image().isNull()
    with qtbot.assertNotEmitted(viewer.media_failed, wait=10):
        viewer.select_media("gone")  # reported once per key point
    assert "cannot be shown" in viewer.canvas.message()


def test_an_undecodable_image_is_a_failure_too(
    qtbot: QtBot, viewer: UltrasoundViewer, tmp_path: Path
) -> None:
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"not a png")
    with qtbot.waitSignal(viewer.media_failed):
        viewer.show_media([still(broken)])
    assert "broken.png" in viewer.canvas.message()


def test_a_clip_that_cannot_play_shows_a_message_and_reports_the_failure(
    qtbot: QtBot, viewer: UltrasoundViewer, player: FakePlayer, tmp_path: Path
) -> None:
    media = Media("clip", MediaKind.CLIP, tmp_path / "missing.mp4")
    with qtbot.waitSignal(viewer.media_failed) as failed:
        viewer.show_media([media])
    assert failed.args[0] == str(media.path)
    assert "not found" in failed.args[1]
    assert viewer.canvas.message() == (
        "This clip cannot be played: missing.mp4. You can still answer the question."
    )
    assert not viewer.current_pane().play_button.isEnabled()
    assert "play" not in player.call_names()


def test_a_late_decoding_error_replaces_the_picture(
    qtbot: QtBot, viewer: UltrasoundViewer, player: FakePlayer, tmp_path: Path
) -> None:
    viewer.show_media([clip(tmp_path)])
    with qtbot.waitSignal(viewer.media_failed):
        player.error.emit("decoder gave up")
    assert "cannot be played" in viewer.canvas.message()
    player.frame_ready.emit(QImage(8, 8, QImage.Format.Format_RGB32))
    assert viewer.canvas.image().isNull()  # a stray frame does not cover the message


# -- clip controls --------------------------------------------------------------------------------


def test_clip_controls_drive_the_player(
    qtbot: QtBot, viewer: UltrasoundViewer, player: FakePlayer, tmp_path: Path
) -> None:
    media = clip(tmp_path, loop=False)
    viewer.show_media([media])
    assert player.calls[:3] == [("set_loop", False), ("open", media.path), ("play",)]
    assert viewer.current_pane().play_button.text() == "Pause"
    assert not viewer.current_pane().back_button.isEnabled()  # frame steps only while paused
    qtbot.mouseClick(viewer.current_pane().play_button, Qt.MouseButton.LeftButton)
    assert not player.is_playing()
    assert viewer.current_pane().play_button.text() == "Play"
    qtbot.mouseClick(viewer.current_pane().forward_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(viewer.current_pane().back_button, Qt.MouseButton.LeftButton)
    assert player.calls[-2:] == [("step", 1), ("step", -1)]
    viewer.current_pane().slider.setValue(1_500)  # as a drag or a key press on the slider would
    assert player.calls[-1] == ("seek", 1_500)
    qtbot.mouseClick(viewer.current_pane().play_button, Qt.MouseButton.LeftButton)
    assert player.is_playing()


def test_player_position_moves_the_slider_without_seeking(
    viewer: UltrasoundViewer, player: FakePlayer, tmp_path: Path
) -> None:
    viewer.show_media([clip(tmp_path)])
    assert viewer.current_pane().slider.maximum() == 2_000
    seeks = player.call_names().count("seek")
    player.advance(400)
    assert viewer.current_pane().slider.value() == 400
    assert viewer.current_pane().time_label.text() == "0:00.4 / 0:02.0"
    assert player.call_names().count("seek") == seeks


def test_clear_closes_the_clip(
    viewer: UltrasoundViewer, player: FakePlayer, tmp_path: Path
) -> None:
    viewer.show_media([clip(tmp_path)])
    viewer.set_mode("hotspot", "clip")
    viewer.set_hotspot(5, 5)
    viewer.clear()
    assert player.call_names()[-1] == "close"
    assert viewer.current_media() is None
    assert viewer.hotspot() is None
    assert viewer.mode() == "view"
    assert not viewer.current_pane().play_button.isEnabled()


# -- zoom -----------------------------------------------------------------------------------------


def test_zoom_buttons_and_actions(qtbot: QtBot, viewer: UltrasoundViewer, tmp_path: Path) -> None:
    viewer.show_media([still(png(tmp_path, "a.png"))])
    canvas = viewer.canvas
    assert not viewer.current_pane().zoom_out_button.isEnabled()
    qtbot.mouseClick(viewer.current_pane().zoom_in_button, Qt.MouseButton.LeftButton)
    assert canvas.zoom() == pytest.approx(1.25)
    assert viewer.current_pane().zoom_reset_button.text() == "125%"
    viewer.zoom_in()
    assert canvas.zoom() == pytest.approx(1.25**2)
    viewer.zoom_out()
    assert canvas.zoom() == pytest.approx(1.25)
    viewer.reset_zoom()
    assert canvas.zoom() == 1.0
    viewer.zoom_out()  # already fitted: nothing to do
    assert canvas.zoom() == 1.0


def test_ctrl_wheel_zooms_about_the_pointer(viewer: UltrasoundViewer, tmp_path: Path) -> None:
    viewer.show_media([still(png(tmp_path, "a.png"))])
    canvas = viewer.canvas
    pointer = QPointF(at_image(canvas, 50, 40))
    before = canvas.to_image(pointer)
    event = QWheelEvent(
        pointer,
        QPointF(canvas.mapToGlobal(pointer)),
        QPoint(),
        QPoint(0, 240),  # two notches
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.ControlModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(canvas, event)
    assert canvas.zoom() == pytest.approx(1.25**2)
    after = canvas.to_image(pointer)
    assert after is not None and before is not None
    assert after.x() == pytest.approx(before.x(), abs=0.5)
    assert after.y() == pytest.approx(before.y(), abs=0.5)


# -- keys: the window's keymap calls the viewer; the viewer owns no shortcut ------------------


class KeyRecorder(QObject):
    """Notes the key presses that reach the widget it watches."""

    def __init__(self) -> None:
        super().__init__()
        self.keys: list[tuple[int, Qt.KeyboardModifier]] = []

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if isinstance(event, QKeyEvent) and event.type() == QEvent.Type.KeyPress:
            self.keys.append((event.key(), event.modifiers()))
        return False


def test_the_viewer_registers_no_shortcuts_of_its_own(viewer: UltrasoundViewer) -> None:
    # Its own K and Ctrl++ made the window's K and Ctrl++ ambiguous: neither fired.
    assert viewer.findChildren(QShortcut) == []


def test_actions_drive_the_clip_and_do_nothing_where_they_do_not_apply(
    viewer: UltrasoundViewer, player: FakePlayer, tmp_path: Path
) -> None:
    viewer.show_media([clip(tmp_path, "c"), still(png(tmp_path, "a.png"), "a")])
    assert player.is_playing()
    calls = len(player.calls)
    viewer.step_forward()  # no frame steps while playing
    viewer.step_back()
    assert len(player.calls) == calls
    viewer.toggle_play()
    assert not player.is_playing()
    viewer.step_forward()
    viewer.step_back()
    assert player.calls[-2:] == [("step", 1), ("step", -1)]
    viewer.toggle_play()
    assert player.is_playing()
    viewer.select_media("a")
    calls = len(player.calls)
    viewer.toggle_play()  # a still: nothing to play or step
    viewer.step_forward()
    viewer.step_back()
    assert len(player.calls) == calls


@pytest.mark.parametrize(
    ("mode", "key", "modifier"),
    [
        ("hotspot", Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier),
        ("hotspot", Qt.Key.Key_K, Qt.KeyboardModifier.NoModifier),
        ("measure", Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier),
        ("measure", Qt.Key.Key_Left, Qt.KeyboardModifier.ControlModifier),
        ("view", Qt.Key.Key_Right, Qt.KeyboardModifier.NoModifier),
    ],
)
def test_the_canvas_passes_on_keys_it_does_not_use(
    viewer: UltrasoundViewer,
    tmp_path: Path,
    mode: str,
    key: Qt.Key,
    modifier: Qt.KeyboardModifier,
) -> None:
    viewer.show_media([still(png(tmp_path, "a.png"))])
    viewer.set_mode(mode, "still")
    viewer.set_hotspot(10, 10)
    viewer.set_calipers([10, 10], [40, 10])
    canvas = viewer.canvas
    canvas.setFocus()
    recorder = KeyRecorder()
    viewer.installEventFilter(recorder)  # where a key the canvas ignores goes on to
    QTest.keyClick(canvas, key, modifier)
    assert (key, modifier) in recorder.keys
    assert viewer.hotspot() == (10.0, 10.0)
    assert viewer.calipers() == ((10.0, 10.0), (40.0, 10.0))
    assert canvas.active_caliper() == 0


def test_arrow_keys_on_a_mark_win_over_window_shortcuts(
    viewer: UltrasoundViewer, tmp_path: Path
) -> None:
    viewer.show_media([still(png(tmp_path, "a.png"))])
    fired: list[str] = []
    QShortcut(QKeySequence("Right"), viewer, lambda: fired.append("Right"))
    canvas = viewer.canvas
    canvas.setFocus()
    QTest.keyClick(canvas, Qt.Key.Key_Right)  # view mode: the arrow is the window's
    assert fired == ["Right"]
    viewer.set_mode("hotspot", "still")
    viewer.set_hotspot(10, 10)
    QTest.keyClick(canvas, Qt.Key.Key_Right)
    assert fired == ["Right"]
    assert viewer.hotspot() == (11.0, 10.0)


# -- what a screen reader is told ---------------------------------------------------------------


def test_the_clip_time_is_in_its_accessible_name_and_kept_in_sync(
    viewer: UltrasoundViewer, player: FakePlayer, tmp_path: Path
) -> None:
    viewer.show_media([clip(tmp_path)])
    time = viewer.current_pane().time_label
    assert time.accessibleName() == f"Clip time {time.text()}" == "Clip time 0:00.0 / 0:02.0"
    player.advance(1_200)
    assert time.text() == "0:01.2 / 0:02.0"
    assert time.accessibleName() == "Clip time 0:01.2 / 0:02.0"


def test_the_picture_is_named_and_described_for_screen_readers(
    viewer: UltrasoundViewer, tmp_path: Path
) -> None:
    described = still(
        png(tmp_path, "a.png"),
        "a",
        label="Aorta, transverse",
        description="Transverse B-mode still of the mid-abdomen, vertebral body deep.",
    )
    viewer.show_media([described, still(tmp_path / "gone.png", "gone")])
    canvas = viewer.canvas
    assert canvas.accessibleName() == "Ultrasound image: Aorta, transverse"
    view_text = canvas.accessibleDescription()
    assert view_text.startswith(
        "Transverse B-mode still of the mid-abdomen, vertebral body deep. Ctrl and mouse wheel"
    )
    viewer.set_mode("hotspot", "a")
    assert canvas.accessibleDescription().startswith(
        "Transverse B-mode still of the mid-abdomen, vertebral body deep. Click to place"
    )
    viewer.select_media("gone")
    assert canvas.accessibleName() == "Ultrasound image: Image 2"
    assert canvas.accessibleDescription().startswith(
        "This image cannot be shown: gone.png. You can still answer the question."
    )


# -- controls that apply, in places that do not move --------------------------------------------


def playback(viewer: UltrasoundViewer) -> list[QWidget]:
    pane = viewer.current_pane()
    return [pane.play_button, pane.back_button, pane.forward_button, pane.slider, pane.time_label]


def zooms(viewer: UltrasoundViewer) -> list[QWidget]:
    pane = viewer.current_pane()
    return [pane.zoom_out_button, pane.zoom_in_button, pane.zoom_reset_button]


def settle() -> None:
    """Let layouts apply the size changes posted to them."""
    QApplication.sendPostedEvents()
    QApplication.processEvents()


def test_stills_and_mmode_pictures_show_no_playback_controls(
    viewer: UltrasoundViewer, tmp_path: Path
) -> None:
    strip = Media("strip", MediaKind.MMODE, png(tmp_path, "m.png"))
    viewer.show_media([still(png(tmp_path, "a.png"), "a"), strip, clip(tmp_path, "c")])
    for media_id in ("a", "strip"):
        viewer.select_media(media_id)
        assert not any(w.isVisibleTo(viewer) for w in playback(viewer))
        assert all(w.isVisibleTo(viewer) for w in zooms(viewer))
    settle()
    still_zoom = [w.geometry() for w in zooms(viewer)]
    viewer.select_media("c")
    assert all(w.isVisibleTo(viewer) for w in playback(viewer))
    settle()
    assert [w.geometry() for w in zooms(viewer)] == still_zoom  # the zoom buttons stay put


def test_buttons_do_not_move_when_their_text_changes(
    viewer: UltrasoundViewer, player: FakePlayer, tmp_path: Path
) -> None:
    viewer.show_media([clip(tmp_path)])
    pane = viewer.current_pane()
    settle()
    widgets = [*playback(viewer), *zooms(viewer)]
    before = [w.geometry() for w in widgets]
    for _ in range(3):
        viewer.zoom_in()
    assert pane.zoom_reset_button.text() == "195%"
    viewer.toggle_play()
    assert pane.play_button.text() == "Play"
    settle()
    assert [w.geometry() for w in widgets] == before
    for button in (pane.play_button, *zooms(viewer)):
        assert button.width() >= button.sizeHint().width()  # the whole text shows
