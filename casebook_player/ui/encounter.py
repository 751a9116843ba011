"""The encounter screen: narration with captions over it, the transcript in sync, controls."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QImage, QPainter
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSlider,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from casebook_player.core.case.captions import CaptionError, Cue, cue_at, read_cues
from casebook_player.core.case.model import Segment
from casebook_player.core.session.timer import format_clock
from casebook_player.ui.frame_view import FrameView
from casebook_player.ui.session import PlayerSession

CAPTION_SCALES = (0.75, 1.0, 1.25, 1.5, 2.0)
CAPTION_PADDING = 6
AUTO_BAND_KEEPS = 0.85  # "auto" puts captions below when the picture keeps this much height
NARRATION_DESCRIPTION = (
    "Narration video of the encounter; its words are in the captions and the transcript."
)
POSTER_DESCRIPTION = (
    "A picture shown while the narration plays; its words are in the captions and the transcript."
)
MIN_SLIDER_CHARS = 24  # the position slider's least width, in average characters


class CaptionedView(FrameView):
    """The narration picture with the current caption: in a band below the picture, or over
    its lower part (``caption_position``: "below", "over", or "auto": below when the band
    costs the picture little height)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.caption = ""
        self.captions_visible = True
        self.caption_scale = 1.0
        self.caption_position = "auto"
        self.picture_description = NARRATION_DESCRIPTION
        self.setAccessibleName("Narration video")
        self._describe()

    def set_caption(self, text: str) -> None:
        if text != self.caption:
            self.caption = text
            self._describe()
            self.update()

    def set_picture_description(self, text: str) -> None:
        self.picture_description = text
        self._describe()

    def _describe(self) -> None:
        caption = f" Caption: {self.caption}" if self.caption else ""
        self.setAccessibleDescription(self.picture_description + caption)

    def caption_font(self) -> QFont:
        font = QFont(self.font())
        font.setPointSizeF(max(8.0, self.font().pointSizeF() * 1.4 * self.caption_scale))
        font.setBold(True)
        return font

    def caption_band(self) -> float:
        """The height kept below the picture for two lines of captions; 0 when drawn over."""
        if not self.captions_visible or self.caption_position == "over":
            return 0.0
        band = QFontMetricsF(self.caption_font()).lineSpacing() * 2 + 2 * CAPTION_PADDING
        if self.caption_position == "below":
            return band
        image = self.image()
        if image.isNull() or self.height() <= band:
            return 0.0
        full = image.size().scaled(self.size(), Qt.AspectRatioMode.KeepAspectRatio)
        above = image.size().scaled(
            QSize(self.width(), round(self.height() - band)), Qt.AspectRatioMode.KeepAspectRatio
        )
        return band if above.height() >= AUTO_BAND_KEEPS * full.height() else 0.0

    def picture_area(self) -> QRectF:
        area = QRectF(self.rect())
        return area.adjusted(0, 0, 0, -min(self.caption_band(), area.height() / 2))

    def paint_overlay(self, painter: QPainter, image_rect: QRectF) -> None:
        if not (self.captions_visible and self.caption):
            return
        band = self.caption_band()
        if band:
            area = QRectF(self.rect()).adjusted(0, self.picture_area().height(), 0, 0)
            box = area.adjusted(area.width() * 0.04, CAPTION_PADDING, -area.width() * 0.04, 0)
        else:
            area = image_rect if not image_rect.isEmpty() else QRectF(self.rect())
            box = area.adjusted(area.width() * 0.08, 0, -area.width() * 0.08, -area.height() * 0.05)
        painter.setFont(self.caption_font())
        vertical = Qt.AlignmentFlag.AlignTop if band else Qt.AlignmentFlag.AlignBottom
        flags = int(Qt.AlignmentFlag.AlignHCenter | vertical) | int(Qt.TextFlag.TextWordWrap)
        text_rect = painter.boundingRect(box, flags, self.caption)
        painter.fillRect(text_rect.adjusted(-10, -6, 10, 6), QColor(0, 0, 0, 200))
        painter.setPen(QColor("white"))
        painter.drawText(text_rect, flags, self.caption)


