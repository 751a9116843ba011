"""Clock steps and restart loops: the time used follows neither the wall clock nor restarts.

    .venv/bin/python bench/bench_clock_steps.py [--case cases/lung-pneumothorax]

A real, journaled AttemptSession (the player's own, as `open_attempt` opens it) on a fake
clock: the wall clock and the monotonic clock move together as time passes, and a step moves
the wall clock alone, as someone setting the machine's clock does. Each run reaches the first
key point, spends 60 s there (a tick every 250 ms, as the window ticks), steps the wall clock
by +1 h, -1 h, +30 days or -30 days, spends 60 s more, answers and ends. Printed: the time
used before and after the step (and what it should be), the time on the answer, whether the
attempt was still running, and the incidents. Then the restart loop of the red-team report:
8 restarts, 3.5 s at the key point each (kill -9, no clean close), with the time counted.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from benchlib import ROOT, header

from casebook_player.core.case.loader import load_case
from casebook_player.core.case.model import Case
from casebook_player.core.session.attempt import AttemptSession, open_attempt
from casebook_player.core.session.custody import Custody, custody_for
from casebook_player.core.session.journal import JournalKind
from casebook_player.core.session.results import Attempt, Candidate
from casebook_player.core.session.simulate import FakeClock, correct_answers
from casebook_player.core.session.timeline import Phase

DAY = 86_400.0
STEPS = (("+1 h", 3600.0), ("-1 h", -3600.0), ("+30 days", 30 * DAY), ("-30 days", -30 * DAY))
TICK_S = 0.25


def spend(session: AttemptSession, clock: FakeClock, seconds: float) -> None:
    for _ in range(round(seconds / TICK_S)):
        clock.advance(TICK_S)
        session.tick()


def to_first_key_point(session: AttemptSession) -> str:
    session.start()
    kp = next(kp for _, kp in session.case.key_points())
    session.narration_reached(kp.at)
    assert session.phase is Phase.KEY_POINT
    return kp.items[0].id


def one_step(case: Case, folder: Path, label: str, jump: float) -> str:
    clock = FakeClock()
    session = open_attempt(
        case, Attempt(Candidate(f"step{jump:+.0f}")), practice(folder), clock
    ).session
    item = to_first_key_point(session)
    spend(session, clock, 60)
    before = session.timer.used()
    clock.set_wall(clock.now + jump)
    spend(session, clock, 60)
    after = session.timer.used()
    running = session.phase is Phase.KEY_POINT
    session.respond(item, correct_answers(case)[item])
    spent = session.timeline.state.responses[item].time_spent
    incidents = "; ".join(f"{i['kind']}: {i['note']}" for i in session.incidents)
    session.close()
    verdict = "unchanged" if abs(after - (before + 60)) < 1e-6 and running else "CHANGED"
    return (
        f"{label:>9}: used {before:6.2f} s → {after:6.2f} s (expected {before + 60:6.2f}) "
        f"{verdict}; answer {spent:6.2f} s; still running: {running}\n"
        f"           incidents: {incidents or 'none'}"
    )


def restart_loop(case: Case, folder: Path, restarts: int = 8, each_s: float = 3.5) -> str:
    clock = FakeClock()
    attempt = Attempt(Candidate("restarts"))
    session = open_attempt(case, attempt, practice(folder), clock).session
    to_first_key_point(session)
    for _ in range(restarts):
        assert session.journal is not None
        session.journal.close()  # killed: nothing more is written
        session = open_attempt(case, attempt, practice(folder), clock).session
        session.start()
        spend(session, clock, each_s)
    assert session.journal is not None
    session.journal.close()
    last = open_attempt(case, attempt, practice(folder), clock).session
    counted = last.timer.used()
    kinds = [i["kind"] for i in last.incidents]
    last.close()
    spent = restarts * each_s
    return (
        f"restart loop: {restarts} restarts × {each_s} s = {spent:.1f} s at the key point; "
        f"counted {counted:.2f} s (lost {spent - counted:.2f} s, "
        f"{(spent - counted) / restarts:.2f} s per restart); "
        f"restart incidents: {kinds.count('restart')}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--case", type=Path, default=ROOT / "cases" / "lung-pneumothorax")
    args = parser.parse_args()
    header("clock steps during an attempt (fake wall clock, real journaled session)")
    case = load_case(args.case)
    with tempfile.TemporaryDirectory() as tmp:
        for label, jump in STEPS:
            print(one_step(case, Path(tmp), label, jump))
        print(restart_loop(case, Path(tmp)))


if __name__ == "__main__":
    main()


def practice(folder: Path) -> Custody:
    return custody_for(JournalKind.PRACTICE, folder, None)
