"""MediaCanvas: a FrameView that draws overlays, the hotspot mark and calipers, and edits them.

Marks are kept in image pixels of the media — its declared ``size`` when it has one, else the
picture's own pixels — and mapped to the widget only to paint or hit-test. So zoom and
letterboxing never move a mark, and a decoder that hands over scaled frames cannot shift a
candidate's answer.

The canvas only draws and reports: it emits what the user placed; it never judges it.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum

from PySide6.QtCore import QEvent, QLineF, QPointF, QRectF, QSizeF, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFocusEvent,
    QFontMetricsF,
    QImage,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPen,
    QPolygonF,
    QWheelEvent,
)
from PySide6.QtWidgets import QWidget

from casebook_player.core.case.model import Overlay, Region
from casebook_player.core.session.scoring import measured_mm
from casebook_player.ui.frame_view import MAX_ZOOM, FrameView

Point = tuple[float, float]

ZOOM_STEP = 1.25
GRAB_RADIUS = 18.0  # widget pixels around a caliper within which a press picks it up
MARK = QColor("#ffd400")  # yellow reads on grey-scale ultrasound and on black
OUTLINE = QColor(0, 0, 0, 220)
OVERLAY = QColor("#5ce1e6")  # the case's own measurements: a colour apart from the candidate's
REGION = QColor(255, 80, 200, 170)  # preview only: key regions are never shown to candidates
IMAGE_NAME = "Ultrasound image"

_ARROWS = {
    Qt.Key.Key_Left: (-1, 0),
    Qt.Key.Key_Right: (1, 0),
    Qt.Key.Key_Up: (0, -1),
    Qt.Key.Key_Down: (0, 1),
}
_CONFIRM = (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space)
# Shift moves by ten; keypad arrows carry the keypad flag. Any other modifier: a window key.
_OWN_MODIFIERS = Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.KeypadModifier


class Mode(StrEnum):
    VIEW = "view"
    HOTSPOT = "hotspot"
    MEASURE = "measure"


class MediaCanvas(FrameView):
    """Shows one picture; in hotspot or measure mode the user places a mark or two calipers."""

    marker_moved = Signal(float, float)  # the user placed or moved the hotspot mark
    calipers_moved = Signal(list, list)  # the user moved a caliper: [x, y], [x, y]
    interaction_started = Signal()  # a press that starts placing something (pause a clip)
    zoom_changed = Signal(float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._mode = Mode.VIEW
        self._logical: QSizeF | None = None
        self._marker: QPointF | None = None
        self._calipers: list[QPointF] | None = None
        self._active = 0  # which caliper the keyboard moves
        self._drag: str | None = None  # "marker" | "caliper" | "pan"
        self._drag_offset = QPointF()
        self._pan_from: tuple[QPointF, QPointF] | None = None  # press point, centre then
        self._overlays: tuple[Overlay, ...] = ()
        self._regions: tuple[Region, ...] = ()
        self._spacing_mm: float | None = None
        self._description = ""  # the shown media's text alternative
        self.setAccessibleName(IMAGE_NAME)
        self._update_interaction()

    # -- state ------------------------------------------------------------------------

    def mode(self) -> Mode:
        return self._mode

    def set_mode(self, mode: Mode | str) -> None:
        self._mode = Mode(mode)
        self._drag = None
        self._update_interaction()
        self.update()

    def set_logical_size(self, size: tuple[int, int] | None) -> None:
        """The pixel size marks are measured in (a clip's declared size); None: the picture's."""
        self._logical = QSizeF(*size) if size else None
        self.update()

    def set_overlays(self, overlays: Sequence[Overlay]) -> None:
        self._overlays = tuple(overlays)
        self.update()

    def set_key_regions(self, regions: Sequence[Region]) -> None:
        """Outline hotspot regions: item-writer preview only, never for a candidate."""
        self._regions = tuple(regions)
        self.update()

    def key_regions(self) -> tuple[Region, ...]:
        return self._regions

    def set_alt_text(self, title: str, description: str) -> None:
        """What a screen reader says for the picture: its title in the name, its description
        before the instructions for the mode."""
        self.setAccessibleName(f"{IMAGE_NAME}: {title}" if title else IMAGE_NAME)
        self._description = description.strip().rstrip(".")
        self._update_description()

    def set_image(self, image: QImage) -> None:
        had_message = bool(self.message())
        super().set_image(image)
        if had_message:  # not per frame: only when a message gives way to a picture
            self._update_description()

    def show_message(self, text: str) -> None:
        super().show_message(text)
        self._update_description()

    def clear(self) -> None:
        super().clear()
        self._update_description()

    def set_spacing_mm(self, spacing_mm: float | None) -> None:
        self._spacing_mm = spacing_mm
        self.update()

    def marker(self) -> Point | None:
        return _pair(self._marker) if self._marker is not None else None

    def set_marker(self, point: Point | None) -> None:
        """Show a saved mark (no signal); None removes it."""
        self._marker = QPointF(*point) if point is not None else None
        self.update()

    def calipers(self) -> tuple[Point, Point] | None:
        """The calipers the user placed or that were restored; None while only the default shows."""
        if self._calipers is None:
            return None
        return _pair(self._calipers[0]), _pair(self._calipers[1])

    def set_calipers(self, start: Point | None, end: Point | None) -> None:
        """Show saved calipers (no signal); None shows the default starting line again."""
        if start is None or end is None:
            self._calipers = None
        else:
            self._calipers = [QPointF(*start), QPointF(*end)]
        self.update()

    def shown_calipers(self) -> tuple[Point, Point] | None:
        """What measure mode draws: the placed calipers, else the default line."""
        calipers = self._calipers or self._default_calipers()
        if calipers is None:
            return None
        return _pair(calipers[0]), _pair(calipers[1])

    def active_caliper(self) -> int:
        return self._active

    def distance_text(self) -> str:
        """The length of the shown caliper line, in mm when the picture is calibrated."""
        shown = self.shown_calipers()
        if shown is None:
            return ""
        return _distance_text(shown[0], shown[1], self._spacing_mm)

    # -- geometry ---------------------------------------------------------------------

    def logical_size(self) -> QSizeF:
        """The size marks are measured in; empty without a picture."""
        if self.image().isNull():
            return QSizeF()
        return self._logical or QSizeF(self.image().size())

    def to_widget(self, point: QPointF) -> QPointF:
        """A point in (logical) image pixels → widget coordinates."""
        sx, sy = self._scale()
        return self.image_to_widget(QPointF(point.x() * sx, point.y() * sy))

    def to_image(self, point: QPointF, clamp: bool = False) -> QPointF | None:
        """A widget point → (logical) image pixels; None outside the picture unless ``clamp``."""
        rect = self.image_rect()
        if rect.isEmpty():
            return None
        if clamp:
            point = QPointF(
                min(max(point.x(), rect.left()), rect.right()),
                min(max(point.y(), rect.top()), rect.bottom()),
            )
        pixel = self.widget_to_image(point)
        if pixel is None:
            return None
        sx, sy = self._scale()
        return QPointF(pixel.x() / sx, pixel.y() / sy)

    def _scale(self) -> tuple[float, float]:
        """Picture pixels per logical pixel."""
        size = self.logical_size()
        if size.isEmpty():
            return 1.0, 1.0
        return self.image().width() / size.width(), self.image().height() / size.height()

    def _clamped(self, point: QPointF) -> QPointF:
        size = self.logical_size()
        return QPointF(
            min(max(point.x(), 0.0), size.width()), min(max(point.y(), 0.0), size.height())
        )

    def _default_calipers(self) -> list[QPointF] | None:
        """A horizontal line across the middle third: visible, obviously not an answer."""
        size = self.logical_size()
        if size.isEmpty():
            return None
        y = size.height() / 2
        return [QPointF(size.width() / 3, y), QPointF(2 * size.width() / 3, y)]

    # -- zoom -------------------------------------------------------------------------

    def set_zoom(self, zoom: float, centre: QPointF | None = None) -> None:
        super().set_zoom(zoom, centre)
        self.zoom_changed.emit(self.zoom())

    def zoom_in(self) -> None:
        self.set_zoom(self.zoom() * ZOOM_STEP)

    def zoom_out(self) -> None:
        self.set_zoom(self.zoom() / ZOOM_STEP)

    def _zoom_about(self, widget_point: QPointF, zoom: float) -> None:
        """Zoom so the picture point under ``widget_point`` stays under it."""
        rect = self.image_rect()
        pixel = self.widget_to_image(widget_point)
        if pixel is None or rect.isEmpty():
            self.set_zoom(zoom)
            return
        zoom = min(max(1.0, zoom), MAX_ZOOM)
        new_width = rect.width() / self.zoom() * zoom
        new_height = rect.height() / self.zoom() * zoom
        image = self.image()
        # The view centre shows the image fraction c where widget_point still shows `pixel`.
        cx = pixel.x() / image.width() + (self.width() / 2 - widget_point.x()) / new_width
        cy = pixel.y() / image.height() + (self.height() / 2 - widget_point.y()) / new_height
        self.set_zoom(zoom, self._clamp_centre(QPointF(cx * image.width(), cy * image.height())))

    def _clamp_centre(self, centre: QPointF) -> QPointF:
        image = self.image()
        return QPointF(
            min(max(centre.x(), 0.0), float(image.width())),
            min(max(centre.y(), 0.0), float(image.height())),
        )

    def wheelEvent(self, event: QWheelEvent) -> None:
        if not event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            super().wheelEvent(event)  # plain wheel scrolls whatever holds the viewer
            return
        steps = event.angleDelta().y() / 120
        if steps:
            self._zoom_about(event.position(), self.zoom() * ZOOM_STEP**steps)
        event.accept()

    # -- mouse ------------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            super().mousePressEvent(event)
            return
        pos = event.position()
        if self._mode is Mode.HOTSPOT:
            self._press_marker(pos)
        elif self._mode is Mode.MEASURE:
            self._press_caliper(pos)
        elif self.zoom() > 1.0:
            centre = self.widget_to_image(QPointF(self.width() / 2, self.height() / 2))
            if centre is not None:
                self._drag, self._pan_from = "pan", (pos, centre)
                self.setCursor(Qt.CursorShape.ClosedHandCursor)
        event.accept()

    def _press_marker(self, pos: QPointF) -> None:
        point = self.to_image(pos)
        if point is None:
            return  # a press on the black border places nothing
        self.interaction_started.emit()
        self._drag, self._marker = "marker", point
        self.update()

    def _press_caliper(self, pos: QPointF) -> None:
        shown = self._calipers or self._default_calipers()
        if shown is None:
            return
        ends = [self.to_widget(p) for p in shown]
        distances = [QLineF(pos, end).length() for end in ends]
        nearest = 0 if distances[0] <= distances[1] else 1
        if distances[nearest] <= GRAB_RADIUS:
            # Picked up: keep the offset so the caliper does not jump to the pointer.
            self._drag_offset = ends[nearest] - pos
        elif self.to_image(pos) is not None:
            self._drag_offset = QPointF()  # a press elsewhere brings the nearer caliper there
        else:
            return
        self.interaction_started.emit()
        self._calipers = [QPointF(p) for p in shown]
        self._active, self._drag = nearest, "caliper"
        self._move_caliper_to(pos)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        pos = event.position()
        if self._drag == "marker":
            self._marker = self.to_image(pos, clamp=True)
            self.update()
        elif self._drag == "caliper":
            self._move_caliper_to(pos)
        elif self._drag == "pan" and self._pan_from is not None:
            origin, centre = self._pan_from
            rect = self.image_rect()
            scale = self.image().width() / rect.width() if rect.width() else 1.0
            moved = centre - (pos - origin) * scale
            self.set_zoom(self.zoom(), self._clamp_centre(moved))
        else:
            super().mouseMoveEvent(event)

    def _move_caliper_to(self, pos: QPointF) -> None:
        point = self.to_image(pos + self._drag_offset, clamp=True)
        if point is not None and self._calipers is not None:
            self._calipers[self._active] = point
            self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        drag, self._drag = self._drag, None
        # Report once per gesture, not per mouse move: every report is journaled.
        if drag == "marker":
            self._emit_marker()
        elif drag == "caliper":
            self._emit_calipers()
        elif drag == "pan":
            self._update_interaction()
        else:
            super().mouseReleaseEvent(event)

    # -- keyboard ---------------------------------------------------------------------

    def event(self, event: QEvent) -> bool:
        # Claim our keys before the window's shortcuts see them, as a text field does.
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and self._claims(event)
        ):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if not self._claims(event):
            super().keyPressEvent(event)  # ignored: it goes on to the window's keys
            return
        step = 10.0 if event.modifiers() & Qt.KeyboardModifier.ShiftModifier else 1.0
        self._handle_key(Qt.Key(event.key()), step)
        event.accept()

    def _claims(self, event: QKeyEvent) -> bool:
        """Whether a key moves a mark or caliper in this mode; any other key is not ours."""
        if self.logical_size().isEmpty() or event.modifiers() & ~_OWN_MODIFIERS:
            return False
        key = event.key()
        if self._mode is Mode.HOTSPOT:
            return key in _ARROWS or key in _CONFIRM
        if self._mode is Mode.MEASURE:
            return key in _ARROWS or key in _CONFIRM or key == Qt.Key.Key_A
        return False

    def _handle_key(self, key: Qt.Key, step: float) -> None:
        """Act on a key that ``_claims`` took, in hotspot or measure mode."""
        if self._mode is Mode.HOTSPOT:
            if self._marker is None:
                # The first key press places the mark in the middle, for keyboard-only users.
                size = self.logical_size()
                self._marker = QPointF(size.width() / 2, size.height() / 2)
            elif key in _ARROWS:
                dx, dy = _ARROWS[key]
                self._marker = self._clamped(self._marker + QPointF(dx * step, dy * step))
            else:
                return  # Enter on a placed mark: nothing changed, nothing to report
            self.update()
            self._emit_marker()
        elif key == Qt.Key.Key_A:
            self._active = 1 - self._active
            self.update()
        else:
            if self._calipers is None:
                self._calipers = self._default_calipers()
            if key in _ARROWS and self._calipers is not None:
                dx, dy = _ARROWS[key]
                moved = self._calipers[self._active] + QPointF(dx * step, dy * step)
                self._calipers[self._active] = self._clamped(moved)
            self.update()
            self._emit_calipers()

    def focusNextPrevChild(self, next: bool) -> bool:
        # Tab steps from the first caliper to the second and then on out of the picture, so
        # keyboard users reach both calipers without being trapped.
        if self._mode is Mode.MEASURE and self.hasFocus():
            if next and self._active == 0:
                self._active = 1
                self.update()
                return True
            if not next and self._active == 1:
                self._active = 0
                self.update()
                return True
        return super().focusNextPrevChild(next)

    def focusInEvent(self, event: QFocusEvent) -> None:
        if event.reason() == Qt.FocusReason.TabFocusReason:
            self._active = 0
        elif event.reason() == Qt.FocusReason.BacktabFocusReason:
            self._active = 1
        super().focusInEvent(event)
        self.update()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.update()

    # -- reports ----------------------------------------------------------------------

    def _emit_marker(self) -> None:
        if self._marker is not None:
            x, y = _pair(self._marker)
            self.marker_moved.emit(x, y)

    def _emit_calipers(self) -> None:
        if self._calipers is not None:
            start, end = (list(_pair(p)) for p in self._calipers)
            self.calipers_moved.emit(start, end)

    def _update_interaction(self) -> None:
        interactive = self._mode is not Mode.VIEW
        self.setFocusPolicy(
            Qt.FocusPolicy.StrongFocus if interactive else Qt.FocusPolicy.ClickFocus
        )
        if interactive:
            self.setCursor(Qt.CursorShape.CrossCursor)
        elif self.zoom() > 1.0:
            self.setCursor(Qt.CursorShape.OpenHandCursor)
        else:
            self.unsetCursor()
        self._update_description()

    def _update_description(self) -> None:
        """A message in place of the picture, or the picture's description; then the mode's
        instructions. A screen reader has no other way to these."""
        shown = self.message() or (f"{self._description}." if self._description else "")
        self.setAccessibleDescription(" ".join(filter(None, (shown, _INSTRUCTIONS[self._mode]))))

    # -- painting ---------------------------------------------------------------------

    def paint_overlay(self, painter: QPainter, image_rect: QRectF) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if not image_rect.isEmpty():
            for overlay in self._overlays:
                self._paint_overlay_line(painter, overlay)
            for region in self._regions:
                self._paint_region(painter, region)
            if self._mode is Mode.HOTSPOT and self._marker is not None:
                self._paint_marker(painter, self.to_widget(self._marker))
            if self._mode is Mode.MEASURE:
                self._paint_calipers(painter)
        if self.hasFocus() and self._mode is not Mode.VIEW:
            pen = QPen(self.palette().highlight().color(), 3)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(QRectF(self.rect()).adjusted(1.5, 1.5, -1.5, -1.5))

    def _paint_overlay_line(self, painter: QPainter, overlay: Overlay) -> None:
        a, b = self.to_widget(QPointF(*overlay.start)), self.to_widget(QPointF(*overlay.end))
        line = QLineF(a, b)
        ticks = [_tick(a, line, 7.0), _tick(b, line, 7.0)] if line.length() else []
        for colour, width in ((OUTLINE, 4.0), (OVERLAY, 2.0)):
            painter.setPen(QPen(colour, width, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
            painter.drawLine(line)
            for tick in ticks:
                painter.drawLine(tick)
        # A label pinned to the edge would float away from its line once zoomed past it.
        if overlay.label and self.rect().contains(line.center().toPoint()):
            self._paint_label(painter, line.center(), overlay.label, OVERLAY, above=True)

    def _paint_region(self, painter: QPainter, region: Region) -> None:
        painter.setPen(QPen(REGION, 2, Qt.PenStyle.DashLine))
        painter.setBrush(QBrush(QColor(REGION.red(), REGION.green(), REGION.blue(), 40)))
        if region.center is not None:
            centre = self.to_widget(QPointF(*region.center))
            edge = self.to_widget(QPointF(region.center[0] + region.radius, region.center[1]))
            radius = QLineF(centre, edge).length()
            painter.drawEllipse(centre, radius, radius)
        else:
            painter.drawPolygon(QPolygonF([self.to_widget(QPointF(*p)) for p in region.polygon]))
        painter.setBrush(Qt.BrushStyle.NoBrush)

    def _paint_marker(self, painter: QPainter, at: QPointF) -> None:
        """A ring with a gapped crosshair: the clicked pixel itself stays visible."""
        path = QPainterPath()
        path.addEllipse(at, 11.0, 11.0)
        for dx, dy in ((1, 0), (-1, 0), (0, 1), (0, -1)):
            path.moveTo(at + QPointF(dx * 4, dy * 4))
            path.lineTo(at + QPointF(dx * 18, dy * 18))
        _stroke_twice(painter, path, MARK)

    def _paint_calipers(self, painter: QPainter) -> None:
        shown = self._calipers or self._default_calipers()
        if shown is None:
            return
        ends = [self.to_widget(p) for p in shown]
        line = QLineF(ends[0], ends[1])
        # Yellow dashes on a solid dark line: a measurement in progress, visible on any grey.
        painter.setPen(QPen(OUTLINE, 3.5))
        painter.drawLine(line)
        painter.setPen(QPen(MARK, 1.5, Qt.PenStyle.DashLine))
        painter.drawLine(line)
        for index, end in enumerate(ends):
            path = QPainterPath()
            for dx, dy in ((1, 0), (-1, 0), (0, 1), (0, -1)):
                path.moveTo(end)
                path.lineTo(end + QPointF(dx * 9, dy * 9))
            if index == self._active and self.hasFocus():
                path.addEllipse(end, 13.0, 13.0)  # which caliper the arrow keys move
            _stroke_twice(painter, path, MARK)
        text = _distance_text(_pair(shown[0]), _pair(shown[1]), self._spacing_mm)
        self._paint_label(painter, line.center(), text, MARK, above=ends[0].y() >= ends[1].y())

    def _paint_label(
        self, painter: QPainter, at: QPointF, text: str, colour: QColor, above: bool
    ) -> None:
        """Text on a dark box beside ``at`` (kept inside the widget), readable on any image."""
        font = self.font()
        font.setBold(True)
        painter.setFont(font)
        metrics = QFontMetricsF(font)
        box = metrics.boundingRect(text).adjusted(-6, -3, 6, 3)
        offset = -box.height() / 2 - 10 if above else box.height() / 2 + 10
        box.moveCenter(at + QPointF(0, offset))
        box.moveLeft(min(max(box.left(), 2.0), self.width() - box.width() - 2))
        box.moveTop(min(max(box.top(), 2.0), self.height() - box.height() - 2))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(0, 0, 0, 190))
        painter.drawRoundedRect(box, 4, 4)
        painter.setPen(colour)
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, text)
        painter.setBrush(Qt.BrushStyle.NoBrush)


_INSTRUCTIONS = {
    Mode.VIEW: "Ctrl and mouse wheel zoom; drag to move a zoomed picture.",
    Mode.HOTSPOT: (
        "Click to place your mark; drag it to move it. Keyboard: Enter places a mark in the "
        "middle, arrow keys move it by one pixel, with Shift by ten."
    ),
    Mode.MEASURE: (
        "Drag the two calipers to the ends of the measurement. Keyboard: Tab or A switches "
        "caliper, arrow keys move it by one pixel, with Shift by ten, Enter keeps the line."
    ),
}


def _pair(point: QPointF) -> Point:
    """A point rounded to a tenth of a pixel: finer than anyone clicks, tidy in the journal."""
    return round(point.x(), 1), round(point.y(), 1)


def _distance_text(start: Point, end: Point, spacing_mm: float | None) -> str:
    response = {"from": list(start), "to": list(end)}
    if spacing_mm:
        return f"{measured_mm(response, spacing_mm):.1f} mm"
    return f"{measured_mm(response, 1.0):.0f} px"


def _tick(at: QPointF, line: QLineF, half: float) -> QLineF:
    """A short stroke across ``line`` at ``at``."""
    dx, dy = line.dx() / line.length(), line.dy() / line.length()
    normal = QPointF(-dy * half, dx * half)
    return QLineF(at - normal, at + normal)


def _stroke_twice(painter: QPainter, path: QPainterPath, colour: QColor) -> None:
    """A dark outline under a bright stroke: visible on white tissue and on black fluid."""
    painter.setBrush(Qt.BrushStyle.NoBrush)
    for pen_colour, width in ((OUTLINE, 4.5), (colour, 2.0)):
        painter.setPen(QPen(pen_colour, width, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
        painter.drawPath(path)
