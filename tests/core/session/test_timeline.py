from __future__ import annotations

import json

import pytest

from casebook_player.core.case.model import Case
from casebook_player.core.session.responses import ResponseError
from casebook_player.core.session.simulate import FakeClock
from casebook_player.core.session.timeline import (
    Ended,
    EndReason,
    Phase,
    Play,
    Review,
    ShowKeyPoint,
    Timeline,
    TimelineError,
)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(1000.0)


@pytest.fixture
def tl(case: Case, clock: FakeClock) -> Timeline:
    return Timeline(case, clock)


def test_start_plays_the_first_segment_up_to_its_first_key_point(tl: Timeline) -> None:
    assert tl.start() == [Play("intro", 0.0, 3.0)]
    assert tl.phase is Phase.NARRATION
    assert tl.key_point_progress() == (0, 3)


def test_ticks_before_the_key_point_do_nothing_then_it_pauses_exactly(tl: Timeline) -> None:
    tl.start()
    assert tl.tick(1.0) == []
    assert tl.tick(2.9995) == [ShowKeyPoint("kp1", 0)]  # within half a millisecond counts
    assert tl.phase is Phase.KEY_POINT
    assert tl.state.position == 3.0
    assert tl.tick(5.0) == []  # no narration while a key point is shown


def test_sequential_items_one_after_another_then_narration_resumes(tl: Timeline) -> None:
    tl.start()
    tl.tick(3.0)
    with pytest.raises(TimelineError, match="not on screen"):
        tl.respond("q-signs", ["A"])  # the second item is not shown yet
    tl.respond("q-view", "B")
    assert tl.next_item() == [ShowKeyPoint("kp1", 1)]
    assert tl.previous_item() == [ShowKeyPoint("kp1", 0)]
    tl.next_item()
    assert tl.respond("q-signs", ["C", "A"]) == ["A", "C"]  # normalised
    assert tl.next_item() == [Play("intro", 3.0, None)]
    assert tl.narration_ended() == [Play("exam", 0.0, 2.0)]
    assert tl.state.path == ["intro", "exam"]


def test_branch_on_a_response_routes_to_another_segment(tl: Timeline) -> None:
    tl.start()
    tl.tick(3.0)
    tl.respond("q-view", "A")  # the answer that sends the patient to the shock segment
    tl.next_item()
    assert tl.next_item() == [Play("shock", 0.0, 5.0)]
    tl.tick(5.0)
    tl.respond("q-next", "B")
    tl.next_item()
    assert tl.narration_ended() == [Review(("q-signs",))]
    assert tl.counted_items() == ["q-view", "q-signs", "q-next"]  # exam was skipped


def test_together_layout_accepts_every_item_and_submits(tl: Timeline) -> None:
    tl.start()
    tl.tick(3.0)
    tl.submit()
    tl.narration_ended()
    assert tl.tick(2.0) == [ShowKeyPoint("kp2", 0)]
    tl.respond("q-measure", {"from": [0, 0], "to": [100, 0]})
    tl.respond("q-spot", {"x": 50, "y": 50})
    assert tl.next_item() == [Play("exam", 2.0, 6.0)]


def test_cannot_seek_past_the_furthest_point(tl: Timeline) -> None:
    tl.start()
    tl.tick(2.0)
    assert tl.seek(9.0) == 2.0
    assert tl.seek(-1) == 0.0
    assert tl.seek(1.5) == 1.5


def test_rewinding_past_a_key_point_does_not_show_it_again(tl: Timeline) -> None:
    tl.start()
    tl.tick(3.0)
    tl.submit()
    tl.tick(5.0)
    assert tl.seek(1.0) == 1.0
    assert tl.tick(3.5) == []
    assert tl.state.visited == ["kp1"]


def test_media_ending_early_never_skips_a_key_point(tl: Timeline) -> None:
    tl.start()
    assert tl.narration_ended() == [ShowKeyPoint("kp1", 0)]


def test_responses_are_checked(tl: Timeline) -> None:
    tl.start()
    tl.tick(3.0)
    with pytest.raises(ResponseError, match="'E' is not one of"):
        tl.respond("q-view", "E")
    assert tl.respond("q-view", "not_possible") == "not_possible"
    assert tl.respond("q-view", None) is None
    assert tl.unanswered() == ("q-view", "q-signs")


