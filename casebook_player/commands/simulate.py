"""``casebook simulate CASE --responses FILE|correct|blank``: run a case headless.

With ``--journal DIR`` every step is journaled as the player does it, and ``--resume``
continues an interrupted run; ``--sign KEY`` writes a signed result file.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from casebook_player.commands import EXIT_OK, Failed, UsageError
from casebook_player.commands.keys import load_signing_key
from casebook_player.commands.packages import add_delivery_arguments, load_case_argument
from casebook_player.commands.wallclock import add_at_argument, at_argument
from casebook_player.core.case.model import Case
from casebook_player.core.case.problems import CaseError
from casebook_player.core.printable import one_line
from casebook_player.core.session.attempt import (
    AttemptSession,
    AttemptUnavailable,
    Notice,
    ResultOutput,
    Saved,
    open_attempt,
)
from casebook_player.core.session.custody import custody_for
from casebook_player.core.session.journal import JournalError, JournalKind
from casebook_player.core.session.results import Attempt, Candidate, score_summary
from casebook_player.core.session.simulate import (
    FakeClock,
    Script,
    correct_answers,
    drive,
    load_script,
)


def add_parsers(verbs: Any) -> None:
    parser = verbs.add_parser("simulate", help="run a case headless with scripted responses")
    parser.add_argument("case", type=Path, metavar="CASE")
    parser.add_argument(
        "--responses",
        required=True,
        metavar="FILE|correct|blank",
        help="a YAML file of item id → response (or {responses: ..., events: [...]} with"
        " proctor pauses, extra time, waits; see the README), or 'correct', or 'blank'",
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
    add_at_argument(parser)
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
        script = _script(case, args.responses)
    except CaseError as exc:
        raise Failed("cannot simulate:", exc.problems) from None
    key = load_signing_key(args.sign) if args.sign is not None else None
    output = ResultOutput(path=args.out, signing_key=key) if args.out is not None else None
    at = at_argument(args.at)
    clock = FakeClock() if at is None else FakeClock(at)
    attempt = Attempt(Candidate(args.candidate))
    if args.journal is None:
        session = drive(AttemptSession(case, attempt, clock, output=output), script, clock)
    else:
        session = _journaled(case, attempt, script, clock, output, args, key)
    if session.result_error is not None:
        raise Failed(f"cannot write {args.out}: {session.result_error}")
    print(score_summary(session.result()))
    return EXIT_OK


def _script(case: Case, responses: str) -> Script:
    if responses == "correct":
        return Script(correct_answers(case))
    if responses == "blank":
        return Script({})
    return load_script(case, Path(responses))


def _journaled(
    case: Case,
    attempt: Attempt,
    script: Script,
    clock: FakeClock,
    output: ResultOutput | None,
    args: argparse.Namespace,
    key: Ed25519PrivateKey | None,
) -> AttemptSession:
    """Take the attempt with every step durably journaled, or pick up where the journal ends
    (``--resume``): the same opening as the player's."""
    try:
        custody = custody_for(JournalKind.SIMULATED, args.journal, key)
        opened = open_attempt(case, attempt, custody, clock, output)
    except (AttemptUnavailable, JournalError) as exc:
        raise Failed(str(exc)) from None
    session = opened.session
    assert session.journal is not None
    path = session.journal.path
    with session.journal:
        if opened.resumed and not args.resume:
            raise Failed(f"{path} already holds this attempt: add --resume to continue it")
        if not opened.resumed and args.resume:
            raise Failed(f"nothing to resume: {path} holds no attempt yet")
        if opened.taken_at is not None:
            clock.now = opened.taken_at
            print(f"resuming from {one_line(str(path))}", flush=True)
        session.subscribe(lambda notice: _saved(notice, args.step_delay))
        drive(session, script, clock, resumed=opened.resumed)
    return session


def _saved(notice: Notice, step_delay: float) -> None:
    """Say each step once it is on disk (and wait, to let a test interrupt the run)."""
    if isinstance(notice, Saved) and notice.kind != "clock":
        what = notice.payload.get("item") or notice.payload.get("event") or notice.payload["kind"]
        print(f"saved {notice.kind} {one_line(str(what))}", flush=True)
        if step_delay:
            time.sleep(step_delay)
