"""Run a case headless: the timeline driven by scripted answers and a fake clock.

This is what ``casebook simulate`` does, and what tests compare the player against.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import asdict
from pathlib import Path
from typing import Any

from casebook_player.core.model import Case
from casebook_player.core.problems import CaseError, Problem, parse_yaml, read_limited
from casebook_player.core.responses import Response, ResponseError, key_response, normalise
from casebook_player.core.scoring import measurement_spacing
from casebook_player.core.timeline import (
    Ended,
    Event,
    Play,
    Review,
    ShowKeyPoint,
    Timeline,
)

# 2026-01-01T00:00:00Z: simulated attempts start here so their results are reproducible.
SIMULATED_EPOCH = 1_767_225_600.0
SECONDS_PER_ITEM = 20.0

_RESPONSES = "(responses)"


class FakeClock:
    """A clock that moves only when told to."""

    def __init__(self, now: float = SIMULATED_EPOCH) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


Answers = Mapping[str, Response]


def correct_answers(case: Case) -> dict[str, Response]:
    return {item.id: key_response(item, measurement_spacing(case, item)) for item in case.items()}


def load_answers(case: Case, file: Path) -> dict[str, Response]:
    """A YAML mapping of item id → response, each checked against its item; raises CaseError."""
    doc = parse_yaml(read_limited(file, _RESPONSES, CaseError), file, _RESPONSES, CaseError)
    if not isinstance(doc.data, dict):
        raise CaseError(
            [Problem(file, 1, 1, _RESPONSES, "expected a mapping of item id → response")]
        )
    known = {item.id: item for item in case.items()}
    answers, problems = {}, []
    for item_id, value in doc.data.items():
        line, col = doc.key_position((item_id,))
        if item_id not in known:
            problems.append(Problem(file, line, col, item_id, f"the case has no item '{item_id}'"))
            continue
        try:
            answers[item_id] = normalise(known[item_id], value)
        except ResponseError as exc:
            problems.append(Problem(file, line, col, item_id, str(exc).split(": ", 1)[-1]))
    if problems:
        raise CaseError(problems)
    return answers


Recorder = Callable[[str, dict[str, Any]], None]  # (kind, payload): called after each step


def run(
    timeline: Timeline, answers: Answers, clock: FakeClock, record: Recorder | None = None
) -> Timeline:
    """Drive ``timeline`` from wherever it is to the end.

    ``record`` hears of every event and every response once the timeline holds it (the
    journal writes it durably there).
    """
    note = record or _ignore
    events = timeline.resume_events() or timeline.start()
    while events:
        event = events[0]
        note("event", {"event": type(event).__name__, **asdict(event)})
        events = events[1:] + _respond_to(timeline, event, answers, clock, note)
    return timeline


def _ignore(kind: str, payload: dict[str, Any]) -> None:
    pass


def _respond_to(
    timeline: Timeline, event: Event, answers: Answers, clock: FakeClock, note: Recorder
) -> list[Event]:
    if isinstance(event, Play):
        segment = timeline.case.segment(event.segment_id)
        stop = event.stop_at if event.stop_at is not None else segment.duration
        clock.advance(stop - event.start)
        if event.stop_at is None:
            return timeline.narration_ended()
        return timeline.tick(event.stop_at)
    if isinstance(event, ShowKeyPoint):
        kp = timeline.case.key_point(event.key_point_id)[1]
        together = kp.layout == "together"
        shown = kp.items if together else kp.items[event.item_index : event.item_index + 1]
        for item in shown:
            clock.advance(SECONDS_PER_ITEM)
            if item.id in answers:
                value = timeline.respond(item.id, answers[item.id])
                note("response", {"item": item.id, "value": value})
        return timeline.submit() if together else timeline.next_item()
    if isinstance(event, Review):
        return timeline.finish()
    assert isinstance(event, Ended)
    return []


def simulate(case: Case, answers: Answers, clock: FakeClock | None = None) -> Timeline:
    clock = clock or FakeClock()
    return run(Timeline(case, clock), answers, clock)
