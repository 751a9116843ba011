"""What an attempt is at any moment, as one JSON document, and how to get it back.

A snapshot holds the timeline state, the timer, the attempt (candidate, accommodations,
incidents) and the clock reading it was taken at. The journal stores the latest one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

from casebook_player.core.case.model import Case
from casebook_player.core.session.results import Attempt, Candidate
from casebook_player.core.session.timeline import Timeline
from casebook_player.core.session.timer import AssessmentTimer


@dataclass
class Restored:
    timeline: Timeline
    timer: AssessmentTimer
    attempt: Attempt
    taken_at: float


def make_snapshot(
    timeline: Timeline, timer: AssessmentTimer, attempt: Attempt, now: float
) -> dict[str, Any]:
    return {
        "timeline": timeline.to_dict(),
        "timer": timer.to_dict(),
        "attempt": {
            "candidate": asdict(attempt.candidate),
            "accommodations": dict(attempt.accommodations),
            "incidents": list(attempt.incidents),
            "provenance": dict(attempt.provenance),
        },
        "taken_at": now,
    }


def restore(case: Case, snapshot: dict[str, Any], clock: Callable[[], float]) -> Restored:
    """Rebuild an attempt from a snapshot; ValueError when it is damaged or of another case."""
    try:
        attempt = snapshot["attempt"]
        return Restored(
            timeline=Timeline.from_dict(case, snapshot["timeline"], clock),
            timer=AssessmentTimer.from_dict(clock, snapshot["timer"]),
            attempt=Attempt(
                Candidate(**attempt["candidate"]),
                dict(attempt["accommodations"]),
                tuple(attempt["incidents"]),
                dict(attempt.get("provenance", {})),
            ),
            taken_at=float(snapshot["taken_at"]),
        )
    except (KeyError, TypeError, AttributeError) as exc:
        raise ValueError(f"saved state is damaged: {exc}") from None
