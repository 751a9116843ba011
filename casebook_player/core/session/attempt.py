"""AttemptSession: one candidate's attempt at one case, with every rule of taking it.

The timeline decides where the case is; this object adds what makes it an attempt: the time
limit and its warnings, running out of time, a proctor's pause and extra time, incidents,
journaling every step durably, and the signed result at the end. It is driven by intents
(the candidate's, a proctor's, the narration's position, a clock tick) and tells listeners
what happened as plain notices. The window's Qt adapter and ``casebook simulate`` both drive
it, so the two cannot take an attempt differently.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from casebook_player.core.case.model import Case, KeyPoint, Segment
from casebook_player.core.files import Closing
from casebook_player.core.session.clock import Clock, RunClock, SystemClock
from casebook_player.core.session.custody import Custody, Decide, JournalFinding, open_journal
from casebook_player.core.session.journal import Journal, JournalError
from casebook_player.core.session.responses import Response, ResponseError
from casebook_player.core.session.results import (
    Attempt,
    result_document,
    result_file_name,
    write_result,
)
from casebook_player.core.session.snapshots import make_snapshot, restore
from casebook_player.core.session.timeline import Ended, EndReason, Event, Phase, Timeline
from casebook_player.core.session.timer import AssessmentTimer, TimeWarnings, format_clock
from casebook_player.core.timestamps import iso

# How often the time used is saved while nothing else happens: a crash, or a candidate
# restarting the player again and again to stop the clock, loses at most this much each time.
SAVE_CLOCK_EVERY_S = 1.0


# -- notices: what listeners hear, besides the timeline's own events -----------------------


@dataclass(frozen=True)
class ResponseRecorded:
    item_id: str
    value: Response  # normalised; None = cleared


@dataclass(frozen=True)
class ResponseNotRecorded:
    """A response that did not fit or could not be saved: it is not the candidate's answer.
    ``standing`` is the response that stands (None: unanswered) and ``why`` says why."""

    item_id: str
    standing: Response
    why: str


@dataclass(frozen=True)
class IncidentRecorded:
    incident: dict[str, Any]


@dataclass(frozen=True)
class PausedChanged:
    paused: bool  # a proctor paused (True) or resumed (False) the attempt


@dataclass(frozen=True)
class TimeLeft:
    seconds: float | None  # None: untimed


@dataclass(frozen=True)
class TimeWarning:
    seconds: float  # left: warn the candidate now


@dataclass(frozen=True)
class NarrationFailed:
    message: str


@dataclass(frozen=True)
class SaveFailed:
    message: str  # the journal could not be written; the state stays in memory


@dataclass(frozen=True)
class Saved:
    kind: str  # what was journaled: event, response, incident, clock
    payload: dict[str, Any]  # on disk now


@dataclass(frozen=True)
class ProgressChanged:
    reached: int
    total: int  # key points reached, key points on the path


Notice = (
    Event
    | ResponseRecorded
    | ResponseNotRecorded
    | IncidentRecorded
    | PausedChanged
    | TimeLeft
    | TimeWarning
    | NarrationFailed
    | SaveFailed
    | Saved
    | ProgressChanged
)
Listener = Callable[[Notice], None]


@dataclass(frozen=True)
class ResultOutput:
    """Where the result file goes when the attempt ends: ``path``, or a file named after the
    attempt in ``folder``; signed with ``signing_key`` when there is one."""

    folder: Path | None = None
    path: Path | None = None
    signing_key: Ed25519PrivateKey | None = None

    def path_for(self, document: dict[str, Any]) -> Path:
        if self.path is not None:
            return self.path
        assert self.folder is not None, "a result output needs a folder or a path"
        return self.folder / result_file_name(document, self.signing_key is not None)


class AttemptSession(Closing):
    """``clock`` is the system's unless a test gives its own. The session runs its timer on the
    monotonic clock and its timeline on the run's dates (core/session/clock.py); a
    ``resumed_from`` attempt (the date its snapshot was saved at) counts the restart."""

    def __init__(
        self,
        case: Case,
        attempt: Attempt,
        clock: Clock | None = None,
        timeline: Timeline | None = None,
        timer: AssessmentTimer | None = None,
        journal: Journal | None = None,
        output: ResultOutput | None = None,
        resumed_from: float | None = None,
    ) -> None:
        self.case = case
        self.attempt = attempt
        self.clock = clock if isinstance(clock, RunClock) else RunClock(clock or SystemClock())
        self.timer = timer or AssessmentTimer.for_case(
            self.clock.monotonic,
            case.time_limit_minutes,
            float(attempt.accommodations.get("extra_time", 1.0)),
        )
        self.timer.clock = self.clock.monotonic
        self.timeline = self._run(timeline or Timeline(case, self.clock.now))
        self.resumed_from = resumed_from
        self.journal = journal
        self.closed = False
        self.output = output
        self.incidents: list[dict[str, Any]] = list(attempt.incidents)
        self.warnings = TimeWarnings()
        self.paused = False
        self.document: dict[str, Any] | None = None  # the result, once the attempt has ended
        self.result_path: Path | None = None  # where it was written
        self.result_error: str | None = None  # why it could not be written
        self._listeners: list[Listener] = []
        self._saved_clock_at = float("-inf")  # monotonic: when the time used was last saved

    def subscribe(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def _notify(self, notice: Notice) -> None:
        for listener in list(self._listeners):
            listener(notice)

    # -- what the attempt is at ---------------------------------------------------------

    @property
    def phase(self) -> Phase:
        return self.timeline.phase

    @property
    def position(self) -> float:
        """Seconds into the current segment."""
        return self.timeline.state.position

    @property
    def furthest(self) -> float:
        """The furthest point of the current segment the narration has reached."""
        return self.timeline.state.furthest

    @property
    def key_point(self) -> KeyPoint | None:
        return self.timeline.key_point

    @property
    def segment(self) -> Segment | None:
        return self.timeline.segment

    def segment_of(self, kp: KeyPoint) -> Segment:
        return self.case.key_point(kp.id)[0]

    def response(self, item_id: str) -> Response:
        return self.timeline.response(item_id)

    def unanswered(self) -> tuple[str, ...]:
        return self.timeline.unanswered()

    def visited_items(self) -> list[str]:
        """The items of the key points reached so far, in order."""
        return self.timeline.visited_items()

    def time_left(self) -> float | None:
        return self.timer.remaining()

    def current_attempt(self) -> Attempt:
        return replace(self.attempt, incidents=tuple(self.incidents))

    def result(self) -> dict[str, Any]:
        """The result document as of now (final once the attempt has ended)."""
        return self.document or result_document(self.timeline, self.current_attempt())

    # -- lifecycle --------------------------------------------------------------------

    def start(self) -> None:
        """Start a new attempt, or pick up a restored one where it was."""
        self.clock.begin()
        self.timer.start()
        if self.resumed_from is not None and self.phase is not Phase.ENDED:
            self._record_restart(self.resumed_from)
        self._dispatch(self.timeline.resume_events() or self.timeline.start())
        self.tick()

    def tick(self) -> None:
        """The clock moved: note a step of the wall clock, save the time used every second,
        warn, end when time is up."""
        if self.phase is Phase.ENDED:
            return
        step = self.clock.step()
        if step is not None:
            self.record_incident("clock_step", step.describe())
        if self.paused:
            return
        if self.clock.monotonic() - self._saved_clock_at >= SAVE_CLOCK_EVERY_S:
            self._save("clock", {"used_s": round(self.timer.used(), 3)})
        remaining = self.timer.remaining()
        self._notify(TimeLeft(remaining))
        warning = self.warnings.due(remaining)
        if warning is not None:
            self._notify(TimeWarning(warning))
        if self.timer.expired():
            self.record_incident("time_up")
            self.end(EndReason.TIME_UP)

    def record_incident(self, kind: str, note: str = "") -> None:
        incident = {"at": iso(self.clock.now()), "kind": kind, "note": note}
        self.incidents.append(incident)
        self._save("incident", incident)
        self._notify(IncidentRecorded(incident))

    def end(self, reason: EndReason) -> None:
        self._dispatch(self.timeline.end(reason))

    # -- the narration ----------------------------------------------------------------

    def narration_reached(self, seconds: float) -> None:
        """The narration is at ``seconds`` into its segment."""
        if self.phase is Phase.NARRATION:
            self._dispatch(self.timeline.tick(seconds))

    def narration_ended(self) -> None:
        """The segment played to its end, or it cannot play and the candidate goes on."""
        self._dispatch(self.timeline.narration_ended())

    def narration_failed(self, message: str) -> None:
        if self.phase is Phase.NARRATION:
            self.record_incident("media_error", message)
            self._notify(NarrationFailed(message))

    def may_play(self) -> bool:
        """Whether the candidate may play, pause or move the narration now."""
        return not self.paused and self.phase is Phase.NARRATION

    def seek(self, seconds: float) -> float | None:
        """Where the narration may go, never past the furthest point; None: not now."""
        if not self.may_play():
            return None
        return self.timeline.seek(seconds)

    # -- the candidate ----------------------------------------------------------------

    def respond(self, item_id: str, value: Response) -> bool:
        """Record a response; False when it does not fit the item or could not be saved,
        and then the response that stood before stands, in memory as on disk."""
        before = self.timeline.state.responses.get(item_id)
        try:
            value = self.timeline.respond(item_id, value)
        except ResponseError as exc:
            self.record_incident("invalid_response", str(exc))
            self._notify(ResponseNotRecorded(item_id, self.response(item_id), str(exc)))
            return False
        failure = self._save("response", {"item": item_id, "value": value})
        if failure is not None:
            self.timeline.put_back(item_id, before)
            self._notify(ResponseNotRecorded(item_id, self.response(item_id), failure))
            return False
        self._notify(ResponseRecorded(item_id, value))  # acknowledged only once saved
        return True

    def next_item(self) -> None:
        self._dispatch(self.timeline.next_item())

    def previous_item(self) -> None:
        self._dispatch(self.timeline.previous_item())

    def submit(self) -> None:
        self._dispatch(self.timeline.submit())

    def finish(self) -> None:
        self._dispatch(self.timeline.finish())

    # -- a proctor --------------------------------------------------------------------

    def pause_attempt(self, kind: str = "proctor_pause", note: str = "") -> None:
        """The clock stops and nothing plays until resumed; ``kind`` is the incident."""
        if self.paused or self.phase is Phase.ENDED:
            return
        self.paused = True
        self.timer.stop()
        self.record_incident(kind, note)
        self._notify(PausedChanged(True))

    def interrupt(self, kind: str, note: str = "") -> None:
        """Something took the screen from the kiosk: journaled, and the attempt pauses (if it
        was not paused or over) until a proctor resumes it."""
        if self.paused or self.phase is Phase.ENDED:
            self.record_incident(kind, note)
        else:
            self.pause_attempt(kind, note)

    def resume_attempt(self) -> None:
        if not self.paused:
            return
        self.paused = False
        self.timer.start()
        self.record_incident("proctor_resume")
        self._notify(PausedChanged(False))

    def add_time(self, minutes: float) -> None:
        self.timer.add_time(minutes * 60.0)
        self.record_incident("extra_time", f"+{minutes:g} min")
        self._notify(TimeLeft(self.timer.remaining()))

    def end_by_proctor(self, note: str = "") -> None:
        self.record_incident("ended_by_proctor", note)
        self.end(EndReason.ENDED_BY_PROCTOR)

    # -- item writers' preview ----------------------------------------------------------

    def replace_case(self, case: Case) -> None:
        """Preview reload: the same session goes on with a new version of the case."""
        self.case = case
        self.timeline = self._run(Timeline(case, self.clock.now))

    def jump_to_key_point(self, key_point_id: str) -> None:
        self._dispatch(self.timeline.jump_to_key_point(key_point_id))

    def jump_to_segment(self, segment_id: str) -> None:
        self._dispatch(self.timeline.jump_to_segment(segment_id))

    # -- inside -----------------------------------------------------------------------

    def _run(self, timeline: Timeline) -> Timeline:
        """Date the timeline by this run and time its answers by the time used."""
        timeline.clock = self.clock.now
        timeline.elapsed = self.timer.used
        return timeline

    def _record_restart(self, saved_at: float) -> None:
        """The player was started again on an unfinished attempt: an incident each time, and
        another when the wall clock now reads earlier than when the attempt was last saved."""
        restarts = 1 + sum(1 for i in self.incidents if i["kind"] == "restart")
        used = format_clock(self.timer.used())
        self.record_incident("restart", f"restart {restarts}: resumed with {used} used")
        behind = saved_at - self.clock.wall()
        if behind >= self.clock.threshold_s:
            self.record_incident(
                "clock_step",
                f"the system clock reads {format_clock(behind)} earlier than when the attempt "
                "was last saved; the time used is measured without it",
            )

    def _dispatch(self, events: list[Event]) -> None:
        for event in events:
            self._save("event", {"event": type(event).__name__, **asdict(event)})
            if isinstance(event, Ended):
                self._finalise()
            self._notify(event)
        self._notify(ProgressChanged(*self.timeline.key_point_progress()))

    def _finalise(self) -> None:
        """The attempt is over: the clock stops and the result is written once."""
        self.timer.stop()
        self.document = result_document(self.timeline, self.current_attempt())
        if self.output is None:
            return
        path = self.output.path_for(self.document)
        try:
            write_result(path, self.document, self.output.signing_key)
        except OSError as exc:
            self.result_error = str(exc)
        else:
            self.result_path = path

    def close(self) -> None:
        """Save the time used, release the journal (its file and lock); the attempt can be
        resumed from it later. Nothing is saved after this: a step taken then is reported
        (to whoever subscribes after) as a failed save."""
        if self.journal is not None and not self.closed:
            self._listeners.clear()  # what shows the attempt is going away: tell it nothing
            if self.timer.running and not self.paused and self.phase is not Phase.ENDED:
                self._save("clock", {"used_s": round(self.timer.used(), 3)})
            self.journal.close()
        self.closed = True

    def _save(self, kind: str, payload: dict[str, Any]) -> str | None:
        """Journal the step with a snapshot to resume from; None once it is on disk, else
        why it is not."""
        if self.closed:
            failure = "the attempt was closed: nothing more is saved"
            self._notify(SaveFailed(failure))
            return failure
        if self.journal is None:
            return None
        snapshot = make_snapshot(
            self.timeline, self.timer, self.current_attempt(), self.clock.now()
        )
        try:
            self.journal.record(kind, payload, snapshot)
        except JournalError as exc:
            # The state stays in memory and goes to disk with the next save that works;
            # a response does not (respond puts back the one that stood).
            self._notify(SaveFailed(str(exc)))
            return str(exc)
        self._saved_clock_at = self.clock.monotonic()
        self._notify(Saved(kind, payload))
        return None


# -- opening an attempt: new, or resumed from its journal ----------------------------------


class AttemptUnavailable(Exception):
    """The attempt's journal cannot be used; nothing is started over silently."""

    def __init__(self, title: str, message: str) -> None:
        super().__init__(message)
        self.title = title


