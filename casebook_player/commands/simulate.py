"""``casebook simulate CASE --responses FILE|correct|blank``: run a case headless.

With ``--journal DIR`` every step is journaled as the player does it, and ``--resume``
continues an interrupted run; ``--sign KEY`` writes a signed result file.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any

from casebook_player.commands import EXIT_OK, Failed, UsageError
from casebook_player.commands.keys import load_signing_key
from casebook_player.commands.packages import add_delivery_arguments, load_case_argument
from casebook_player.core.attempts import open_attempt_journal
from casebook_player.core.journal import JournalError
from casebook_player.core.model import Case
from casebook_player.core.problems import CaseError
from casebook_player.core.results import (
    Attempt,
    Candidate,
    result_document,
    score_summary,
    write_result,
)
from casebook_player.core.simulate import (
    Answers,
    FakeClock,
    correct_answers,
    load_answers,
)
from casebook_player.core.simulate import (
    run as run_timeline,
)
from casebook_player.core.snapshots import make_snapshot, restore
from casebook_player.core.timeline import Timeline
from casebook_player.core.timer import AssessmentTimer


def add_parsers(verbs: Any) -> None:
    parser = verbs.add_parser("simulate", help="run a case headless with scripted responses")
    parser.add_argument("case", type=Path, metavar="CASE")
    parser.add_argument(
        "--responses",
        required=True,
        metavar="FILE|correct|blank",
        help="a YAML file of item id → response, or 'correct', or 'blank'",
    )
    parser.add_argument("--candidate", default="simulated", help="candidate id in the result")
    parser.add_argument("--out", type=Path, help="write the result here (JSON)")
    parser.add_argument("--sign", type=Path, metavar="PRIVATE_KEY", help="sign the result file")
    parser.add_argument("--journal", type=Path, metavar="DIR", help="journal every step here")
    parser.add_argument("--resume", action="store_true", help="continue the journaled attempt")
    parser.add_argument(
        "--step-delay", type=float, default=0.0, metavar="SECONDS", help="pause between steps"
    )
    add_delivery_arguments(parser)  # CASE may be a signed package (.cbk)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if not args.case.exists():
        raise UsageError(f"no such case: {args.case}")
    if args.resume and args.journal is None:
        raise UsageError("--resume needs --journal DIR")
    if args.sign is not None and args.out is None:
        raise UsageError("--sign needs --out FILE")
    try:
        case = load_case_argument(args)
        answers = _answers(case, args.responses)
    except CaseError as exc:
        raise Failed(f"cannot simulate:\n{exc}") from None
    key = load_signing_key(args.sign) if args.sign is not None else None
    clock = FakeClock()
    attempt = Attempt(Candidate(args.candidate))
    if args.journal is None:
        timeline = run_timeline(Timeline(case, clock), answers, clock)
    else:
        timeline, attempt = _journaled(case, answers, clock, attempt, args)
    document = result_document(timeline, attempt)
    if args.out is not None:
        write_result(args.out, document, key)
    print(score_summary(document))
    return EXIT_OK


def _answers(case: Case, responses: str) -> Answers:
    if responses == "correct":
        return correct_answers(case)
    if responses == "blank":
        return {}
    return load_answers(case, Path(responses))


def _journaled(
    case: Case, answers: Answers, clock: FakeClock, attempt: Attempt, args: argparse.Namespace
) -> tuple[Timeline, Attempt]:
    """Run with every step durably journaled; ``--resume`` picks up where the journal ends."""
    try:
        journal = open_attempt_journal(case, attempt.candidate.id, args.journal)
    except JournalError as exc:
        raise Failed(str(exc)) from None
    path = journal.path
    with journal:
        snapshot = journal.snapshot()
        if snapshot is not None and not args.resume:
            raise Failed(f"{path} already holds this attempt: add --resume to continue it")
        if snapshot is None and args.resume:
            raise Failed(f"nothing to resume: {path} holds no attempt yet")
        if snapshot is not None:
            try:
                restored = restore(case, snapshot, clock)
            except ValueError as exc:
                raise Failed(f"cannot resume from {path}: {exc}") from None
            clock.now = restored.taken_at
            timeline, timer, attempt = restored.timeline, restored.timer, restored.attempt
            print(f"resuming from {path}", flush=True)
        else:
            timeline = Timeline(case, clock)
            timer = AssessmentTimer.for_case(clock, case.time_limit_minutes)
        timer.start()

        def record(kind: str, payload: dict[str, Any]) -> None:
            journal.record(kind, payload, make_snapshot(timeline, timer, attempt, clock()))
            what = payload.get("item") or payload.get("event")
            print(f"saved {kind} {what}", flush=True)  # printed only once durable
            if args.step_delay:
                time.sleep(args.step_delay)

        run_timeline(timeline, answers, clock, record)
    return timeline, attempt
