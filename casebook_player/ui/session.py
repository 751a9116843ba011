"""PlayerSession: the Qt side of an attempt. It drives the narration player and the clock for
the core AttemptSession, and turns what the attempt tells it into signals for the screens.

Every rule of taking the attempt (time, pauses, journaling, the result) is in
``core.attempt_session``; here are only media and Qt. Screens talk to this object alone.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from casebook_player.core.case.model import Case, KeyPoint, Segment
from casebook_player.core.session.attempt import (
    AttemptSession,
    IncidentRecorded,
    NarrationFailed,
    Notice,
    PausedChanged,
    ProgressChanged,
    ResponseNotRecorded,
    ResponseRecorded,
    Saved,
    SaveFailed,
    TimeLeft,
    TimeWarning,
)
from casebook_player.core.session.responses import Response
from casebook_player.core.session.results import Attempt
from casebook_player.core.session.timeline import (
    Ended,
    EndReason,
    Phase,
    Play,
    Review,
    ShowKeyPoint,
)
from casebook_player.media.player import MediaPlayer

CLOCK_TICK_MS = 250


class PlayerSession(QObject):
    narration_started = Signal(object, float)  # Segment, start seconds
    narration_position = Signal(float)  # seconds into the segment
    narration_failed = Signal(str)  # message: the narration cannot be played
    playing_changed = Signal(bool)
    key_point_shown = Signal(object, int)  # KeyPoint, item index
    response_recorded = Signal(str, object)  # item id, normalised response (None = cleared)
    response_not_recorded = Signal(str, object, str)  # item id, the response standing, why
    review_started = Signal(tuple)  # unanswered item ids
    ended = Signal(object)  # EndReason
    progress_changed = Signal(int, int)  # key points reached, key points on the path
    time_left_changed = Signal(object)  # seconds (float) or None when untimed
    time_warning = Signal(float)  # seconds left: warn the candidate now
    incident_recorded = Signal(dict)
    paused_changed = Signal(bool)  # a proctor paused (True) or resumed (False) the attempt
    save_failed = Signal(str)  # the journal could not be written: what happened
    saved = Signal(str)  # a step reached the journal: what kind (event, response, clock, …)

    def __init__(
        self, core: AttemptSession, narration: MediaPlayer, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.core = core
        self.narration = narration
        self._open_media: Path | None = None
        core.subscribe(self._on_notice)
        narration.position_changed.connect(self._on_position)
        narration.paused_at.connect(self._on_position)
        narration.ended.connect(core.narration_ended)
        narration.error.connect(core.narration_failed)
        narration.playing_changed.connect(self.playing_changed)
        self._tick = QTimer(self)
        self._tick.setInterval(CLOCK_TICK_MS)
        self._tick.timeout.connect(core.tick)
        # The journal is released with the window that shows the attempt (not with self:
        # a slot of a QObject being destroyed must not be called).
        self.destroyed.connect(lambda _obj=None, core=core: core.close())

    # -- what screens may read ----------------------------------------------------------

    @property
    def case(self) -> Case:
        return self.core.case

    @property
    def attempt(self) -> Attempt:
        return self.core.attempt

    @property
    def phase(self) -> Phase:
        return self.core.phase

    @property
    def paused(self) -> bool:
        return self.core.paused

    @property
    def position(self) -> float:
        return self.core.position

    @property
    def furthest(self) -> float:
        return self.core.furthest

    @property
    def key_point(self) -> KeyPoint | None:
        return self.core.key_point

    @property
    def segment(self) -> Segment | None:
        return self.core.segment

    def response(self, item_id: str) -> Response:
        return self.core.response(item_id)

    def unanswered(self) -> tuple[str, ...]:
        return self.core.unanswered()

    def visited_items(self) -> list[str]:
        return self.core.visited_items()

    def segment_of(self, kp: KeyPoint) -> Segment:
        return self.core.segment_of(kp)

    def result(self) -> dict[str, Any]:
        return self.core.result()

    @property
    def incidents(self) -> list[dict[str, Any]]:
        return list(self.core.incidents)

    # -- intents, passed on -------------------------------------------------------------

    def start(self) -> None:
        self._tick.start()
        self.core.start()

    def respond(self, item_id: str, value: Response) -> bool:
        return self.core.respond(item_id, value)

    def next_item(self) -> None:
        self.core.next_item()

    def previous_item(self) -> None:
        self.core.previous_item()

    def submit(self) -> None:
        self.core.submit()

    def finish(self) -> None:
        self.core.finish()

    def end(self, reason: EndReason) -> None:
        self.core.end(reason)

    def record_incident(self, kind: str, note: str = "") -> None:
        self.core.record_incident(kind, note)

    def pause_attempt(self) -> None:
        self.core.pause_attempt()

    def resume_attempt(self) -> None:
        self.core.resume_attempt()

    def interrupt(self, kind: str, note: str = "") -> None:
        self.core.interrupt(kind, note)

    def add_time(self, minutes: float) -> None:
        self.core.add_time(minutes)

    def end_by_proctor(self, note: str = "") -> None:
        self.core.end_by_proctor(note)

    def continue_without_narration(self) -> None:
        """The narration cannot be played: go on as if it had reached the next stop."""
        self.core.narration_ended()

    def jump_to_key_point(self, key_point_id: str) -> None:
        self.core.jump_to_key_point(key_point_id)

    def jump_to_segment(self, segment_id: str) -> None:
        self.core.jump_to_segment(segment_id)

    def replace_case(self, case: Case) -> None:
        """Preview reload: the same session goes on with a new version of the case."""
        self.narration.pause_at(None)
        self.narration.pause()
        self.narration.close()
        self._open_media = None
        self.core.replace_case(case)

    # -- the narration player -------------------------------------------------------------

    def toggle_play(self) -> None:
        if not self.core.may_play():
            return
        if self.narration.is_playing():
            self.narration.pause()
        else:
            self.narration.play()

    def seek(self, seconds: float) -> float:
        """Move the narration, never past the furthest point reached; returns where it went."""
        allowed = self.core.seek(seconds)
        if allowed is None:
            return 0.0
        self.narration.seek(round(allowed * 1000))
        self.narration_position.emit(allowed)
        return allowed

    def replay_segment(self) -> None:
        if self.core.may_play():
            self.seek(0.0)
            self.narration.play()

    def _on_position(self, ms: int) -> None:
        if self.core.phase is Phase.NARRATION:
            self.narration_position.emit(ms / 1000)
            self.core.narration_reached(ms / 1000)

    # -- what the attempt tells -----------------------------------------------------------

    def _on_notice(self, notice: Notice) -> None:
        if isinstance(notice, Play):
            self._play(self.case.segment(notice.segment_id), notice)
        elif isinstance(notice, ShowKeyPoint):
            self._show_key_point(self.case.key_point(notice.key_point_id)[1], notice.item_index)
        elif isinstance(notice, Review):
            self.narration.pause()
            self.review_started.emit(notice.unanswered)
        elif isinstance(notice, Ended):
            self._ended(notice.reason)
        elif isinstance(notice, ResponseRecorded):
            self.response_recorded.emit(notice.item_id, notice.value)
        elif isinstance(notice, ResponseNotRecorded):
            self.response_not_recorded.emit(notice.item_id, notice.standing, notice.why)
        elif isinstance(notice, IncidentRecorded):
            self.incident_recorded.emit(notice.incident)
        elif isinstance(notice, PausedChanged):
            if notice.paused:
                self.narration.pause()
            self.paused_changed.emit(notice.paused)
        elif isinstance(notice, TimeLeft):
            self.time_left_changed.emit(notice.seconds)
        elif isinstance(notice, TimeWarning):
            self.time_warning.emit(notice.seconds)
        elif isinstance(notice, NarrationFailed):
            self.narration_failed.emit(notice.message)
        elif isinstance(notice, SaveFailed):
            self.save_failed.emit(notice.message)
        elif isinstance(notice, Saved):
            self.saved.emit(notice.kind)
        elif isinstance(notice, ProgressChanged):
            self.progress_changed.emit(notice.reached, notice.total)

    def _open(self, segment: Segment) -> None:
        if self._open_media != segment.media:
            self._open_media = segment.media
            self.narration.set_loop(False)
            self.narration.open(segment.media)

    def _play(self, segment: Segment, event: Play) -> None:
        self.narration_started.emit(segment, event.start)
        self._open(segment)
        if self.core.phase is not Phase.NARRATION:
            return  # opening failed and the candidate was moved on
        self.narration.seek(round(event.start * 1000))
        self.narration.pause_at(round(event.stop_at * 1000) if event.stop_at is not None else None)
        self.narration.play()

    def _show_key_point(self, kp: KeyPoint, item_index: int) -> None:
        # The backend already paused on the key-point frame; pausing and seeking again makes
        # sure of it when the stop came from a position report rather than the armed pause.
        self._open(self.segment_of(kp))  # a preview jump may land in another segment
        self.narration.pause_at(None)
        self.narration.pause()
        self.narration.seek(round(kp.at * 1000))
        self.key_point_shown.emit(kp, item_index)

    def _ended(self, reason: EndReason) -> None:
        self._tick.stop()
        self.narration.pause()
        self.narration.close()
        self._open_media = None
        self.ended.emit(reason)
