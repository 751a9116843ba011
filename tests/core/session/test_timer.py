from __future__ import annotations

import pytest

from casebook_player.core.session.simulate import FakeClock
from casebook_player.core.session.timer import AssessmentTimer, TimeWarnings, format_clock


def test_untimed_case_never_expires() -> None:
    timer = AssessmentTimer.for_case(FakeClock(), None)
    timer.start()
    assert timer.remaining() is None and not timer.expired()


def test_counts_only_while_running() -> None:
    clock = FakeClock(0)
    timer = AssessmentTimer.for_case(clock, 10)
    clock.advance(100)  # before the start: does not count
    timer.start()
    clock.advance(60)
    timer.stop()  # proctor pause
    clock.advance(300)
    assert timer.remaining() == 540
    timer.start()
    clock.advance(540)
    assert timer.expired()


def test_extra_time_and_added_time() -> None:
    clock = FakeClock(0)
    timer = AssessmentTimer.for_case(clock, 10, extra_time_factor=1.5)
    assert timer.allowed() == 900
    timer.add_time(60)
    assert timer.remaining() == 960
    with pytest.raises(ValueError):
        AssessmentTimer.for_case(clock, 10, extra_time_factor=0.5)


def test_time_while_the_app_was_down_does_not_count() -> None:
    clock = FakeClock(0)
    timer = AssessmentTimer.for_case(clock, 10)
    timer.start()
    clock.advance(120)
    saved = timer.to_dict()
    clock.advance(3600)  # power cut
    restored = AssessmentTimer.from_dict(clock, saved)
    assert not restored.running and restored.remaining() == 480
    restored.start()
    clock.advance(30)
    assert restored.remaining() == 450


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(0, "0:00"), (0.2, "0:01"), (59.5, "1:00"), (1234.5, "20:35"), (3723, "1:02:03")],
)
def test_format_clock(seconds: float, text: str) -> None:
    assert format_clock(seconds) == text


# -- time warnings --------------------------------------------------------------------


def test_each_warning_is_given_once_as_time_left_falls_to_it() -> None:
    warnings = TimeWarnings((300.0, 60.0))
    assert [warnings.due(t) for t in (900.0, 301.0, 300.0, 299.0, 61.0)] == [
        None,
        None,
        300.0,
        None,
        None,
    ]
    assert warnings.due(60.0) == 60.0
    assert warnings.due(30.0) is None and warnings.due(0.0) is None


def test_thresholds_passed_together_give_one_warning() -> None:
    warnings = TimeWarnings((300.0, 60.0))
    assert warnings.due(45.0) == 45.0  # a resumed attempt with 45 s left
    assert warnings.due(44.0) is None


def test_a_warning_is_armed_again_when_time_is_added() -> None:
    warnings = TimeWarnings((300.0, 60.0))
    assert warnings.due(290.0) == 290.0
    assert warnings.due(900.0) is None  # a proctor added ten minutes
    assert warnings.due(300.0) == 300.0


def test_no_warnings_without_a_time_limit() -> None:
    assert TimeWarnings().due(None) is None
