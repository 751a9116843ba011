"""Take an attempt headless: the AttemptSession driven by a script and a clock moved by hand.

This is what ``casebook simulate`` does, and what tests compare the window against. A script
is the candidate's responses and, optionally, what happens at key points: a proctor pauses the
attempt or grants extra time or ends it, or the candidate waits (and may run out of time).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from casebook_player.core.case.model import Case
from casebook_player.core.case.problems import CaseError, Problem, parse_yaml, read_limited
from casebook_player.core.case.yamlsource import YamlDocument
from casebook_player.core.session.attempt import AttemptSession, Notice
from casebook_player.core.session.responses import Response, ResponseError, key_response, normalise
from casebook_player.core.session.results import Attempt, Candidate
from casebook_player.core.session.scoring import measurement_spacing
from casebook_player.core.session.timeline import Phase, Play, Review, ShowKeyPoint

# 2026-01-01T00:00:00Z: simulated attempts start here so their results are reproducible.
SIMULATED_EPOCH = 1_767_225_600.0
SECONDS_PER_ITEM = 20.0

_RESPONSES = "(responses)"
ACTIONS = ("pause", "add_time", "wait", "end")


class FakeClock:
    """A clock that moves only when told to: ``advance`` lets time pass (both clocks move),
    ``set_wall`` steps the wall clock alone, as someone setting the machine's clock does."""

    def __init__(self, now: float = SIMULATED_EPOCH) -> None:
        self.now = now  # the wall clock
        self.elapsed = 0.0  # the monotonic clock

    def __call__(self) -> float:
        return self.now

    def wall(self) -> float:
        return self.now

    def monotonic(self) -> float:
        return self.elapsed

    def advance(self, seconds: float) -> None:
        self.now += seconds
        self.elapsed += seconds

    def set_wall(self, now: float) -> None:
        self.now = now


Answers = Mapping[str, Response]


@dataclass(frozen=True)
class Happening:
    """Something at a key point, before the candidate answers it: ``pause`` (a proctor pauses
    for that many seconds, then resumes), ``add_time`` (a proctor grants minutes), ``wait``
    (the candidate spends that many seconds), or ``end`` (a proctor ends the attempt; the
    value is the note)."""

    key_point: str
    action: str
    value: Any


@dataclass(frozen=True)
class Script:
    answers: Answers
    happenings: tuple[Happening, ...] = ()
    seconds_per_item: float = SECONDS_PER_ITEM

    def at(self, key_point_id: str) -> list[Happening]:
        return [h for h in self.happenings if h.key_point == key_point_id]


def correct_answers(case: Case) -> dict[str, Response]:
    return {item.id: key_response(item, measurement_spacing(case, item)) for item in case.items()}


# -- reading a script ----------------------------------------------------------------------


def load_script(case: Case, file: Path) -> Script:
    """A responses file: a mapping of item id → response, or ``{responses: ..., events: [...]}``
    with what happens at key points. Everything is checked against the case; raises CaseError
    listing each problem at its file:line."""
    doc = parse_yaml(read_limited(file, _RESPONSES, CaseError), file, _RESPONSES, CaseError)
    data = doc.data
    if not isinstance(data, dict):
        raise CaseError(
            [Problem(file, 1, 1, _RESPONSES, "expected a mapping of item id → response")]
        )
    reader = _ScriptReader(case, file, doc)
    if data and set(data) <= {"responses", "events"}:
        answers = reader.answers(data.get("responses") or {}, ("responses",))
        happenings = reader.happenings(data.get("events") or [])
    else:
        answers, happenings = reader.answers(data, ()), []
    if reader.problems:
        raise CaseError(reader.problems)
    return Script(answers, tuple(happenings))


def load_answers(case: Case, file: Path) -> dict[str, Response]:
    """Only the responses of a script file."""
    return dict(load_script(case, file).answers)


