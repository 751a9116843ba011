"""The key-point screen: ultrasound media on the left; context and questions on the right."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from casebook_player.core.case.model import AnyItem, HotspotItem, KeyPoint, MeasurementItem
from casebook_player.core.session.responses import Response
from casebook_player.media.player import MediaPlayer
from casebook_player.ui.items import ItemWidget, make_item_widget
from casebook_player.ui.labels import as_markup
from casebook_player.ui.session import PlayerSession
from casebook_player.ui.viewer import UltrasoundViewer

ImageItem = HotspotItem | MeasurementItem
QWIDGETSIZE_MAX = (1 << 24) - 1  # Qt's own limit: no maximum
NEXT_QUESTION = "Next question ▸"
CONTINUE_CASE = "Continue the case ▸"
BACK_TO_REVIEW = "Back to the review ▸"


class KeyPointScreen(QWidget):
    review_done = Signal()

    def __init__(
        self,
        session: PlayerSession,
        clip_player: MediaPlayer,
        second_player: MediaPlayer | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.show_keys = False
        self.key_point: KeyPoint | None = None
        self.item_index = 0
        self.reviewing = False
        self.widgets: dict[str, ItemWidget] = {}
        self.active: ImageItem | None = None
        self._build(clip_player, second_player)
        session.key_point_shown.connect(self.show_key_point)
        session.response_recorded.connect(self._on_response_recorded)
        session.response_not_recorded.connect(self._on_response_not_recorded)

    def _build(self, clip_player: MediaPlayer, second_player: MediaPlayer | None) -> None:
        self.viewer = UltrasoundViewer(clip_player, second_player)
        self.viewer.hotspot_placed.connect(lambda x, y: self._respond_on_image({"x": x, "y": y}))
        self.viewer.calipers_changed.connect(
            lambda start, end: self._respond_on_image({"from": list(start), "to": list(end)})
        )
        self.viewer.media_failed.connect(
            lambda path, message: self.session.record_incident("media_error", message)
        )
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.context = QLabel()
        self.context.setWordWrap(True)
        self.context.setTextFormat(Qt.TextFormat.RichText)
        self.items_box = QVBoxLayout()
        self.previous_button = QPushButton("◂ Previous question")
        self.previous_button.setToolTip("Previous question (Alt+Left)")
        self.previous_button.clicked.connect(self.session.previous_item)
        self.next_button = QPushButton()
        self.next_button.setDefault(True)
        self.next_button.setToolTip("Next (Alt+Right)")
        self.next_button.clicked.connect(self.go_next)
        # The column's least width must not change with the buttons' text or with the
        # previous button shown or not: a splitter does not widen a column whose least
        # width grew, so its buttons would be cut.
        retain = self.previous_button.sizePolicy()
        retain.setRetainSizeWhenHidden(True)
        self.previous_button.setSizePolicy(retain)
        self.next_button.setMinimumWidth(
            max(
                self._button_width(self.next_button, text)
                for text in (NEXT_QUESTION, CONTINUE_CASE, BACK_TO_REVIEW)
            )
        )
        nav = QHBoxLayout()
        nav.addWidget(self.previous_button)
        nav.addStretch(1)
        nav.addWidget(self.next_button)

        self.panel = QWidget()
        panel_layout = QVBoxLayout(self.panel)
        panel_layout.addWidget(self.title)
        panel_layout.addWidget(self.context)
        panel_layout.addLayout(self.items_box)
        page = QWidget()
        self.page_layout = QGridLayout(page)
        self.page_layout.setContentsMargins(0, 0, 0, 0)
        self.page_layout.addWidget(self.panel, 1, 1)
        self.page_layout.setRowStretch(2, 1)
        self.question_scroll = scroll = QScrollArea()
        scroll.setWidget(page)
        scroll.setWidgetResizable(True)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._on_focus_changed)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(scroll, 1)
        right_layout.addLayout(nav)
        splitter = QSplitter()
        splitter.addWidget(self.viewer)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        # On the scroll area, not the column: the column is at least as wide as its buttons.
        scroll.setMinimumWidth(self.fontMetrics().averageCharWidth() * 44)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

    @staticmethod
    def _button_width(button: QPushButton, text: str) -> int:
        shown = button.text()
        button.setText(text)
        width = button.sizeHint().width()
        button.setText(shown)
        return width

    # -- showing ----------------------------------------------------------------------

    def show_key_point(self, kp: KeyPoint, item_index: int) -> None:
        self.reviewing = False
        self._show(kp, list(kp.shown_items(item_index)))
        self.item_index = item_index
        sequential = not kp.together
        self.previous_button.setVisible(sequential and len(kp.items) > 1)
        self.previous_button.setEnabled(item_index > 0)
        last = not sequential or item_index == len(kp.items) - 1
        self.next_button.setText(CONTINUE_CASE if last else NEXT_QUESTION)

    def show_for_review(self, item_id: str) -> None:
        """Answer one item left blank, with its key point's media, from the review."""
        kp = next(
            kp for _, kp in self.session.case.key_points() if item_id in {i.id for i in kp.items}
        )
        self._show(kp, [self.session.case.item(item_id)])
        self.reviewing = True
        self.previous_button.hide()
        self.next_button.setText(BACK_TO_REVIEW)

    def leave(self) -> None:
        """The key point is over: stop its clip."""
        self.viewer.clear()
        self.key_point = None

    def _show(self, kp: KeyPoint, items: list[AnyItem]) -> None:
        if kp is not self.key_point:
            self.key_point = kp
            self.viewer.show_media(kp.media)
            self.viewer.setVisible(bool(kp.media))  # a question without images gets the room
            self._centre_questions(not kp.media)
            self.title.setText(f"<h2>{as_markup(kp.title)}</h2>")
            self.context.setText(_context_html(kp))
        self._show_items(items)

    def _centre_questions(self, centred: bool) -> None:
        """Without images, the questions stand in a column of readable width in the middle
        of the screen, not along the top of an empty one."""
        readable = self.fontMetrics().averageCharWidth() * 90
        self.panel.setMaximumWidth(readable if centred else QWIDGETSIZE_MAX)
        for margin in (0, 2):
            self.page_layout.setColumnStretch(margin, 1 if centred else 0)
        self.page_layout.setColumnStretch(1, 20)  # up to its maximum width; margins take the rest
        self.page_layout.setRowStretch(0, 1 if centred else 0)

    def _on_focus_changed(self, old: QWidget | None, new: QWidget | None) -> None:
        """Keep the focused answer in sight: Tab, Shift+Tab or a number key may reach one
        scrolled out of the panel."""
        if new is not None and self.panel.isAncestorOf(new):
            margin = self.fontMetrics().height() * 2
            self.question_scroll.ensureWidgetVisible(new, margin, margin)

    def _show_items(self, items: list[AnyItem]) -> None:
        for widget in self.widgets.values():
            # Out of sight now: deleteLater alone waits for the event loop to come round.
            widget.hide()
            self.items_box.removeWidget(widget)
            widget.deleteLater()
        self.widgets = {}
        self.active = None
        for item in items:
            widget = make_item_widget(
                item,
                spacing_mm=self._spacing(item),
                domain_names={d.id: d.name for d in self.session.case.domains},
            )
            widget.set_response(self.session.response(item.id))
            widget.set_show_key(self.show_keys)
            widget.response_changed.connect(
                lambda value, item_id=item.id: self.session.respond(item_id, value)
            )
            if isinstance(item, HotspotItem | MeasurementItem):
                widget.entered.connect(lambda item=item: self._activate_if_other(item))
                widget.installEventFilter(self)  # a click on its text gives no focus
            self.items_box.addWidget(widget)
            widget.show()  # now, not at the next event loop turn: focus and clicks need it
            self.widgets[item.id] = widget
        first_on_image = next(
            (i for i in items if isinstance(i, HotspotItem | MeasurementItem)), None
        )
        self._activate(first_on_image)
        if items:
            self.widgets[items[0].id].setFocus()

    def _spacing(self, item: AnyItem) -> float | None:
        if isinstance(item, MeasurementItem) and self.key_point is not None:
            return self.key_point.media_by_id(item.target).pixel_spacing_mm
        return None

    def set_show_keys(self, show: bool) -> None:
        """Preview mode: keys, rationales and domains beside each item."""
        self.show_keys = show
        for widget in self.widgets.values():
            widget.set_show_key(show)
        self._activate(self.active)  # key regions on the image follow

    # -- answering on the image -------------------------------------------------------

    def _activate(self, item: ImageItem | None) -> None:
        """Point the viewer at the item answered by clicking on an image."""
        self.active = item
        if item is None:
            self.viewer.set_mode("view", None)
            return
        if isinstance(item, HotspotItem):
            self.viewer.set_mode("hotspot", item.target)
        else:
            held = None if item.frame_at is None else round(item.frame_at * 1000)
            self.viewer.set_mode("measure", item.target, held)
        keyed = (
            [r for r in item.regions if r.id in item.answer]
            if isinstance(item, HotspotItem)
            else []
        )
        self.viewer.set_key_regions(keyed if self.show_keys else [])
        self._show_on_image(item, self.session.response(item.id))

    def _show_on_image(self, item: ImageItem, value: Response) -> None:
        if isinstance(item, HotspotItem):
            self.viewer.set_hotspot(value["x"], value["y"]) if value else self.viewer.set_hotspot(
                None
            )
        elif value:
            self.viewer.set_calipers(value["from"], value["to"])
        else:
            self.viewer.set_calipers(None)

    def _respond_on_image(self, value: Response) -> None:
        if self.active is not None:
            self.session.respond(self.active.id, value)

    def _on_response_recorded(self, item_id: str, value: Response) -> None:
        widget = self.widgets.get(item_id)
        if widget is not None:
            widget.set_response(value)
        if self.active is not None and self.active.id == item_id:
            self._show_on_image(self.active, value)

    def _on_response_not_recorded(self, item_id: str, standing: Response, why: str) -> None:
        """Nothing may look answered that is not saved: back to what stands, and why."""
        widget = self.widgets.get(item_id)
        if widget is not None:
            widget.show_not_saved(standing, why)
        if self.active is not None and self.active.id == item_id:
            self._show_on_image(self.active, standing)

    def _activate_if_other(self, item: ImageItem) -> None:
        """With several image items together, the one the candidate works on owns the image."""
        if item is not self.active:
            self._activate(item)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        item = getattr(watched, "item", None)
        if event.type() == QEvent.Type.MouseButtonPress and isinstance(
            item, HotspotItem | MeasurementItem
        ):
            self._activate_if_other(item)
        return False

    # -- navigation -------------------------------------------------------------------

    def go_next(self) -> None:
        if self.reviewing:
            self.review_done.emit()
        elif self.key_point is not None and self.key_point.together:
            self.session.submit()
        else:
            self.session.next_item()


def _context_html(kp: KeyPoint) -> str:
    parts = [f"<p>{as_markup(kp.prompt)}</p>"] if kp.prompt else []
    for group, values in kp.clinical_info:
        rows = "".join(
            f"<tr><td><b>{as_markup(name)}</b>&nbsp;&nbsp;</td><td>{as_markup(value)}</td></tr>"
            for name, value in values
        )
        parts.append(f"<p><b>{as_markup(group.capitalize())}</b></p><table>{rows}</table>")
    return "".join(parts)
