"""The viewer is usable in the room a 1024×768 screen leaves it beside the questions."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QAbstractButton, QAbstractSlider, QApplication, QTabBar, QWidget
from pytestqt.qtbot import QtBot
from test_viewer import clip, png, still

from casebook_player.core.case.model import Media
from casebook_player.media.fake_player import FakePlayer
from casebook_player.ui.canvas import MediaCanvas
from casebook_player.ui.viewer import UltrasoundViewer

ROOM = (560, 600)  # what the key-point screen leaves the viewer on a 1024×768 screen
INTERACTIVE = (QAbstractButton, QAbstractSlider, QTabBar, MediaCanvas)
LONG = "Left anterior chest, 2nd intercostal space, mid-clavicular line, after the drain"


def one_clip(folder: Path) -> list[Media]:
    return [clip(folder, label=LONG)]


def two_clips(folder: Path) -> list[Media]:
    return [clip(folder, "a", "a.mp4", label=LONG), clip(folder, "b", "b.mp4", label=LONG)]


def clip_and_still(folder: Path) -> list[Media]:
    return [clip(folder, "a", label=LONG), still(png(folder, "s.png"), "s", label=LONG)]


def one_still(folder: Path) -> list[Media]:
    return [still(png(folder, "s.png"), label=LONG)]


@pytest.mark.parametrize("media", [one_clip, two_clips, clip_and_still, one_still])
@pytest.mark.parametrize("zoomed", [False, True])
@pytest.mark.parametrize("room", ["small screen", "minimum"])
def test_every_control_fits_whole(
    qtbot: QtBot,
    tmp_path: Path,
    media: Callable[[Path], list[Media]],
    zoomed: bool,
    room: str,
) -> None:
    """At 560×600, and at the viewer's minimum size (as narrow as a splitter can make it)."""
    viewer = UltrasoundViewer(FakePlayer(), FakePlayer())
    qtbot.addWidget(viewer)
    viewer.show()
    viewer.show_media(media(tmp_path))
    if zoomed:  # the widest texts: Pause and 400%
        for _ in range(8):
            viewer.zoom_in()
    QApplication.processEvents()
    size = ROOM if room == "small screen" else viewer.minimumSizeHint().toTuple()
    viewer.resize(*size)
    QApplication.processEvents()
    assert viewer.size().toTuple() == size
    shown = [
        w
        for w in viewer.findChildren(QWidget)
        if isinstance(w, INTERACTIVE)
        and w.isVisibleTo(viewer)
        and w.parent() is not None
        and not isinstance(w.parent(), QTabBar)  # the tab bar's own scroll buttons
    ]
    assert len(shown) >= 4
    for widget in shown:
        where = QRect(widget.mapTo(viewer, QPoint(0, 0)), widget.size())
        name = widget.accessibleName() or type(widget).__name__
        assert viewer.rect().contains(where), name
        hint = widget.minimumSizeHint()
        assert widget.width() >= max(hint.width(), widget.minimumWidth()), name
        assert widget.height() >= hint.height(), name
    slider = viewer.current_pane().slider
    if slider.isVisibleTo(viewer):
        assert slider.width() >= 80
    viewer.clear()
