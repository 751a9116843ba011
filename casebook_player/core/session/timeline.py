"""The timeline: a pure, deterministic state machine that runs a case.

Fed narration positions from any media backend (``tick``) and the candidate's intents
(``respond``, ``next_item``, ``submit``...), it answers with events saying what to play, where
to pause exactly (the next key point), what to show, and when the case has ended. It never
reads a clock of its own: dates come from the ``clock`` it is given and the time on an answer
from ``elapsed`` (the attempt's time used, which a wall-clock step or a restart cannot
move), so a run can be replayed headless. Its whole state serialises to JSON
(``to_dict``/``from_dict``) for resuming.

Phases: ready → narration ⇄ key_point → review → ended (``end`` jumps to ended from any).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any

from casebook_player.core.case.model import Case, KeyPoint, Segment
from casebook_player.core.session.responses import Response, normalise

# A position this close before a key point counts as reaching it (backends report whole ms).
KEY_POINT_SLACK_S = 0.0005

STATE_VERSION = 1


class Phase(StrEnum):
    READY = "ready"
    NARRATION = "narration"
    KEY_POINT = "key_point"
    REVIEW = "review"
    ENDED = "ended"


class EndReason(StrEnum):
    COMPLETED = "completed"
    TIME_UP = "time_up"
    ENDED_BY_PROCTOR = "ended_by_proctor"


@dataclass(frozen=True)
class Play:
    """Play ``segment_id`` from ``start`` seconds; pause exactly at ``stop_at`` (a key point)."""

    segment_id: str
    start: float
    stop_at: float | None


@dataclass(frozen=True)
class ShowKeyPoint:
    """Narration is paused: show key point ``key_point_id``, item ``item_index`` first."""

    key_point_id: str
    item_index: int


@dataclass(frozen=True)
class Review:
    """The path is done: the candidate reviews ``unanswered`` items before finishing."""

    unanswered: tuple[str, ...]


@dataclass(frozen=True)
class Ended:
    reason: EndReason


Event = Play | ShowKeyPoint | Review | Ended


class TimelineError(RuntimeError):
    """An intent that makes no sense in the current phase (a bug in the caller)."""


@dataclass
class ResponseRecord:
    value: Response
    answered_at: float
    time_spent: float


@dataclass
class TimelineState:
    phase: Phase = Phase.READY
    segment_id: str | None = None
    position: float = 0.0
    furthest: float = 0.0
    next_kp: int = 0
    key_point_id: str | None = None
    item_index: int = 0
    shown_at: float = 0.0
    shown_elapsed: float = 0.0  # the ``elapsed`` reading when the items on screen were shown
    responses: dict[str, ResponseRecord] = field(default_factory=dict)
    visited: list[str] = field(default_factory=list)
    path: list[str] = field(default_factory=list)
    unreached: list[str] = field(default_factory=list)
    started_at: float | None = None
    ended_at: float | None = None
    end_reason: EndReason | None = None


class Timeline:
    def __init__(
        self,
        case: Case,
        clock: Callable[[], float],
        state: TimelineState | None = None,
        elapsed: Callable[[], float] | None = None,
    ) -> None:
        self.case = case
        self.clock = clock
        self.elapsed = elapsed or clock
        self.state = state or TimelineState()

    # -- queries ----------------------------------------------------------------------

    @property
    def phase(self) -> Phase:
        return self.state.phase

    @property
    def segment(self) -> Segment | None:
        sid = self.state.segment_id
        return self.case.segment(sid) if sid is not None else None

    @property
    def key_point(self) -> KeyPoint | None:
        kid = self.state.key_point_id
        return self.case.key_point(kid)[1] if kid is not None else None

    def response(self, item_id: str) -> Response:
        record = self.state.responses.get(item_id)
        return record.value if record else None

    def responses(self) -> dict[str, Response]:
        return {item_id: r.value for item_id, r in self.state.responses.items()}

    def visited_items(self) -> list[str]:
        return [i.id for kid in self.state.visited for i in self.case.key_point(kid)[1].items]

    def unanswered(self) -> tuple[str, ...]:
        return tuple(i for i in self.visited_items() if i not in self.state.responses)

    def counted_items(self) -> list[str]:
        """The items that count towards the score (docs/case-format.md)."""
        unreached = [
            i.id for kid in self.state.unreached for i in self.case.key_point(kid)[1].items
        ]
        return self.visited_items() + unreached

    def key_point_progress(self) -> tuple[int, int]:
        """(key points reached, key points on the path if it goes on along ``next``)."""
        ahead = self.state.unreached if self.phase is Phase.ENDED else self._key_points_ahead()
        return len(self.state.visited), len(self.state.visited) + len(ahead)

    # -- narration --------------------------------------------------------------------

    def start(self) -> list[Event]:
        self._expect(Phase.READY)
        self.state.started_at = self.clock()
        return [self._enter_segment(self.case.segments[0].id)]

    def tick(self, position: float) -> list[Event]:
        """The narration is at ``position`` seconds; may reach the next key point."""
        if self.phase is not Phase.NARRATION:
            return []
        s = self.state
        s.position = max(0.0, position)
        s.furthest = max(s.furthest, s.position)
        kp = self._next_key_point()
        if kp is not None and s.position >= kp.at - KEY_POINT_SLACK_S:
            return [self._enter_key_point(kp)]
        return []

    def narration_ended(self) -> list[Event]:
        """The narration media reached its end."""
        if self.phase is not Phase.NARRATION:
            return []
        kp = self._next_key_point()
        if kp is not None:  # media shorter than declared: never skip a key point
            return [self._enter_key_point(kp)]
        segment = self.segment
        assert segment is not None
        if segment.next is not None:
            return [self._enter_segment(segment.next)]
        return self._enter_review()

    def seek(self, position: float) -> float:
        """Where the narration may go when asked for ``position``: never past the furthest point
        reached, so no key point can be skipped."""
        self._expect(Phase.NARRATION)
        s = self.state
        s.position = min(max(0.0, position), s.furthest)
        return s.position

    # -- key points -------------------------------------------------------------------

    def respond(self, item_id: str, value: Response) -> Response:
        """Record a response (None clears it); returns it normalised. Raises ResponseError."""
        kp = self.key_point
        if self.phase is Phase.KEY_POINT and kp is not None:
            allowed = kp.items if kp.together else kp.items[: self.state.item_index + 1]
            if item_id not in {i.id for i in allowed}:
                raise TimelineError(f"item {item_id} is not on screen")
        elif self.phase is Phase.REVIEW:
            if item_id not in self.unanswered():
                raise TimelineError(f"item {item_id} cannot be answered in review")
        else:
            raise TimelineError(f"no item can be answered in phase {self.phase}")
        if value is None:
            self.state.responses.pop(item_id, None)
            return None
        value = normalise(self.case.item(item_id), value)
        spent = max(0.0, self.elapsed() - self.state.shown_elapsed)
        self.state.responses[item_id] = ResponseRecord(value, self.clock(), round(spent, 3))
        return value

    def put_back(self, item_id: str, record: ResponseRecord | None) -> None:
        """Undo a response that could not be saved: ``record`` is what stood before it."""
        if record is None:
            self.state.responses.pop(item_id, None)
        else:
            self.state.responses[item_id] = record

    def next_item(self) -> list[Event]:
        """Sequential layout: show the next item, or submit after the last one."""
        self._expect(Phase.KEY_POINT)
        kp = self.key_point
        assert kp is not None
        if not kp.together and self.state.item_index < len(kp.items) - 1:
            self.state.item_index += 1
            self._mark_shown()
            return [ShowKeyPoint(kp.id, self.state.item_index)]
        return self.submit()

    def previous_item(self) -> list[Event]:
        self._expect(Phase.KEY_POINT)
        assert self.key_point is not None
        if self.state.item_index > 0:
            self.state.item_index -= 1
            self._mark_shown()
        return [ShowKeyPoint(self.key_point.id, self.state.item_index)]

    def submit(self) -> list[Event]:
        """Leave the key point: follow the first matching branch, or resume the narration."""
        self._expect(Phase.KEY_POINT)
        kp = self.key_point
        assert kp is not None
        for branch in kp.branches:
            if branch.item is None or self._matches(self.response(branch.item), branch.equals):
                return [self._enter_segment(branch.to)]
        s = self.state
        s.phase = Phase.NARRATION
        s.key_point_id = None
        s.position = kp.at
        s.next_kp += 1
        nxt = self._next_key_point()
        return [Play(s.segment_id or "", kp.at, nxt.at if nxt else None)]

    @staticmethod
    def _matches(response: Response, equals: str | tuple[str, ...] | None) -> bool:
        if isinstance(equals, tuple):
            return isinstance(response, list) and sorted(response) == sorted(equals)
        return response == equals

    # -- the end ----------------------------------------------------------------------

    def finish(self) -> list[Event]:
        """The candidate confirms the review: the case is over."""
        self._expect(Phase.REVIEW)
        return self._end(EndReason.COMPLETED)

    def end(self, reason: EndReason) -> list[Event]:
        """End now (time up, proctor): key points still ahead count, unanswered."""
        if self.phase is Phase.ENDED:
            return []
        if self.phase is not Phase.REVIEW:
            self.state.unreached = [kp.id for kp in self._key_points_ahead()]
        return self._end(reason)

    def _end(self, reason: EndReason) -> list[Event]:
        s = self.state
        s.phase = Phase.ENDED
        s.end_reason = reason
        s.ended_at = self.clock()
        s.key_point_id = None
        return [Ended(reason)]

    # -- preview (item writers) -------------------------------------------------------

    def jump_to_key_point(self, key_point_id: str) -> list[Event]:
        """Item-writer preview: be at ``key_point_id`` now, as if the narration reached it.
        Never offered to candidates (it skips narration)."""
        segment, kp = self.case.key_point(key_point_id)
        self._start_if_ready()
        self._enter_segment(segment.id)
        self.state.next_kp = segment.key_points.index(kp)
        return [self._enter_key_point(kp)]

    def jump_to_segment(self, segment_id: str) -> list[Event]:
        """Item-writer preview: play ``segment_id`` from its start."""
        self._start_if_ready()
        return [self._enter_segment(segment_id)]

    def _start_if_ready(self) -> None:
        if self.state.phase is Phase.READY:
            self.state.started_at = self.clock()

    # -- resume -----------------------------------------------------------------------

    def resume_events(self) -> list[Event]:
        """Events that put a fresh view where a restored timeline is. Narration restarts
        from the last key point passed in its segment (or the segment's start)."""
        s = self.state
        if s.phase is Phase.NARRATION:
            segment = self.segment
            assert segment is not None
            passed = segment.key_points[: s.next_kp]
            s.position = passed[-1].at if passed else 0.0
            nxt = self._next_key_point()
            return [Play(segment.id, s.position, nxt.at if nxt else None)]
        if s.phase is Phase.KEY_POINT and s.key_point_id is not None:
            return [ShowKeyPoint(s.key_point_id, s.item_index)]
        if s.phase is Phase.REVIEW:
            return [Review(self.unanswered())]
        if s.phase is Phase.ENDED and s.end_reason is not None:
            return [Ended(s.end_reason)]
        return []

    def to_dict(self) -> dict[str, Any]:
        return {"version": STATE_VERSION, "case_sha256": self.case.sha256, **asdict(self.state)}

    @classmethod
    def from_dict(cls, case: Case, data: dict[str, Any], clock: Callable[[], float]) -> Timeline:
        """Restore a saved state; ValueError when it does not belong to this case."""
        data = dict(data)
        if data.pop("version", None) != STATE_VERSION:
            raise ValueError("saved state is from another version of the player")
        if data.pop("case_sha256", None) != case.sha256:
            raise ValueError("saved state belongs to a different version of the case script")
        try:
            state = TimelineState(**data)
            state.phase = Phase(state.phase)
            state.end_reason = EndReason(state.end_reason) if state.end_reason else None
            state.responses = {k: ResponseRecord(**v) for k, v in data.get("responses", {}).items()}
        except (TypeError, ValueError) as exc:
            raise ValueError(f"saved state is damaged: {exc}") from None
        return cls(case, clock, state)

    # -- internals --------------------------------------------------------------------

    def _expect(self, phase: Phase) -> None:
        if self.phase is not phase:
            raise TimelineError(f"expected phase {phase}, the timeline is in {self.phase}")

    def _next_key_point(self) -> KeyPoint | None:
        segment = self.segment
        if segment is None or self.state.next_kp >= len(segment.key_points):
            return None
        return segment.key_points[self.state.next_kp]

    def _key_points_ahead(self) -> list[KeyPoint]:
        """Key points still to come along the default path (no branches)."""
        segment = self.segment
        if segment is None:
            segment = self.case.segments[0]
            ahead = list(segment.key_points)
        else:
            ahead = list(segment.key_points[self.state.next_kp :])
            if self.phase is Phase.KEY_POINT:
                ahead = ahead[1:]  # the current one is already visited
        seen = {segment.id}
        while segment.next is not None and segment.next not in seen:
            segment = self.case.segment(segment.next)
            seen.add(segment.id)
            ahead.extend(segment.key_points)
        return ahead

    def _enter_segment(self, segment_id: str) -> Play:
        s = self.state
        s.phase = Phase.NARRATION
        s.segment_id = segment_id
        s.key_point_id = None
        s.position = s.furthest = 0.0
        s.next_kp = 0
        s.path.append(segment_id)
        nxt = self._next_key_point()
        return Play(segment_id, 0.0, nxt.at if nxt else None)

    def _enter_key_point(self, kp: KeyPoint) -> ShowKeyPoint:
        s = self.state
        s.phase = Phase.KEY_POINT
        s.key_point_id = kp.id
        s.item_index = 0
        s.position = kp.at
        s.furthest = max(s.furthest, kp.at)
        self._mark_shown()
        s.visited.append(kp.id)
        return ShowKeyPoint(kp.id, 0)

    def _enter_review(self) -> list[Event]:
        s = self.state
        s.phase = Phase.REVIEW
        s.key_point_id = None
        self._mark_shown()
        return [Review(self.unanswered())]

    def _mark_shown(self) -> None:
        self.state.shown_at = self.clock()
        self.state.shown_elapsed = self.elapsed()
