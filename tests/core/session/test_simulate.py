"""Scripts for ``simulate``: responses, and what happens at key points."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from casebook_player.core.case.model import Case
from casebook_player.core.case.problems import CaseError
from casebook_player.core.session.simulate import (
    SECONDS_PER_ITEM,
    Happening,
    Script,
    correct_answers,
    load_script,
    simulate,
)


def script_file(tmp_path: Path, text: str) -> Path:
    file = tmp_path / "script.yaml"
    file.write_text(text)
    return file


def problems(case: Case, file: Path) -> list[str]:
    with pytest.raises(CaseError) as info:
        load_script(case, file)
    return [str(p) for p in info.value.problems]


def test_a_flat_mapping_is_responses_only(case: Case, tmp_path: Path) -> None:
    script = load_script(case, script_file(tmp_path, "q-view: B\nq-signs: [A, C]\n"))
    assert script == Script({"q-view": "B", "q-signs": ["A", "C"]})


def test_a_script_with_events_at_key_points(case: Case, tmp_path: Path) -> None:
    text = (
        "responses: {q-view: B}\n"
        "events:\n"
        "  - {at: kp1, pause: 120}\n"
        "  - {at: kp1, add_time: 5}\n"
        "  - {at: kp2, wait: 30}\n"
        "  - {at: kp2, end: fire alarm}\n"
    )
    script = load_script(case, script_file(tmp_path, text))
    assert script.answers == {"q-view": "B"}
    assert script.happenings == (
        Happening("kp1", "pause", 120),
        Happening("kp1", "add_time", 5),
        Happening("kp2", "wait", 30),
        Happening("kp2", "end", "fire alarm"),
    )


def test_each_bad_event_is_placed_at_its_line(case: Case, tmp_path: Path) -> None:
    text = (
        "responses: {q-nothing: B}\n"
        "events:\n"
        "  - {at: kp-nowhere, pause: 1}\n"
        "  - {at: kp1, wait: -3}\n"
        "  - {at: kp1, dance: 3}\n"
    )
    file = script_file(tmp_path, text)
    found = problems(case, file)
    assert f"{file}:1:13: q-nothing: the case has no item 'q-nothing'" in found
    assert any(p.startswith(f"{file}:3:") and "no key point 'kp-nowhere'" in p for p in found)
    assert any(p.startswith(f"{file}:4:") and "wait needs a number ≥ 0" in p for p in found)
    assert any("events[2]: expected 'at: KEY_POINT' and one of pause" in p for p in found)
    assert len(found) == 4


def test_a_pause_costs_no_time_and_extra_time_gives_some(case: Case) -> None:
    timed = replace(case, time_limit_minutes=10.0)
    plain = simulate(timed, correct_answers(timed))
    paused = simulate(timed, Script(correct_answers(timed), (Happening("kp1", "pause", 3600),)))
    assert paused.result()["percent"] == plain.result()["percent"] == 100.0
    assert paused.timer.used() == pytest.approx(plain.timer.used())
    extended = simulate(timed, Script(correct_answers(timed), (Happening("kp1", "add_time", 5),)))
    assert extended.time_left() == pytest.approx(plain.time_left() + 300)  # type: ignore[operator]


def test_waiting_runs_out_the_time_at_the_limit_exactly(case: Case) -> None:
    timed = replace(case, time_limit_minutes=10.0)
    session = simulate(timed, Script(correct_answers(timed), (Happening("kp2", "wait", 3600),)))
    result = session.result()
    assert result["end_reason"] == "time_up"
    assert session.timer.used() == pytest.approx(600, abs=0.01)
    answered = [r["item"] for r in result["responses"] if r["response"] is not None]
    assert answered == ["q-view", "q-signs"]  # kp1's answers count; kp2 was never answered
    assert [i["kind"] for i in result["incidents"]] == ["time_up"]


def test_a_slow_candidate_runs_out_of_time_too(case: Case) -> None:
    timed = replace(case, time_limit_minutes=1.0)
    script = Script(correct_answers(timed), seconds_per_item=SECONDS_PER_ITEM * 100)
    assert simulate(timed, script).result()["end_reason"] == "time_up"


def test_a_proctor_ending_stops_the_attempt_before_the_key_point_is_answered(
    case: Case,
) -> None:
    script = Script(correct_answers(case), (Happening("kp2", "end", "fire alarm"),))
    result = simulate(case, script).result()
    assert result["end_reason"] == "ended_by_proctor"
    assert result["incidents"][-1]["note"] == "fire alarm"
