"""FrameView: paints a video frame or still image, scaled to fit, with optional zoom.

Every media backend hands frames over as QImage (``MediaPlayer.frame_ready``), so one view
serves narration video, ultrasound clips and still images alike. Subclasses draw on top by
overriding ``paint_overlay`` and map clicks with ``widget_to_image``.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPaintEvent, QPalette, QResizeEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

MAX_ZOOM = 4.0


class FrameView(QWidget):
    resized = Signal(int, int)  # the new size in device pixels

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._image = QImage()
        self._message = ""
        self._zoom = 1.0
        self._centre = QPointF(0.5, 0.5)  # the image point (as fractions) at the view centre
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(160, 120)
        self.setAutoFillBackground(True)
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Window, QColor("black"))
        self.setPalette(palette)

    # -- content ----------------------------------------------------------------------

    def set_image(self, image: QImage) -> None:
        """Show ``image`` (a frame or a still); clears any message."""
        self._image = image
        self._message = ""
        self.update()

    def image(self) -> QImage:
        return self._image

    def show_message(self, text: str) -> None:
        """Show ``text`` in place of the picture (e.g. a media file that cannot be played)."""
        self._image = QImage()
        self._message = text
        self.update()

    def message(self) -> str:
        return self._message

    def clear(self) -> None:
        self._image = QImage()
        self._message = ""
        self.reset_zoom()

    # -- zoom -------------------------------------------------------------------------

    def zoom(self) -> float:
        return self._zoom

    def set_zoom(self, zoom: float, centre: QPointF | None = None) -> None:
        """Zoom 1 fits the whole image; ``centre`` is an image point in pixels."""
        self._zoom = min(max(1.0, zoom), MAX_ZOOM)
        if centre is not None and not self._image.isNull():
            self._centre = QPointF(
                centre.x() / self._image.width(), centre.y() / self._image.height()
            )
        if self._zoom == 1.0:
            self._centre = QPointF(0.5, 0.5)
        self.update()

    def reset_zoom(self) -> None:
        self.set_zoom(1.0)

    # -- geometry ---------------------------------------------------------------------

    def image_rect(self) -> QRectF:
        """Where the image is drawn, in widget coordinates."""
        if self._image.isNull():
            return QRectF()
        area = self.picture_area()
        size = QSize(self._image.size())
        size.scale(area.size().toSize(), Qt.AspectRatioMode.KeepAspectRatio)
        width, height = size.width() * self._zoom, size.height() * self._zoom
        left = area.width() / 2 - self._centre.x() * width
        top = area.height() / 2 - self._centre.y() * height
        # Never leave a gap at an edge while zoomed in.
        if width > area.width():
            left = min(0.0, max(area.width() - width, left))
        else:
            left = (area.width() - width) / 2
        if height > area.height():
            top = min(0.0, max(area.height() - height, top))
        else:
            top = (area.height() - height) / 2
        return QRectF(area.left() + left, area.top() + top, width, height)

    def picture_area(self) -> QRectF:
        """The part of the view the picture is fitted into; subclasses may keep a band free."""
        return QRectF(self.rect())

    def widget_to_image(self, point: QPointF) -> QPointF | None:
        """The image pixel under a widget point, or None outside the image."""
        rect = self.image_rect()
        if rect.isEmpty() or not rect.contains(point):
            return None
        return QPointF(
            (point.x() - rect.left()) * self._image.width() / rect.width(),
            (point.y() - rect.top()) * self._image.height() / rect.height(),
        )

    def image_to_widget(self, point: QPointF) -> QPointF:
        rect = self.image_rect()
        if rect.isEmpty():
            return QPointF()
        return QPointF(
            rect.left() + point.x() * rect.width() / self._image.width(),
            rect.top() + point.y() * rect.height() / self._image.height(),
        )

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        ratio = self.devicePixelRatioF()
        self.resized.emit(math.ceil(self.width() * ratio), math.ceil(self.height() * ratio))

    # -- painting ---------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        rect = self.image_rect()
        if not rect.isEmpty():
            painter.drawImage(rect, self._image)
        elif self._message:
            painter.setPen(QColor("white"))
            painter.drawText(
                self.rect().adjusted(12, 12, -12, -12),
                Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                self._message,
            )
        self.paint_overlay(painter, rect)
        painter.end()

    def paint_overlay(self, painter: QPainter, image_rect: QRectF) -> None:
        """Draw on top of the image; ``image_rect`` is empty when there is none."""