@dataclass
class OpenedAttempt:
    session: AttemptSession
    resumed: bool
    taken_at: float | None = None  # the clock reading the resumed state was saved at
    attempt_number: int = 1  # of this candidate at this case on this machine (the ledger)
    finding: JournalFinding | None = None  # the journal was found altered, and a proctor decided


def open_attempt(
    case: Case,
    attempt: Attempt,
    custody: Custody,
    clock: Clock | None = None,
    output: ResultOutput | None = None,
    decide: Decide | None = None,
) -> OpenedAttempt:
    """The attempt, journaled in ``custody``: new, or restored where its journal ends. A
    journal found altered is resumed or started anew only as ``decide`` chooses. Raises
    AttemptUnavailable when the journal is locked, refused, damaged or of no use."""
    run = RunClock(clock or SystemClock())
    try:
        opened = open_journal(case, attempt.candidate.id, custody, decide, run.now())
    except JournalError as exc:
        raise AttemptUnavailable("This attempt cannot be opened", str(exc)) from None
    journal, snapshot = opened.journal, opened.snapshot
    if snapshot is None:
        session = AttemptSession(case, opened.amend(attempt), run, journal=journal, output=output)
        return OpenedAttempt(
            session, False, attempt_number=opened.attempt_number, finding=opened.finding
        )
    try:
        restored = restore(case, snapshot, run.now)
    except ValueError as exc:
        journal.close()
        raise AttemptUnavailable(
            "This attempt cannot be resumed",
            f"{exc}\n\nThe journal {journal.path} has been kept as it is. Ask for support.",
        ) from None
    session = AttemptSession(
        case,
        opened.amend(restored.attempt),
        run,
        timeline=restored.timeline,
        timer=restored.timer,
        journal=journal,
        output=output,
        resumed_from=restored.taken_at,
    )
    return OpenedAttempt(session, True, restored.taken_at, opened.attempt_number, opened.finding)
