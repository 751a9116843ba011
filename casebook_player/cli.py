"""The ``casebook`` command. Every verb returns an exit status: 0 ok, 1 failed, 2 usage error."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

from casebook_player import __version__
from casebook_player.core.loader import CASE_FILE, load_case
from casebook_player.core.problems import CaseError
from casebook_player.core.results import Attempt, Candidate, result_document
from casebook_player.core.simulate import correct_answers, load_answers, simulate

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    pass


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except UsageError as exc:
        print(f"casebook {args.verb}: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="casebook", description="Interactive POCUS clinical case assessments, offline."
    )
    parser.add_argument("--version", action="version", version=f"casebook {__version__}")
    verbs = parser.add_subparsers(dest="verb", required=True, metavar="VERB")

    validate = verbs.add_parser("validate", help="check case scripts (files or folders)")
    validate.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    validate.add_argument("-q", "--quiet", action="store_true", help="print problems only")
    validate.set_defaults(func=cmd_validate)

    sim = verbs.add_parser("simulate", help="run a case headless with scripted responses")
    sim.add_argument("case", type=Path, metavar="CASE")
    sim.add_argument(
        "--responses",
        required=True,
        metavar="FILE|correct|blank",
        help="a YAML file of item id → response, or 'correct', or 'blank'",
    )
    sim.add_argument("--candidate", default="simulated", help="candidate id in the result")
    sim.add_argument("--out", type=Path, help="write the result document (JSON) here")
    sim.set_defaults(func=cmd_simulate)
    return parser


# -- validate -------------------------------------------------------------------------------


def case_files(paths: Sequence[Path]) -> Iterator[Path]:
    """Case scripts named by ``paths``: files as given, folders searched for case.yaml."""
    for path in paths:
        if path.is_file():
            yield path
        elif path.is_dir():
            found = sorted(path.rglob(CASE_FILE))
            if not found:
                raise UsageError(f"no {CASE_FILE} found under {path}")
            yield from found
        else:
            raise UsageError(f"no such file or folder: {path}")


def cmd_validate(args: argparse.Namespace) -> int:
    files = list(case_files(args.paths))
    invalid = problems = 0
    for file in files:
        try:
            load_case(file)
        except CaseError as exc:
            invalid += 1
            problems += len(exc.problems)
            for problem in exc.problems:
                print(problem)
        else:
            if not args.quiet:
                print(f"{file}: ok")
    noun = "case" if len(files) == 1 else "cases"
    summary = f"{len(files)} {noun} checked: {len(files) - invalid} valid, {invalid} invalid"
    if problems:
        summary += f" ({problems} problem{'s' if problems != 1 else ''})"
    print(summary)
    return EXIT_FAILED if invalid else EXIT_OK


# -- simulate -------------------------------------------------------------------------------


def cmd_simulate(args: argparse.Namespace) -> int:
    if not args.case.exists():
        raise UsageError(f"no such case: {args.case}")
    try:
        case = load_case(args.case)
        if args.responses == "correct":
            answers = correct_answers(case)
        elif args.responses == "blank":
            answers = {}
        else:
            answers = load_answers(case, Path(args.responses))
    except CaseError as exc:
        print(exc, file=sys.stderr)
        return EXIT_FAILED
    timeline = simulate(case, answers)
    document = result_document(timeline, Attempt(Candidate(args.candidate)))
    if args.out is not None:
        write_json(args.out, document)
    print(score_summary(document))
    return EXIT_OK


def write_json(path: Path, document: dict[str, object]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def score_summary(document: dict[str, object]) -> str:
    """A few lines: the case, the score against the cut score, a line per domain."""
    d = document
    case = d["case"]
    assert isinstance(case, dict)
    verdict = "PASS" if d["passed"] else "FAIL"
    lines = [
        f"{case['id']} {case['version']}: {d['raw']:g}/{d['max']:g} points, "
        f"{d['percent']:.1f} % (cut score {d['cut_score']:g} %) {verdict}"
    ]
    domains = d["domains"]
    assert isinstance(domains, list)
    for dom in domains:
        if dom["max"]:
            lines.append(
                f"  {dom['name']:<34} {dom['raw']:g}/{dom['max']:g}  {dom['percent']:.1f} %"
            )
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