class TranscriptPanel(QListWidget):
    """The cues of the segment heard so far (or all of them, for item writers); the current one
    highlighted and scrolled into view. Activating an earlier cue asks to replay from it."""

    cue_activated = Signal(float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.cues: list[Cue] = []
        self.show_all = False
        self._heard_until = 0.0
        self.setWordWrap(True)
        self.setAccessibleName("Transcript")
        self.setAlternatingRowColors(True)
        self.itemActivated.connect(
            lambda item: self.cue_activated.emit(item.data(Qt.ItemDataRole.UserRole))
        )

    def set_cues(self, cues: list[Cue]) -> None:
        """A new segment: none of it heard yet."""
        self.clear()
        self.cues = cues
        self._heard_until = 0.0
        self._sync_rows()

    def set_heard_until(self, seconds: float) -> None:
        """Show the cues that begin by ``seconds``, the furthest point the narration reached."""
        self._heard_until = seconds
        self._sync_rows()

    def set_show_all(self, show_all: bool) -> None:
        self.show_all = show_all
        self._sync_rows()

    def _sync_rows(self) -> None:
        # Rows are only added or removed at the end, so the list a screen reader is reading
        # does not change under it as cues are reached.
        wanted = len(self.cues)
        if not self.show_all:
            wanted = next(
                (i for i, cue in enumerate(self.cues) if cue.start > self._heard_until), wanted
            )
        while self.count() > wanted:
            self.takeItem(self.count() - 1)
        for cue in self.cues[self.count() : wanted]:
            item = QListWidgetItem(f"{format_clock(cue.start)}  {cue.text}")
            item.setData(Qt.ItemDataRole.UserRole, cue.start)
            self.addItem(item)

    def highlight(self, index: int | None) -> None:
        if index is None or index == self.currentRow() or index >= self.count():
            return
        self.setCurrentRow(index)
        self.scrollToItem(self.item(index), QListWidget.ScrollHint.PositionAtCenter)


class EncounterScreen(QWidget):
    def __init__(self, session: PlayerSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.cues: list[Cue] = []
        self.segment: Segment | None = None
        self._build()
        session.narration_started.connect(self._on_narration_started)
        session.narration_position.connect(self._on_position)
        session.narration_failed.connect(self._on_failed)
        session.playing_changed.connect(self._on_playing_changed)
        session.narration.frame_ready.connect(self._on_frame)
        # Narration pictures are never zoomed: none need be larger than the view.
        self.view.resized.connect(session.narration.set_view_size)

    def _build(self) -> None:
        self.view = CaptionedView()
        self.transcript = TranscriptPanel()
        self.transcript.cue_activated.connect(self.session.seek)
        self.play_button = self._button(
            "Pause", "Play or pause the narration (K)", self.session.toggle_play
        )
        self.back_button = self._button("⟲ 10 s", "Go back 10 seconds (J)", lambda: self.skip(-10))
        self.forward_button = self._button(
            "10 s ⟳", "Go forward 10 seconds, up to where you have been (L)", lambda: self.skip(10)
        )
        self.replay_button = self._button(
            "Replay segment",
            "Replay this part of the encounter from its start (R)",
            self.session.replay_segment,
        )
        self.cc_button = self._button(
            "Captions on", "Show or hide captions (C)", self.toggle_captions
        )
        self.cc_button.setCheckable(True)
        self._show_captions_state()
        self.smaller_button = self._button(
            "A−", "Smaller captions", lambda: self.scale_captions(-1)
        )
        self.larger_button = self._button("A+", "Larger captions", lambda: self.scale_captions(1))
        self.continue_button = self._button(
            "Continue",
            "Continue the case without the narration",
            self.session.continue_without_narration,
        )
        self.continue_button.hide()
        self.position = QSlider(Qt.Orientation.Horizontal)
        self.position.setAccessibleName("Narration position")
        self.position.sliderReleased.connect(
            lambda: self.session.seek(self.position.value() / 1000)
        )
        self.time_label = QLabel("0:00 / 0:00")
        self.volume = QSlider(Qt.Orientation.Horizontal)
        self.volume.setRange(0, 100)
        self.volume.setValue(100)
        self.volume.setMaximumWidth(110)
        self.volume.setAccessibleName("Volume")
        self.volume.valueChanged.connect(lambda v: self.session.narration.set_volume(v / 100))

        # Two rows, the buttons under both the picture and the transcript: in one row beside
        # the transcript a 1024-pixel-wide window cut button texts and squashed the slider.
        seek_row = QHBoxLayout()
        seek_row.addWidget(self.position, 1)
        seek_row.addWidget(self.time_label)
        volume_label = QLabel("Volume")
        volume_label.setBuddy(self.volume)
        buttons = QHBoxLayout()
        for button in (self.play_button, self.back_button, self.forward_button, self.replay_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        for widget in (
            volume_label,
            self.volume,
            self.cc_button,
            self.smaller_button,
            self.larger_button,
            self.continue_button,
        ):
            buttons.addWidget(widget)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.view, 1)
        left_layout.addLayout(seek_row)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        heading = QLabel("<b>Transcript</b>")
        heading.setBuddy(self.transcript)
        right_layout.addWidget(heading)
        right_layout.addWidget(self.transcript)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        right.setMinimumWidth(self.fontMetrics().averageCharWidth() * 36)
        self.position.setMinimumWidth(self.fontMetrics().averageCharWidth() * MIN_SLIDER_CHARS)
        self.volume.setMinimumWidth(self.fontMetrics().averageCharWidth() * 15)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addLayout(buttons)

    def _button(self, text: str, description: str, slot: object) -> QPushButton:
        button = QPushButton(text)
        button.setToolTip(description)
        button.setAccessibleName(description.split(" (")[0])
        button.clicked.connect(slot)
        return button

    def set_show_full_transcript(self, show: bool) -> None:
        """Item writers see every cue; candidates only those the narration has reached."""
        self.transcript.set_show_all(show)

    # -- intents ----------------------------------------------------------------------

    def skip(self, seconds: float) -> None:
        self.session.seek(self.session.position + seconds)

    def toggle_captions(self) -> None:
        self.view.captions_visible = not self.view.captions_visible
        self._show_captions_state()
        self.view.update()

    def _show_captions_state(self) -> None:
        # Said in words, not only by the checked look, for screen readers and low vision.
        state = "Captions on" if self.view.captions_visible else "Captions off"
        self.cc_button.setChecked(self.view.captions_visible)
        self.cc_button.setText(state)
        self.cc_button.setAccessibleName(state)

    def scale_captions(self, step: int) -> None:
        index = min(
            range(len(CAPTION_SCALES)),
            key=lambda i: abs(CAPTION_SCALES[i] - self.view.caption_scale),
        )
        self.view.caption_scale = CAPTION_SCALES[max(0, min(len(CAPTION_SCALES) - 1, index + step))]
        self.view.update()

    # -- session events ---------------------------------------------------------------

    def _on_narration_started(self, segment: Segment, start: float) -> None:
        self.continue_button.hide()
        if segment is not self.segment:
            self.segment = segment
            try:
                self.cues = read_cues(segment.captions)
            except (CaptionError, OSError):
                self.cues = []  # validated at load; a file changed since then shows no captions
            self.transcript.set_cues(self.cues)
            self.position.setRange(0, round(segment.duration * 1000))
            self.view.clear()
            self.view.caption_position = segment.caption_position
            self.view.set_picture_description(
                NARRATION_DESCRIPTION if segment.is_video else POSTER_DESCRIPTION
            )
            if not segment.is_video:
                poster = QImage(str(segment.poster)) if segment.poster else QImage()
                if poster.isNull():
                    self.view.show_message("Audio narration")
                else:
                    self.view.set_image(poster)
        self._on_position(start)

    def _on_position(self, seconds: float) -> None:
        index = cue_at(self.cues, seconds)
        self.view.set_caption(self.cues[index].text if index is not None else "")
        # The session reports a media position before the timeline counts it as reached.
        self.transcript.set_heard_until(max(seconds, self.session.furthest))
        self.transcript.highlight(index)
        if not self.position.isSliderDown():
            self.position.setValue(round(seconds * 1000))
        total = self.segment.duration if self.segment else 0.0
        self.time_label.setText(f"{format_clock(seconds)} / {format_clock(total)}")

    def _on_frame(self, image: QImage) -> None:
        if self.segment is not None and self.segment.is_video:
            self.view.set_image(image)

    def _on_failed(self, message: str) -> None:
        self.view.show_message(
            "The narration cannot be played.\n"
            f"{message}\n\nRead the transcript, then press Continue."
        )
        self.continue_button.show()
        self.continue_button.setFocus()

    def _on_playing_changed(self, playing: bool) -> None:
        self.play_button.setText("Pause" if playing else "Play")
