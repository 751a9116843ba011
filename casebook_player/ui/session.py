"""PlayerSession: the one place where the timeline, the narration player and the clock meet.

The timeline decides; this object feeds it media positions and the candidate's intents, carries
out what it answers (play, pause exactly at a key point, show, end) and re-emits that as Qt
signals for the screens. Screens never call the timeline themselves.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from casebook_player.core.journal import Journal, JournalError
from casebook_player.core.model import Case, KeyPoint, Segment
from casebook_player.core.responses import Response, ResponseError
from casebook_player.core.results import Attempt, iso, result_document
from casebook_player.core.snapshots import make_snapshot
from casebook_player.core.timeline import (
    Ended,
    EndReason,
    Event,
    Phase,
    Play,
    Review,
    ShowKeyPoint,
    Timeline,
)
from casebook_player.core.timer import AssessmentTimer, TimeWarnings
from casebook_player.media.player import MediaPlayer

CLOCK_TICK_MS = 250
SAVE_CLOCK_EVERY_S = 5.0  # how often the time used is saved while nothing else happens


class PlayerSession(QObject):
    narration_started = Signal(object, float)  # Segment, start seconds
    narration_position = Signal(float)  # seconds into the segment
    narration_failed = Signal(str)  # message: the narration cannot be played
    playing_changed = Signal(bool)
    key_point_shown = Signal(object, int)  # KeyPoint, item index
    response_recorded = Signal(str, object)  # item id, normalised response (None = cleared)
    review_started = Signal(tuple)  # unanswered item ids
    ended = Signal(object)  # EndReason
    progress_changed = Signal(int, int)  # key points reached, key points on the path
    time_left_changed = Signal(object)  # seconds (float) or None when untimed
    time_warning = Signal(float)  # seconds left: warn the candidate now
    incident_recorded = Signal(dict)
    paused_changed = Signal(bool)  # a proctor paused (True) or resumed (False) the attempt
    save_failed = Signal(str)  # the journal could not be written: what happened

    def __init__(
        self,
        case: Case,
        attempt: Attempt,
        narration: MediaPlayer,
        clock: Callable[[], float] = time.time,
        timeline: Timeline | None = None,
        timer: AssessmentTimer | None = None,
        journal: Journal | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.case = case
        self.attempt = attempt
        self.clock = clock
        self.timeline = timeline or Timeline(case, clock)
        self.timer = timer or AssessmentTimer.for_case(
            clock, case.time_limit_minutes, float(attempt.accommodations.get("extra_time", 1.0))
        )
        self.incidents: list[dict[str, Any]] = list(attempt.incidents)
        self.warnings = TimeWarnings()
        self.journal = journal
        self._saved_clock_at = 0.0
        self.narration = narration
        self._open_media: Path | None = None
        self.paused = False
        narration.position_changed.connect(self._on_position)
        narration.paused_at.connect(self._on_position)
        narration.ended.connect(self._on_narration_ended)
        narration.error.connect(self._on_narration_error)
        narration.playing_changed.connect(self.playing_changed)
        self._tick = QTimer(self)
        self._tick.setInterval(CLOCK_TICK_MS)
        self._tick.timeout.connect(self._on_clock_tick)

    # -- lifecycle --------------------------------------------------------------------

    def start(self) -> None:
        """Start a new attempt, or pick up a restored one where it was."""
        self.timer.start()
        self._tick.start()
        events = self.timeline.resume_events() or self.timeline.start()
        self._dispatch(events)
        self._on_clock_tick()

    def current_attempt(self) -> Attempt:
        return Attempt(self.attempt.candidate, self.attempt.accommodations, tuple(self.incidents))

    def result(self) -> dict[str, Any]:
        return result_document(self.timeline, self.current_attempt())

    def record_incident(self, kind: str, note: str = "") -> None:
        incident = {"at": iso(self.clock()), "kind": kind, "note": note}
        self.incidents.append(incident)
        self._save("incident", incident)
        self.incident_recorded.emit(incident)

    def _save(self, kind: str, payload: dict[str, Any]) -> bool:
        """Journal the event with a snapshot to resume from; True once it is on disk."""
        if self.journal is None:
            return True
        now = self.clock()
        snapshot = make_snapshot(self.timeline, self.timer, self.current_attempt(), now)
        try:
            self.journal.record(kind, payload, snapshot)
        except JournalError as exc:
            # The state stays in memory and goes to disk with the next save that works.
            self.save_failed.emit(str(exc))
            return False
        self._saved_clock_at = now
        return True

    # -- proctor ------------------------------------------------------------------------

    def pause_attempt(self) -> None:
        """The proctor pauses: the clock stops and nothing plays until resumed."""
        if self.paused or self.timeline.phase is Phase.ENDED:
            return
        self.paused = True
        self.timer.stop()
        self.narration.pause()
        self.record_incident("proctor_pause")
        self.paused_changed.emit(True)

    def resume_attempt(self) -> None:
        if not self.paused:
            return
        self.paused = False
        self.timer.start()
        self.record_incident("proctor_resume")
        self.paused_changed.emit(False)

    def add_time(self, minutes: float) -> None:
        self.timer.add_time(minutes * 60.0)
        self.record_incident("extra_time", f"+{minutes:g} min")
        self.time_left_changed.emit(self.timer.remaining())

    def end_by_proctor(self, note: str = "") -> None:
        self.record_incident("ended_by_proctor", note)
        self.end(EndReason.ENDED_BY_PROCTOR)

    # -- item-writer preview ------------------------------------------------------------

    def replace_case(self, case: Case) -> None:
        """Preview reload: the same session goes on with a new version of the case."""
        self.narration.pause_at(None)
        self.narration.pause()
        self.narration.close()
        self._open_media = None
        self.case = case
        self.timeline = Timeline(case, self.clock)

    def jump_to_key_point(self, key_point_id: str) -> None:
        self._dispatch(self.timeline.jump_to_key_point(key_point_id))

    def jump_to_segment(self, segment_id: str) -> None:
        self._dispatch(self.timeline.jump_to_segment(segment_id))

    # -- candidate intents ------------------------------------------------------------

    def toggle_play(self) -> None:
        if self.paused or self.timeline.phase is not Phase.NARRATION:
            return
        if self.narration.is_playing():
            self.narration.pause()
        else:
            self.narration.play()

    def seek(self, seconds: float) -> float:
        """Move the narration, never past the furthest point reached; returns where it went."""
        if self.paused or self.timeline.phase is not Phase.NARRATION:
            return 0.0
        allowed = self.timeline.seek(seconds)
        self.narration.seek(round(allowed * 1000))
        self.narration_position.emit(allowed)
        return allowed

    def replay_segment(self) -> None:
        if not self.paused and self.timeline.phase is Phase.NARRATION:
            self.seek(0.0)
            self.narration.play()

    def continue_without_narration(self) -> None:
        """The narration cannot be played: go on as if it had reached the next stop."""
        self._dispatch(self.timeline.narration_ended())

    def respond(self, item_id: str, value: Response) -> bool:
        """Record a response; False when it does not fit the item or could not be saved."""
        try:
            value = self.timeline.respond(item_id, value)
        except ResponseError as exc:
            self.record_incident("invalid_response", str(exc))
            return False
        if not self._save("response", {"item": item_id, "value": value}):
            return False
        self.response_recorded.emit(item_id, value)  # acknowledged only once saved
        return True

    def response(self, item_id: str) -> Response:
        return self.timeline.response(item_id)

    def visited_items(self) -> list[str]:
        """The items of the key points reached so far, in order."""
        return self.timeline.visited_items()

    def next_item(self) -> None:
        self._dispatch(self.timeline.next_item())

    def previous_item(self) -> None:
        self._dispatch(self.timeline.previous_item())

    def submit(self) -> None:
        self._dispatch(self.timeline.submit())

    def finish(self) -> None:
        self._dispatch(self.timeline.finish())

    def end(self, reason: EndReason) -> None:
        self._dispatch(self.timeline.end(reason))

    # -- media and clock --------------------------------------------------------------

    def _on_position(self, ms: int) -> None:
        if self.timeline.phase is Phase.NARRATION:
            self.narration_position.emit(ms / 1000)
            self._dispatch(self.timeline.tick(ms / 1000))

    def _on_narration_ended(self) -> None:
        self._dispatch(self.timeline.narration_ended())

    def _on_narration_error(self, message: str) -> None:
        if self.timeline.phase is Phase.NARRATION:
            self.record_incident("media_error", message)
            self.narration_failed.emit(message)

    def _on_clock_tick(self) -> None:
        if self.paused:
            return
        if self.clock() - self._saved_clock_at >= SAVE_CLOCK_EVERY_S:
            self._save("clock", {"used_s": round(self.timer.used(), 3)})
        remaining = self.timer.remaining()
        self.time_left_changed.emit(remaining)
        warning = self.warnings.due(remaining)
        if warning is not None and self.timeline.phase is not Phase.ENDED:
            self.time_warning.emit(warning)
        if self.timer.expired() and self.timeline.phase is not Phase.ENDED:
            self.record_incident("time_up")
            self.end(EndReason.TIME_UP)

    # -- timeline events --------------------------------------------------------------

    def _dispatch(self, events: list[Event]) -> None:
        for event in events:
            self._save("event", {"event": type(event).__name__, **asdict(event)})
            if isinstance(event, Play):
                self._play(self.case.segment(event.segment_id), event)
            elif isinstance(event, ShowKeyPoint):
                self._show_key_point(self.case.key_point(event.key_point_id)[1], event.item_index)
            elif isinstance(event, Review):
                self.narration.pause()
                self.review_started.emit(event.unanswered)
            elif isinstance(event, Ended):
                self._ended(event.reason)
        self.progress_changed.emit(*self.timeline.key_point_progress())

    def _open(self, segment: Segment) -> None:
        if self._open_media != segment.media:
            self._open_media = segment.media
            self.narration.set_loop(False)
            self.narration.open(segment.media)

    def _play(self, segment: Segment, event: Play) -> None:
        self.narration_started.emit(segment, event.start)
        self._open(segment)
        if self.timeline.phase is not Phase.NARRATION:
            return  # opening failed and the candidate was moved on
        self.narration.seek(round(event.start * 1000))
        self.narration.pause_at(round(event.stop_at * 1000) if event.stop_at is not None else None)
        self.narration.play()

    def _show_key_point(self, kp: KeyPoint, item_index: int) -> None:
        # The backend already paused on the key-point frame; pausing and seeking again makes
        # sure of it when the stop came from a position report rather than the armed pause.
        segment = self.segment_of(kp)
        self._open(segment)  # a preview jump may land in another segment
        self.narration.pause_at(None)
        self.narration.pause()
        self.narration.seek(round(kp.at * 1000))
        self.key_point_shown.emit(kp, item_index)

    def segment_of(self, kp: KeyPoint) -> Segment:
        return self.case.key_point(kp.id)[0]

    def _ended(self, reason: EndReason) -> None:
        self.timer.stop()
        self._tick.stop()
        self.narration.pause()
        self.narration.close()
        self._open_media = None
        self.ended.emit(reason)