@dataclass
class _ScriptReader:
    case: Case
    file: Path
    doc: YamlDocument
    problems: list[Problem] = field(default_factory=list)

    def _problem(self, path: tuple[str | int, ...], where: str, message: str) -> None:
        line, col = self.doc.key_position(path) if path else (1, 1)
        self.problems.append(Problem(self.file, line, col, where, message))

    def answers(self, data: Any, prefix: tuple[str, ...]) -> dict[str, Response]:
        if not isinstance(data, dict):
            self._problem(prefix, ".".join(prefix), "expected a mapping of item id → response")
            return {}
        known = {item.id: item for item in self.case.items()}
        answers = {}
        for item_id, value in data.items():
            if item_id not in known:
                self._problem((*prefix, item_id), item_id, f"the case has no item '{item_id}'")
                continue
            try:
                answers[item_id] = normalise(known[item_id], value)
            except ResponseError as exc:
                self._problem((*prefix, item_id), item_id, str(exc).split(": ", 1)[-1])
        return answers

    def happenings(self, data: Any) -> list[Happening]:
        if not isinstance(data, list):
            self._problem(("events",), "events", "expected a list of events")
            return []
        key_points = {kp.id for _, kp in self.case.key_points()}
        found = []
        for index, event in enumerate(data):
            where = f"events[{index}]"
            path: tuple[str | int, ...] = ("events", index)
            actions = [a for a in ACTIONS if isinstance(event, dict) and a in event]
            if not isinstance(event, dict) or len(actions) != 1 or set(event) != {"at", *actions}:
                self._problem(
                    ("events",), where, f"expected 'at: KEY_POINT' and one of {', '.join(ACTIONS)}"
                )
                continue
            action, value = actions[0], event[actions[0]]
            if event["at"] not in key_points:
                self._problem((*path, "at"), where, f"the case has no key point '{event['at']}'")
            elif action != "end" and not (
                isinstance(value, int | float) and not isinstance(value, bool) and value >= 0
            ):
                self._problem((*path, action), where, f"{action} needs a number ≥ 0")
            else:
                found.append(
                    Happening(event["at"], action, value if action != "end" else str(value))
                )
        return found


# -- taking the attempt ------------------------------------------------------------------


def drive(
    session: AttemptSession, script: Script, clock: FakeClock, resumed: bool = False
) -> AttemptSession:
    """Take ``session`` from wherever it is to its end, as a candidate following ``script``.

    Time is spent the way a candidate spends it (the narration's length, some seconds per
    question), a tick at a time, so a time limit ends the attempt when it runs out. A
    ``resumed`` attempt that restarts at a key point does not repeat what happened there.
    """
    pending: list[Notice] = []
    session.subscribe(pending.append)
    session.start()
    happened = resumed
    while session.phase is not Phase.ENDED:
        step = _next_step(pending)
        if step is None:
            raise RuntimeError(f"the simulated attempt is stuck in {session.phase}")
        _take(session, step, script, clock, happened)
        happened = False
    return session


def _next_step(pending: list[Notice]) -> Play | ShowKeyPoint | Review | None:
    while pending:
        notice = pending.pop(0)
        if isinstance(notice, Play | ShowKeyPoint | Review):
            return notice
    return None


def _take(
    session: AttemptSession,
    step: Play | ShowKeyPoint | Review,
    script: Script,
    clock: FakeClock,
    happened: bool,
) -> None:
    if isinstance(step, Play):
        segment = session.case.segment(step.segment_id)
        stop = step.stop_at if step.stop_at is not None else segment.duration
        if _spend(session, clock, stop - step.start):
            if step.stop_at is None:
                session.narration_ended()
            else:
                session.narration_reached(step.stop_at)
    elif isinstance(step, ShowKeyPoint):
        kp = session.case.key_point(step.key_point_id)[1]
        first_look = step.item_index == 0 and not happened
        if first_look and not _happen(session, clock, script.at(kp.id)):
            return
        for item in kp.shown_items(step.item_index):
            if not _spend(session, clock, script.seconds_per_item):
                return
            if item.id in script.answers:
                session.respond(item.id, script.answers[item.id])
        session.submit() if kp.together else session.next_item()
    else:
        session.finish()


def _happen(session: AttemptSession, clock: FakeClock, happenings: list[Happening]) -> bool:
    """Carry out what happens at a key point; False once the attempt has ended."""
    for happening in happenings:
        if happening.action == "pause":
            session.pause_attempt()
            clock.advance(float(happening.value))
            session.tick()  # a paused attempt's clock does not count
            session.resume_attempt()
        elif happening.action == "add_time":
            session.add_time(float(happening.value))
        elif happening.action == "wait":
            _spend(session, clock, float(happening.value))
        else:
            session.end_by_proctor(happening.value)
        if session.phase is Phase.ENDED:
            return False
    return True


def _spend(session: AttemptSession, clock: FakeClock, seconds: float) -> bool:
    """Let ``seconds`` pass, stopping when the time limit is reached; False once ended."""
    while seconds > 0 and session.phase is not Phase.ENDED:
        left = session.time_left()
        # To the limit, and a millisecond past it when rounding left a sliver of time.
        step = seconds if left is None or left >= seconds else max(left, 0.001)
        clock.advance(step)
        seconds -= step
        session.tick()
    return session.phase is not Phase.ENDED


def simulate(
    case: Case,
    script: Script | Answers,
    clock: FakeClock | None = None,
    attempt: Attempt | None = None,
) -> AttemptSession:
    """An attempt taken headless, without a journal; its ``result()`` is the result document."""
    clock = clock or FakeClock()
    if not isinstance(script, Script):
        script = Script(script)
    session = AttemptSession(case, attempt or Attempt(Candidate("simulated")), clock)
    return drive(session, script, clock)