def test_intents_in_the_wrong_phase_are_refused(tl: Timeline) -> None:
    with pytest.raises(TimelineError):
        tl.submit()
    with pytest.raises(TimelineError):
        tl.respond("q-view", "A")
    tl.start()
    with pytest.raises(TimelineError):
        tl.finish()


def test_time_spent_is_measured_from_when_the_item_was_shown(
    tl: Timeline, clock: FakeClock
) -> None:
    tl.start()
    clock.advance(3)
    tl.tick(3.0)
    clock.advance(12.5)
    tl.respond("q-view", "B")
    record = tl.state.responses["q-view"]
    assert record.time_spent == 12.5
    assert record.answered_at == 1015.5


def test_review_lets_the_candidate_answer_what_was_left_blank(tl: Timeline) -> None:
    tl.start()
    tl.tick(3.0)
    tl.respond("q-view", "B")
    tl.submit()
    tl.narration_ended()
    tl.tick(2.0)
    tl.submit()
    tl.tick(6.0)
    tl.submit()
    assert tl.narration_ended() == [Review(("q-signs", "q-spot", "q-measure", "q-order"))]
    with pytest.raises(TimelineError):
        tl.respond("q-view", "A")  # answered already: not open in review
    tl.respond("q-order", ["ruq", "luq", "pelvis"])
    assert tl.finish() == [Ended(EndReason.COMPLETED)]
    assert tl.state.unreached == []


def test_ending_early_counts_the_rest_of_the_default_path(tl: Timeline) -> None:
    tl.start()
    tl.tick(3.0)
    assert tl.end(EndReason.TIME_UP) == [Ended(EndReason.TIME_UP)]
    assert tl.state.unreached == ["kp2", "kp3"]  # the branch to 'shock' is not followed
    assert tl.counted_items() == ["q-view", "q-signs", "q-spot", "q-measure", "q-order"]
    assert tl.key_point_progress() == (1, 3)
    assert tl.end(EndReason.ENDED_BY_PROCTOR) == []  # already over


def test_state_round_trips_through_json_and_resumes(
    case: Case, tl: Timeline, clock: FakeClock
) -> None:
    tl.start()
    tl.tick(3.0)
    tl.respond("q-view", "B")
    tl.next_item()
    saved = json.loads(json.dumps(tl.to_dict()))
    restored = Timeline.from_dict(case, saved, clock)
    assert restored.state == tl.state
    assert restored.resume_events() == [ShowKeyPoint("kp1", 1)]
    restored.next_item()
    restored.narration_ended()
    assert restored.tick(2.5) == [ShowKeyPoint("kp2", 0)]
    again = Timeline.from_dict(case, json.loads(json.dumps(restored.to_dict())), clock)
    assert again.resume_events() == [ShowKeyPoint("kp2", 0)]
    assert again.response("q-view") == "B"


def test_resume_mid_narration_restarts_from_the_last_key_point(
    case: Case, tl: Timeline, clock: FakeClock
) -> None:
    tl.start()
    tl.tick(3.0)
    tl.submit()
    tl.tick(8.0)
    restored = Timeline.from_dict(case, tl.to_dict(), clock)
    assert restored.resume_events() == [Play("intro", 3.0, None)]


def test_restoring_a_state_of_another_case_version_is_refused(
    case: Case, tl: Timeline, clock: FakeClock
) -> None:
    data = tl.to_dict()
    data["case_sha256"] = "0" * 64
    with pytest.raises(ValueError, match="different version of the case"):
        Timeline.from_dict(case, data, clock)
    data = tl.to_dict()
    data["phase"] = "dancing"
    with pytest.raises(ValueError, match="damaged"):
        Timeline.from_dict(case, data, clock)


def test_preview_jumps_to_any_key_point_and_segment(tl: Timeline) -> None:
    assert tl.jump_to_key_point("kp3") == [ShowKeyPoint("kp3", 0)]
    assert tl.state.segment_id == "exam" and tl.state.position == 6.0
    assert tl.next_item() == [Play("exam", 6.0, None)]
    assert tl.jump_to_key_point("kp1") == [ShowKeyPoint("kp1", 0)]
    assert tl.jump_to_segment("shock") == [Play("shock", 0.0, 5.0)]
    assert tl.tick(5.0) == [ShowKeyPoint("kp4", 0)]
