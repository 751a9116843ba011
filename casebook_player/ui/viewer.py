"""UltrasoundViewer: the key point's media — clips, M-mode strips, stills — with controls.

One long-lived clip player is handed in and reused for every clip: creating and destroying
Qt Multimedia players deadlocks, so the viewer only ever opens and closes files on it.

The viewer renders and forwards intents. A hotspot mark or caliper pair is reported in image
pixels (``hotspot_placed``, ``calipers_changed``); what it is worth is for core to decide.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtGui import QImage, QImageReader
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QSlider,
    QStyle,
    QTabBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from casebook_player.core.model import VIDEO_SUFFIXES, Media, MediaKind, Region
from casebook_player.ui.canvas import MediaCanvas, Mode, Point
from casebook_player.ui.frame_view import MAX_ZOOM

if TYPE_CHECKING:
    from casebook_player.media.player import MediaPlayer

KIND_NAMES = {MediaKind.CLIP: "Clip", MediaKind.MMODE: "M-mode", MediaKind.IMAGE: "Image"}


def is_clip(media: Media) -> bool:
    """Clips, and M-mode strips recorded as video, play in the clip player."""
    return media.kind is MediaKind.CLIP or (
        media.kind is MediaKind.MMODE and media.path.suffix.lower() in VIDEO_SUFFIXES
    )


def failure_text(media: Media) -> str:
    """What the candidate reads in place of a picture that cannot be shown."""
    what = "clip cannot be played" if is_clip(media) else "image cannot be shown"
    return f"This {what}: {media.path.name}. You can still answer the question."


def media_title(media: Media, index: int) -> str:
    return media.label or f"{KIND_NAMES[media.kind]} {index + 1}"


def format_ms(ms: int) -> str:
    seconds = max(ms, 0) / 1000
    return f"{int(seconds // 60)}:{seconds % 60:04.1f}"


class UltrasoundViewer(QWidget):
    """Shows a key point's media one at a time; in hotspot or measure mode the user marks it."""

    hotspot_placed = Signal(float, float)  # image pixels
    calipers_changed = Signal(list, list)  # [x, y], [x, y] in image pixels
    media_failed = Signal(str, str)  # path, technical reason (for an incident record)
    media_shown = Signal(str)  # media id now on screen

    def __init__(self, clip_player: MediaPlayer, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._player = clip_player
        self._media: tuple[Media, ...] = ()
        self._index = -1
        self._clip: Path | None = None  # the clip open in the player and not failed
        self._failed: dict[Path, str] = {}
        self._mode = Mode.VIEW
        self._target: str | None = None
        self._syncing = False  # the slider is being moved to match the player, not by the user
        self._build()
        self._connect()
        self._update_controls()

    # -- construction -----------------------------------------------------------------

    def _build(self) -> None:
        self._tabs = QTabBar()
        self._tabs.setAccessibleName("Images for this question")
        self._tabs.setExpanding(False)
        self._tabs.setElideMode(Qt.TextElideMode.ElideRight)
        self._tabs.setUsesScrollButtons(True)
        self._tabs.hide()
        self._canvas = MediaCanvas()
        self._caption = QLabel()
        self._caption.setWordWrap(True)
        self._caption.setTextFormat(Qt.TextFormat.PlainText)  # labels come from case files

        style = self.style()
        self._play = _button("Play", "Play or pause the clip (K)", style, "SP_MediaPlay")
        self._play.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self._back = _button("Previous frame", "Previous frame (,)", style, "SP_MediaSeekBackward")
        self._forward = _button("Next frame", "Next frame (.)", style, "SP_MediaSeekForward")
        self._slider = QSlider(Qt.Orientation.Horizontal)
        self._slider.setAccessibleName("Clip position")
        self._slider.setSingleStep(100)
        self._slider.setPageStep(1000)
        self._time = QLabel(format_ms(0))
        self._time.setAccessibleName("Clip time")
        self._zoom_out = _button("−", "Zoom out (Ctrl+−)", style, accessible="Zoom out")
        self._zoom_in = _button("+", "Zoom in (Ctrl++)", style, accessible="Zoom in")
        self._zoom_reset = _button("Fit", "Fit the picture (Ctrl+0)", style, accessible="Fit")

        controls = QHBoxLayout()
        controls.setContentsMargins(0, 0, 0, 0)
        for widget in (self._play, self._back, self._forward):
            controls.addWidget(widget)
        controls.addWidget(self._slider, 1)
        controls.addWidget(self._time)
        controls.addSpacing(12)
        for widget in (self._zoom_out, self._zoom_in, self._zoom_reset):
            controls.addWidget(widget)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._tabs)
        layout.addWidget(self._canvas, 1)
        layout.addWidget(self._caption)
        layout.addLayout(controls)

    def _connect(self) -> None:
        player = self._player
        player.frame_ready.connect(self._on_frame)
        player.position_changed.connect(self._on_position)
        player.duration_changed.connect(self._on_duration)
        player.playing_changed.connect(self._on_playing)
        player.error.connect(self._on_player_error)
        self._tabs.currentChanged.connect(self._show_index)
        self._canvas.marker_moved.connect(self.hotspot_placed)
        self._canvas.calipers_moved.connect(self.calipers_changed)
        self._canvas.interaction_started.connect(self._pause_clip)
        self._canvas.zoom_changed.connect(self._on_zoom)
        self._play.clicked.connect(self.toggle_play)
        self._back.clicked.connect(self.step_back)
        self._forward.clicked.connect(self.step_forward)
        self._slider.valueChanged.connect(self._on_slider)
        self._zoom_in.clicked.connect(self.zoom_in)
        self._zoom_out.clicked.connect(self.zoom_out)
        self._zoom_reset.clicked.connect(self.reset_zoom)

    # -- public API -------------------------------------------------------------------

    @property
    def canvas(self) -> MediaCanvas:
        """The picture widget (for the key-point screen's focus order and for tests)."""
        return self._canvas

    def show_media(self, media: Sequence[Media]) -> None:
        """Show a key point's media, the first one selected; resets mode and marks."""
        self._reset()
        self._media = tuple(media)
        with QSignalBlocker(self._tabs):
            for index, item in enumerate(self._media):
                self._tabs.addTab(media_title(item, index))
                self._tabs.setTabToolTip(index, item.label or media_title(item, index))
                self._tabs.setAccessibleTabName(index, media_title(item, index))
            self._tabs.setCurrentIndex(0)
        self._tabs.setVisible(len(self._media) > 1)
        if self._media:
            self._show_index(0)

    def clear(self) -> None:
        """Leave the key point: close the clip, forget the media and the marks."""
        self._reset()
        self._update_controls()

    def media(self) -> tuple[Media, ...]:
        return self._media

    def current_media(self) -> Media | None:
        return self._media[self._index] if 0 <= self._index < len(self._media) else None

    def select_media(self, media_id: str) -> bool:
        """Show the media with this id; False when the key point has none such."""
        for index, item in enumerate(self._media):
            if item.id == media_id:
                self._tabs.setCurrentIndex(index)  # shows it through currentChanged
                if index != self._index:
                    self._show_index(index)
                return True
        return False

    def mode(self) -> str:
        return self._mode.value

    def set_mode(self, mode: str, target_media_id: str | None = None) -> None:
        """Answer on the picture: ``mode`` is "view", "hotspot" or "measure".

        The mode applies on ``target_media_id`` (None: whichever is shown), which is selected.
        Call it after ``show_media``, which resets the mode.
        """
        self._mode, self._target = Mode(mode), target_media_id
        if target_media_id is not None:
            self.select_media(target_media_id)
        self._apply_mode()

    def set_hotspot(self, x: float | None, y: float | None = None) -> None:
        """Show a saved hotspot response without reporting it; None removes the mark."""
        self._canvas.set_marker(None if x is None or y is None else (x, y))

    def hotspot(self) -> Point | None:
        return self._canvas.marker()

    def set_calipers(
        self, start: Sequence[float] | None, end: Sequence[float] | None = None
    ) -> None:
        """Show a saved measurement without reporting it; None shows the default line."""
        if start is None or end is None:
            self._canvas.set_calipers(None, None)
        else:
            self._canvas.set_calipers((start[0], start[1]), (end[0], end[1]))

    def calipers(self) -> tuple[Point, Point] | None:
        return self._canvas.calipers()

    def distance_text(self) -> str:
        return self._canvas.distance_text()

    def set_key_regions(self, regions: Sequence[Region]) -> None:
        """Outline hotspot regions: for item writers' preview only, never for a candidate."""
        self._canvas.set_key_regions(regions)

    # The window's keymap calls these; each does nothing where it does not apply.

    def toggle_play(self) -> None:
        """Play or pause the clip shown; nothing for a still."""
        if self._clip is None:
            return
        if self._player.is_playing():
            self._player.pause()
        else:
            self._player.play()

    def step_back(self) -> None:
        """One frame back, only while a clip is paused."""
        if self._back.isEnabled():
            self._player.step(-1)

    def step_forward(self) -> None:
        """One frame on, only while a clip is paused."""
        if self._forward.isEnabled():
            self._player.step(1)

    def zoom_in(self) -> None:
        if self._zoom_in.isEnabled():
            self._canvas.zoom_in()

    def zoom_out(self) -> None:
        if self._zoom_out.isEnabled():
            self._canvas.zoom_out()

    def reset_zoom(self) -> None:
        if self._zoom_reset.isEnabled():
            self._canvas.reset_zoom()

    # -- showing media ----------------------------------------------------------------

    def _reset(self) -> None:
        self._close_clip()
        self._media, self._index, self._failed = (), -1, {}
        self._mode, self._target = Mode.VIEW, None
        with QSignalBlocker(self._tabs):
            while self._tabs.count():
                self._tabs.removeTab(0)
        self._tabs.hide()
        self._canvas.clear()
        self._canvas.set_overlays(())
        self._canvas.set_key_regions(())
        self._canvas.set_marker(None)
        self._canvas.set_calipers(None, None)
        self._canvas.set_mode(Mode.VIEW)
        self._caption.clear()

    def _show_index(self, index: int) -> None:
        if not 0 <= index < len(self._media) or index == self._index:
            return
        self._index = index
        media = self._media[index]
        self._canvas.clear()
        self._canvas.set_overlays(media.overlays)
        self._canvas.set_logical_size(media.size)
        self._canvas.set_spacing_mm(media.pixel_spacing_mm)
        self._caption.setText(media.label or KIND_NAMES[media.kind])
        self._apply_mode()
        self._on_duration(0)
        self._time.setText(format_ms(0))
        if media.path in self._failed:
            self._close_clip()
            self._canvas.show_message(self._failed[media.path])
        elif is_clip(media):
            self._open_clip(media)
        else:
            self._close_clip()
            self._load_still(media)
        self._update_controls()
        self.media_shown.emit(media.id)

    def _open_clip(self, media: Media) -> None:
        self._clip = media.path  # before open(): a player may report an error from inside it
        self._player.set_loop(media.loop)
        self._player.open(media.path)
        if self._clip != media.path:
            return  # it failed while opening
        if self._canvas.mode() is Mode.VIEW:
            self._player.play()
        else:
            self._player.pause()  # the candidate marks a still frame

    def _close_clip(self) -> None:
        if self._clip is not None:
            self._clip = None
            self._player.close()

    def _load_still(self, media: Media) -> None:
        reader = QImageReader(str(media.path))
        image: QImage = reader.read()
        if image.isNull():
            self._fail(media, reader.errorString())
        else:
            self._canvas.set_image(image)

    def _fail(self, media: Media, reason: str) -> None:
        """Say so in place of the picture, once, and let the caller record an incident."""
        message = failure_text(media)
        first = media.path not in self._failed
        self._failed[media.path] = message
        self._canvas.show_message(message)
        self._update_controls()
        if first:
            self.media_failed.emit(str(media.path), reason)

    def _apply_mode(self) -> None:
        """The mode applies on its target; other media are only looked at."""
        media = self.current_media()
        on_target = media is not None and self._target in (None, media.id)
        mode = self._mode if on_target else Mode.VIEW
        self._canvas.set_mode(mode)
        if mode is not Mode.VIEW:
            self._pause_clip()

    # -- player -----------------------------------------------------------------------

    def _on_frame(self, frame: QImage) -> None:
        if self._clip is not None:
            self._canvas.set_image(frame)

    def _on_player_error(self, reason: str) -> None:
        media = self.current_media()
        if self._clip is None or media is None or media.path != self._clip:
            return  # a late report about a clip no longer shown
        self._clip = None
        self._player.close()
        self._fail(media, reason)

    def _on_position(self, ms: int) -> None:
        if self._clip is None:
            return
        self._time.setText(f"{format_ms(ms)} / {format_ms(self._player.duration())}")
        if not self._slider.isSliderDown():
            self._syncing = True
            self._slider.setValue(ms)
            self._syncing = False

    def _on_duration(self, ms: int) -> None:
        self._syncing = True
        self._slider.setRange(0, max(ms, 0))
        self._syncing = False
        self._update_controls()

    def _on_playing(self, playing: bool) -> None:
        self._play.setText("Pause" if playing else "Play")
        icon = "SP_MediaPause" if playing else "SP_MediaPlay"
        self._play.setIcon(self.style().standardIcon(getattr(QStyle.StandardPixmap, icon)))
        self._update_controls()

    def _on_slider(self, ms: int) -> None:
        if not self._syncing and self._clip is not None:
            self._player.seek(ms)

    def _pause_clip(self) -> None:
        if self._clip is not None and self._player.is_playing():
            self._player.pause()

    def _on_zoom(self, zoom: float) -> None:
        self._zoom_reset.setText("Fit" if zoom == 1.0 else f"{zoom:.0%}")
        self._update_controls()

    def _update_controls(self) -> None:
        """Enable only what applies: no playback for stills, frame steps only while paused."""
        clip = self._clip is not None
        paused = clip and not self._player.is_playing()
        self._play.setEnabled(clip)
        self._back.setEnabled(paused)
        self._forward.setEnabled(paused)
        self._slider.setEnabled(clip and self._slider.maximum() > 0)
        self._time.setEnabled(clip)
        picture = self.current_media() is not None and not self._canvas.message()
        zoom = self._canvas.zoom()
        self._zoom_in.setEnabled(picture and zoom < MAX_ZOOM)
        self._zoom_out.setEnabled(picture and zoom > 1.0)
        self._zoom_reset.setEnabled(picture and zoom > 1.0)


def _button(
    text: str, tip: str, style: QStyle, icon: str | None = None, accessible: str | None = None
) -> QToolButton:
    button = QToolButton()
    button.setText(text)
    button.setToolTip(tip)
    button.setAccessibleName(accessible or text)
    button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    if icon is not None:
        button.setIcon(style.standardIcon(getattr(QStyle.StandardPixmap, icon)))
    return button
