"""UltrasoundViewer: the key point's media — clips, M-mode strips, stills — with controls.

Each picture is shown in a MediaPane: the picture, its caption and the controls that apply to
it. One pane shows the media selected in a tab bar; when a key point has two media and the
viewer is wide enough for both, two panes show them side by side, both clips looping at once.

Every pane has one long-lived clip player, handed in and reused for every clip: creating and
destroying Qt Multimedia players deadlocks, so a pane only opens and closes files on it. The
second pane exists only when a second player is given; without one, two media take tabs.

The viewer renders and forwards intents. A hotspot mark or caliper pair is reported in image
pixels (``hotspot_placed``, ``calipers_changed``); what it is worth is for core to decide.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QSignalBlocker, QSize, Qt, Signal
from PySide6.QtGui import QImage, QImageReader, QPalette, QResizeEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLayout,
    QSlider,
    QStyle,
    QTabBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from casebook_player.core.case.model import VIDEO_SUFFIXES, Media, MediaKind, Region
from casebook_player.ui.canvas import MediaCanvas, Mode, Point
from casebook_player.ui.frame_view import MAX_ZOOM

if TYPE_CHECKING:
    from casebook_player.media.player import MediaPlayer

KIND_NAMES = {MediaKind.CLIP: "Clip", MediaKind.MMODE: "M-mode", MediaKind.IMAGE: "Image"}
# Side by side only when each picture gets at least this (logical pixels): smaller, an
# ultrasound picture stops being readable and one picture in a tab serves better.
SIDE_BY_SIDE_PICTURE = QSize(300, 225)
SLIDER_MIN_WIDTH = 80  # narrower, a 3-second clip cannot be scrubbed by hand
SPACING = 6
_TURNED_TO = (QEvent.Type.FocusIn, QEvent.Type.MouseButtonPress, QEvent.Type.Wheel)


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


class MediaPane(QWidget):
    """One picture with its caption and controls; clips play in the pane's own player."""

    failed = Signal(object, str)  # the Media, a technical reason (for an incident record)
    shown = Signal(str)  # media id now on screen
    selected = Signal()  # the user turned to this pane: the keys now act on it

    def __init__(self, player: MediaPlayer, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._player = player
        self._media: Media | None = None
        self._clip: Path | None = None  # the clip open in the player and not failed
        self._held_ms: int | None = None  # the frame a measurement is made on, held there
        self._syncing = False  # the slider is being moved to match the player, not by the user
        self._highlighted = False
        self._build()
        self._connect()
        self._fix_sizes()
        self._update_controls()

    def _build(self) -> None:
        # A bar over the picture marks the pane the keys act on; always there, only coloured
        # when selected, so the two pictures side by side stay level.
        self._bar = QWidget()
        self._bar.setFixedHeight(3)
        self._bar.setAutoFillBackground(True)
        self.canvas = MediaCanvas()
        self.caption = QLabel()
        self.caption.setWordWrap(True)
        self.caption.setTextFormat(Qt.TextFormat.PlainText)  # labels come from case files
        self.time_label = QLabel()
        style = self.style()
        self.play_button = _button("Play", "Play or pause the clip (K)", style, "SP_MediaPlay")
        self.play_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.back_button = _button(
            "Previous frame", "Previous frame (,)", style, "SP_MediaSeekBackward"
        )
        self.forward_button = _button("Next frame", "Next frame (.)", style, "SP_MediaSeekForward")
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setAccessibleName("Clip position")
        self.slider.setSingleStep(100)
        self.slider.setPageStep(1000)
        self.slider.setMinimumWidth(SLIDER_MIN_WIDTH)
        self.zoom_out_button = _button("−", "Zoom out (Ctrl+−)", style, accessible="Zoom out")
        self.zoom_in_button = _button("+", "Zoom in (Ctrl++)", style, accessible="Zoom in")
        self.zoom_reset_button = _button("Fit", "Fit the picture (Ctrl+0)", style, accessible="Fit")
        self._set_time(0)

        caption_row = QHBoxLayout()
        caption_row.setSpacing(SPACING)
        caption_row.addWidget(self.caption, 1)
        caption_row.addWidget(self.time_label, 0, Qt.AlignmentFlag.AlignTop)
        self._controls = QHBoxLayout()
        self._controls.setSpacing(SPACING)
        for widget in (self.play_button, self.back_button, self.forward_button, self.slider):
            self._controls.addWidget(widget)
        self._controls.setStretchFactor(self.slider, 1)
        # Takes the slider's room when a still hides it, so the zoom buttons stay put.
        self._controls.addStretch(0)
        for widget in self._zoom_buttons():
            self._controls.addWidget(widget)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(SPACING)
        layout.addWidget(self._bar)
        layout.addWidget(self.canvas, 1)
        layout.addLayout(caption_row)
        layout.addLayout(self._controls)
        for watched in (self.canvas, self.slider, *self._buttons()):
            watched.installEventFilter(self)

    def _connect(self) -> None:
        player = self._player
        player.frame_ready.connect(self._on_frame)
        player.position_changed.connect(self._on_position)
        player.duration_changed.connect(self._on_duration)
        player.playing_changed.connect(self._on_playing)
        player.error.connect(self._on_player_error)
        self.canvas.interaction_started.connect(self._pause_clip)
        self.canvas.zoom_changed.connect(self._on_zoom)
        self.play_button.clicked.connect(self.toggle_play)
        self.back_button.clicked.connect(self.step_back)
        self.forward_button.clicked.connect(self.step_forward)
        self.slider.valueChanged.connect(self._on_slider)
        self.zoom_in_button.clicked.connect(self.zoom_in)
        self.zoom_out_button.clicked.connect(self.zoom_out)
        self.zoom_reset_button.clicked.connect(self.reset_zoom)

    def _buttons(self) -> tuple[QToolButton, ...]:
        return (self.play_button, self.back_button, self.forward_button, *self._zoom_buttons())

    def _zoom_buttons(self) -> tuple[QToolButton, ...]:
        return (self.zoom_out_button, self.zoom_in_button, self.zoom_reset_button)

    def _fix_sizes(self) -> None:
        """Nothing moves as the controls change: a button whose text changes is as wide as
        its widest text (Play/Pause, Fit/200 %), and every button is as high as the highest,
        so the row keeps its height when a still hides the playback buttons."""
        _fix_width(self.play_button, ("Play", "Pause"))
        widest_digit = max("0123456789", key=self.fontMetrics().horizontalAdvance)
        _fix_width(self.zoom_reset_button, ("Fit", f"{widest_digit * 3}%"))
        for button in (self.zoom_out_button, self.zoom_in_button):
            _fix_width(button, (button.text(),))
        height = max(button.sizeHint().height() for button in self._buttons())
        for button in self._buttons():
            button.setMinimumHeight(height)

    def clip_controls_width(self) -> int:
        """The narrowest this pane can be while it shows a clip, every control in view."""
        widgets: list[QWidget] = [*self._buttons(), self.slider]
        widths = [max(w.minimumWidth(), w.minimumSizeHint().width()) for w in widgets]
        return sum(widths) + SPACING * (len(widgets) - 1)

    # -- what it shows ----------------------------------------------------------------

    def media(self) -> Media | None:
        return self._media

    def show_media(self, media: Media, title: str, failed: bool = False) -> None:
        """Show ``media`` (``failed``: the message in its place); nothing when already shown."""
        if media is self._media:
            return
        self._close_clip()
        self._media = media
        canvas = self.canvas
        canvas.clear()
        canvas.set_overlays(media.overlays)
        canvas.set_logical_size(media.size)
        canvas.set_spacing_mm(media.pixel_spacing_mm)
        canvas.set_alt_text(title, media.description)
        self.caption.setText(title)
        self._on_duration(0)
        self._set_time(0)
        if failed:
            canvas.show_message(failure_text(media))
        elif is_clip(media):
            self._open_clip(media)
        else:
            self._load_still(media)
        self._update_controls()
        self.shown.emit(media.id)

    def clear(self) -> None:
        """Close the clip and forget the picture, its mode and its marks."""
        self._close_clip()
        self._media = None
        canvas = self.canvas
        canvas.clear()
        canvas.set_alt_text("", "")
        canvas.set_overlays(())
        canvas.set_key_regions(())
        canvas.set_marker(None)
        canvas.set_calipers(None, None)
        canvas.set_mode(Mode.VIEW)
        self._held_ms = None
        self.caption.clear()
        self._update_controls()

    def set_mode(self, mode: Mode, held_ms: int | None = None) -> None:
        """Marking needs a still frame: a clip pauses for it. With ``held_ms`` (an item that
        names the frame to measure on) the clip shows that frame and stays on it."""
        self.canvas.set_mode(mode)
        self._held_ms = None if mode is Mode.VIEW else held_ms
        if mode is not Mode.VIEW:
            self._pause_clip()
            self._go_to_held_frame()
        self._update_controls()

    def set_highlighted(self, highlighted: bool) -> None:
        """Side by side, a bar in the highlight colour tops the pane the keys act on."""
        self._highlighted = highlighted
        palette = self.palette()
        role = QPalette.ColorRole.Highlight if highlighted else QPalette.ColorRole.Window
        palette.setColor(QPalette.ColorRole.Window, self.palette().color(role))
        self._bar.setPalette(palette)

    def is_highlighted(self) -> bool:
        return self._highlighted

    # -- actions ----------------------------------------------------------------------

    def toggle_play(self) -> None:
        """Play or pause the clip shown; nothing for a still."""
        if self._clip is None or self._held_ms is not None:
            return
        if self._player.is_playing():
            self._player.pause()
        else:
            self._player.play()

    def step_back(self) -> None:
        """One frame back, only while a clip is paused."""
        if self.back_button.isEnabled():
            self._player.step(-1)

    def step_forward(self) -> None:
        """One frame on, only while a clip is paused."""
        if self.forward_button.isEnabled():
            self._player.step(1)

    def zoom_in(self) -> None:
        if self.zoom_in_button.isEnabled():
            self.canvas.zoom_in()

    def zoom_out(self) -> None:
        if self.zoom_out_button.isEnabled():
            self.canvas.zoom_out()

    def reset_zoom(self) -> None:
        if self.zoom_reset_button.isEnabled():
            self.canvas.reset_zoom()

    # -- loading ----------------------------------------------------------------------

    def _open_clip(self, media: Media) -> None:
        self._clip = media.path  # before open(): a player may report an error from inside it
        self._player.set_loop(media.loop)
        self._player.open(media.path)
        if self._clip != media.path:
            return  # it failed while opening
        if self.canvas.mode() is Mode.VIEW:
            self._player.play()
        else:
            self._player.pause()  # the candidate marks a still frame
            self._go_to_held_frame()

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
            self.canvas.set_image(image)

    def _fail(self, media: Media, reason: str) -> None:
        """Say so in place of the picture; the viewer records an incident once."""
        self.canvas.show_message(failure_text(media))
        self._update_controls()
        self.failed.emit(media, reason)

    # -- player -----------------------------------------------------------------------

    def _on_frame(self, frame: QImage) -> None:
        if self._clip is not None:
            self.canvas.set_image(frame)

    def _on_player_error(self, reason: str) -> None:
        media = self._media
        if self._clip is None or media is None or media.path != self._clip:
            return  # a late report about a clip no longer shown
        self._clip = None
        self._player.close()
        self._fail(media, reason)

    def _on_position(self, ms: int) -> None:
        if self._clip is None:
            return
        self._set_time(ms)
        if not self.slider.isSliderDown():
            self._syncing = True
            self.slider.setValue(ms)
            self._syncing = False

    def _on_duration(self, ms: int) -> None:
        self._syncing = True
        self.slider.setRange(0, max(ms, 0))
        self._syncing = False
        self._set_time(self.slider.value())
        self._update_controls()

    def _set_time(self, ms: int) -> None:
        text = f"{format_ms(ms)} / {format_ms(self.slider.maximum())}"
        self.time_label.setText(text)
        # The name is what a screen reader reads: it must carry the time, not hide it.
        self.time_label.setAccessibleName(f"Clip time {text}")

    def _on_playing(self, playing: bool) -> None:
        self.play_button.setText("Pause" if playing else "Play")
        icon = "SP_MediaPause" if playing else "SP_MediaPlay"
        self.play_button.setIcon(self.style().standardIcon(getattr(QStyle.StandardPixmap, icon)))
        self._update_controls()

    def _on_slider(self, ms: int) -> None:
        if not self._syncing and self._clip is not None:
            self._player.seek(ms)

    def _pause_clip(self) -> None:
        # Not only when is_playing(): a real player reports playing only once it has started,
        # and a clip opened a moment ago would play on under the candidate's mark.
        if self._clip is not None:
            self._player.pause()

    def _go_to_held_frame(self) -> None:
        if self._clip is not None and self._held_ms is not None:
            self._player.seek(self._held_ms)

    def _on_zoom(self, zoom: float) -> None:
        self.zoom_reset_button.setText("Fit" if zoom == 1.0 else f"{zoom:.0%}")
        self._update_controls()

    def _update_controls(self) -> None:
        """Show only what applies: playback for clips, frame steps only while paused."""
        clip_shown = self._media is not None and is_clip(self._media)
        for widget in (
            self.play_button,
            self.back_button,
            self.forward_button,
            self.slider,
            self.time_label,
        ):
            widget.setVisible(clip_shown)
        clip = self._clip is not None
        free = clip and self._held_ms is None  # a held frame is not the candidate's to move
        paused = free and not self._player.is_playing()
        self.play_button.setEnabled(free)
        self.back_button.setEnabled(paused)
        self.forward_button.setEnabled(paused)
        self.slider.setEnabled(free and self.slider.maximum() > 0)
        self.time_label.setEnabled(clip)
        picture = self._media is not None and not self.canvas.message()
        zoom = self.canvas.zoom()
        self.zoom_in_button.setEnabled(picture and zoom < MAX_ZOOM)
        self.zoom_out_button.setEnabled(picture and zoom > 1.0)
        self.zoom_reset_button.setEnabled(picture and zoom > 1.0)

    # -- events -----------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Focus, a click or a Ctrl+wheel zoom: whatever the user did last is where keys go.
        if event.type() in _TURNED_TO:
            self.selected.emit()
        return False

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._fix_sizes()
        elif event.type() == QEvent.Type.PaletteChange:
            self.set_highlighted(self._highlighted)  # the theme changed colours


class UltrasoundViewer(QWidget):
    """Shows a key point's media, in tabs or two side by side; in hotspot or measure mode the
    user marks the target media."""

    hotspot_placed = Signal(float, float)  # image pixels
    calipers_changed = Signal(list, list)  # [x, y], [x, y] in image pixels
    media_failed = Signal(str, str)  # path, technical reason (for an incident record)
    media_shown = Signal(str)  # media id now on screen

    def __init__(
        self,
        clip_player: MediaPlayer,
        second_player: MediaPlayer | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._media: tuple[Media, ...] = ()
        self._index = -1  # the selected media: the keys act on it
        self._failed: set[Path] = set()  # reported once per key point
        self._mode = Mode.VIEW
        self._target: str | None = None
        self._held_ms: int | None = None
        self._side_by_side = False
        players = (clip_player,) if second_player is None else (clip_player, second_player)
        self._panes = tuple(MediaPane(player) for player in players)
        self._build()
        self._connect()

    def _build(self) -> None:
        self._tabs = QTabBar()
        self._tabs.setAccessibleName("Images for this question")
        self._tabs.setExpanding(False)
        self._tabs.setElideMode(Qt.TextElideMode.ElideRight)
        self._tabs.setUsesScrollButtons(True)
        self._tabs.hide()
        row = QHBoxLayout()
        row.setSpacing(2 * SPACING)
        for pane in self._panes:
            row.addWidget(pane, 1)
        for pane in self._panes[1:]:
            pane.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._tabs)
        layout.addLayout(row, 1)
        # Side by side only uses room there is; the layout must not make it the minimum, or
        # a splitter or window holding the viewer could never narrow it back to tabs.
        layout.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)

    def _connect(self) -> None:
        self._tabs.currentChanged.connect(self._on_tab)
        for index, pane in enumerate(self._panes):
            pane.canvas.marker_moved.connect(self.hotspot_placed)
            pane.canvas.calipers_moved.connect(self.calipers_changed)
            pane.failed.connect(self._on_failed)
            pane.shown.connect(self.media_shown)
            pane.selected.connect(lambda index=index: self._on_pane_selected(index))

    # -- public API -------------------------------------------------------------------

    @property
    def canvas(self) -> MediaCanvas:
        """The selected picture's widget (for the key-point screen's focus order and tests)."""
        return self.current_pane().canvas

    def current_pane(self) -> MediaPane:
        """The pane showing the selected media (the one the keys act on)."""
        return self._panes[self._pane_index(self._index)]

    def panes(self) -> tuple[MediaPane, ...]:
        """The panes on screen: one, or two side by side."""
        return self._panes if self._side_by_side else self._panes[:1]

    def is_side_by_side(self) -> bool:
        return self._side_by_side

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
        self._index = 0 if self._media else -1
        self._arrange()

    def clear(self) -> None:
        """Leave the key point: close the clips, forget the media and the marks."""
        self._reset()

    def media(self) -> tuple[Media, ...]:
        return self._media

    def current_media(self) -> Media | None:
        """The selected media: the mode's target once ``set_mode`` named one."""
        return self._media[self._index] if 0 <= self._index < len(self._media) else None

    def select_media(self, media_id: str) -> bool:
        """Show the media with this id; False when the key point has none such."""
        for index, item in enumerate(self._media):
            if item.id == media_id:
                self._select(index)
                return True
        return False

    def mode(self) -> str:
        return self._mode.value

    def set_mode(
        self, mode: str, target_media_id: str | None = None, held_ms: int | None = None
    ) -> None:
        """Answer on the picture: ``mode`` is "view", "hotspot" or "measure".

        The mode applies on ``target_media_id`` (None: the media selected now), which is
        selected; a clip target shows the frame at ``held_ms`` and stays on it, when given.
        Call it after ``show_media``, which resets the mode.
        """
        current = self.current_media()
        self._mode = Mode(mode)
        self._held_ms = held_ms
        self._target = target_media_id or (current.id if current else None)
        if target_media_id is not None:
            self.select_media(target_media_id)  # opened in its mode: a clip to mark stays paused
        self._apply_mode()

    def set_hotspot(self, x: float | None, y: float | None = None) -> None:
        """Show a saved hotspot response without reporting it; None removes the mark."""
        self._mark_canvas().set_marker(None if x is None or y is None else (x, y))

    def hotspot(self) -> Point | None:
        return self._mark_canvas().marker()

    def set_calipers(
        self, start: Sequence[float] | None, end: Sequence[float] | None = None
    ) -> None:
        """Show a saved measurement without reporting it; None shows the default line."""
        if start is None or end is None:
            self._mark_canvas().set_calipers(None, None)
        else:
            self._mark_canvas().set_calipers((start[0], start[1]), (end[0], end[1]))

    def calipers(self) -> tuple[Point, Point] | None:
        return self._mark_canvas().calipers()

    def distance_text(self) -> str:
        return self._mark_canvas().distance_text()

    def set_key_regions(self, regions: Sequence[Region]) -> None:
        """Outline hotspot regions: for item writers' preview only, never for a candidate.

        Only on the target's picture: regions of an item on the other one go.
        """
        target = self._mark_canvas()
        for pane in self._panes:
            pane.canvas.set_key_regions(regions if pane.canvas is target else ())

    # The window's keymap calls these; each acts on the selected media and does nothing where
    # it does not apply (steps while a clip plays, playback for a still).

    def toggle_play(self) -> None:
        self.current_pane().toggle_play()

    def step_back(self) -> None:
        self.current_pane().step_back()

    def step_forward(self) -> None:
        self.current_pane().step_forward()

    def zoom_in(self) -> None:
        self.current_pane().zoom_in()

    def zoom_out(self) -> None:
        self.current_pane().zoom_out()

    def reset_zoom(self) -> None:
        self.current_pane().reset_zoom()

    # -- arrangement ------------------------------------------------------------------

    def minimumSizeHint(self) -> QSize:
        # One pane with a clip's controls: side by side is never what the viewer needs.
        pane = self._panes[0].minimumSizeHint()
        tabs = self._tabs.minimumSizeHint().height() if self._tabs.isVisibleTo(self) else 0
        width = max(pane.width(), self._panes[0].clip_controls_width())
        return QSize(width, pane.height() + tabs)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self._media and self._fits_side_by_side() != self._side_by_side:
            self._arrange()

    def _fits_side_by_side(self) -> bool:
        """Two media, a player for each, and room for two readable pictures with controls."""
        if len(self._media) != 2 or len(self._panes) < 2:
            return False
        pane = self._panes[0]
        each = (self.width() - 2 * SPACING) // 2
        needed = max(SIDE_BY_SIDE_PICTURE.width(), pane.clip_controls_width())
        chrome = pane.minimumSizeHint().height() - pane.canvas.minimumHeight()
        return each >= needed and self.height() - chrome >= SIDE_BY_SIDE_PICTURE.height()

    def _arrange(self) -> None:
        """Put the media on the panes: both side by side when they fit, else the selected
        one under the tab bar. Marks move with their target's picture."""
        marks = self._mark_canvas()
        self._side_by_side = self._fits_side_by_side()
        if marks is not self._mark_canvas():
            _move_marks(marks, self._mark_canvas())
        if self._side_by_side:
            shown = list(enumerate(self._media))
        else:
            shown = [(self._index, self._media[self._index])] if self._media else []
        for pane, (index, media) in zip(self._panes, shown, strict=False):
            pane.show()
            pane.set_mode(*self._mode_for(media))
            pane.show_media(media, media_title(media, index), media.path in self._failed)
        for pane in self._panes[len(shown) :]:
            pane.clear()
            pane.hide()
        self._tabs.setVisible(len(self._media) > 1 and not self._side_by_side)
        self._update_highlight()

    def _pane_index(self, media_index: int) -> int:
        return media_index if self._side_by_side and media_index >= 0 else 0

    def _mark_canvas(self) -> MediaCanvas:
        """Where marks are drawn: the target's picture (in tabs: the one picture)."""
        ids = [m.id for m in self._media]
        target = ids.index(self._target) if self._target in ids else self._index
        return self._panes[self._pane_index(target)].canvas

    def _mode_for(self, media: Media) -> tuple[Mode, int | None]:
        """The mode (and held frame) applies on its target; other media are only looked at."""
        if media.id == self._target:
            return self._mode, self._held_ms
        return Mode.VIEW, None

    def _apply_mode(self) -> None:
        for pane in self.panes():
            media = pane.media()
            if media is not None:
                pane.set_mode(*self._mode_for(media))

    # -- selection --------------------------------------------------------------------

    def _select(self, index: int) -> None:
        if index == self._index:
            return
        self._index = index
        with QSignalBlocker(self._tabs):
            self._tabs.setCurrentIndex(index)
        if self._side_by_side:
            self._update_highlight()
        else:
            pane = self._panes[0]
            media = self._media[index]
            pane.set_mode(*self._mode_for(media))
            pane.show_media(media, media_title(media, index), media.path in self._failed)

    def _on_tab(self, index: int) -> None:
        if 0 <= index < len(self._media):
            self._select(index)

    def _on_pane_selected(self, pane_index: int) -> None:
        if self._side_by_side:
            self._select(pane_index)

    def _update_highlight(self) -> None:
        for index, pane in enumerate(self._panes):
            pane.set_highlighted(self._side_by_side and index == self._index)

    # -- state ------------------------------------------------------------------------

    def _reset(self) -> None:
        for pane in self._panes:
            pane.clear()
        for pane in self._panes[1:]:
            pane.hide()
        self._media, self._index, self._failed = (), -1, set()
        self._mode, self._target, self._held_ms, self._side_by_side = Mode.VIEW, None, None, False
        with QSignalBlocker(self._tabs):
            while self._tabs.count():
                self._tabs.removeTab(0)
        self._tabs.hide()
        self._update_highlight()

    def _on_failed(self, media: Media, reason: str) -> None:
        if media.path not in self._failed:
            self._failed.add(media.path)
            self.media_failed.emit(str(media.path), reason)


def _move_marks(source: MediaCanvas, target: MediaCanvas) -> None:
    """Hand a mark, calipers and key regions over to the canvas now showing the target."""
    target.set_marker(source.marker())
    calipers = source.calipers()
    target.set_calipers(*(calipers or (None, None)))
    target.set_key_regions(source.key_regions())
    source.set_marker(None)
    source.set_calipers(None, None)
    source.set_key_regions(())


def _fix_width(button: QToolButton, texts: Iterable[str]) -> None:
    """Fix ``button``'s width to what the widest of ``texts`` needs."""
    shown = button.text()
    widths = []
    for text in texts:
        button.setText(text)
        widths.append(button.sizeHint().width())
    button.setText(shown)
    button.setFixedWidth(max(widths))


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
