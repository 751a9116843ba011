"""``casebook archive add|export``, ``casebook stats`` and ``casebook standard-setting``:
a programme's results archive, its item analysis and its cut score (docs/analytics.md)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from casebook_player.commands import EXIT_FAILED, EXIT_OK, Failed, UsageError
from casebook_player.commands.keys import result_paths
from casebook_player.commands.terminal import end_progress_line, progress_line
from casebook_player.core.analytics import archive as results_archive
from casebook_player.core.analytics.angoff import angoff_round
from casebook_player.core.analytics.case_tables import register_case
from casebook_player.core.analytics.ctt import FormStats, form_statistics, pass_rates, query_archive
from casebook_player.core.analytics.cut_writer import write_cut_score
from casebook_player.core.analytics.hofstee import hofstee_cut
from casebook_player.core.analytics.ratings import RatingsError, load_panel
from casebook_player.core.analytics.report import write_item_tables, write_report
from casebook_player.core.case.loader import load_case
from casebook_player.core.case.model import Case
from casebook_player.core.case.problems import CaseError
from casebook_player.core.crypto.keys import KeyFileError, load_public_key
from casebook_player.core.printable import one_line


def add_parsers(verbs: Any) -> None:
    parser = verbs.add_parser("archive", help="a programme's archive of verified results")
    tasks = parser.add_subparsers(dest="task", required=True, metavar="TASK")
    add = tasks.add_parser(
        "add",
        help="verify signed results and add the valid ones to the archive",
        description="Every file is verified as `casebook verify` does, in parallel processes; "
        "files that do not verify are listed with the reason and left out (exit 1). Adding a "
        "file again changes nothing. Every attempt is kept; statistics use the first.",
    )
    add.add_argument(
        "results", type=Path, nargs="+", metavar="RESULT", help="a file or a folder of *.json"
    )
    add.add_argument("--key", type=Path, required=True, metavar="PUBLIC_KEY")
    add.add_argument("--archive", type=Path, required=True, metavar="DB")
    add.add_argument("--quiet", action="store_true", help="no progress line")
    add.set_defaults(func=run_archive_add)
    export = tasks.add_parser("export", help="write the archive's tables as Parquet files")
    export.add_argument("--archive", type=Path, required=True, metavar="DB")
    export.add_argument("--out", type=Path, required=True, metavar="DIR")
    export.set_defaults(func=run_archive_export)

    stats = verbs.add_parser(
        "stats",
        help="item statistics of the archived first attempts: an HTML report and a table",
        description="Per form (one exact case script) of each case given: difficulty, "
        "item-rest correlation, upper-lower 27 %% discrimination, distractors, click maps, "
        "measurement errors, reliability and decision consistency, with flagged items.",
    )
    stats.add_argument("--archive", type=Path, required=True, metavar="DB")
    stats.add_argument("--case", type=Path, nargs="+", required=True, metavar="CASE")
    stats.add_argument("--out", type=Path, required=True, metavar="DIR")
    stats.set_defaults(func=run_stats)

    standard = verbs.add_parser(
        "standard-setting",
        help="a cut score from a panel's Angoff ratings (and Hofstee with an archive)",
    )
    standard.add_argument("ratings", type=Path, metavar="RATINGS.yaml")
    standard.add_argument("--archive", type=Path, metavar="DB", help="for Hofstee and impact data")
    standard.add_argument("--write-cut", type=Path, metavar="CASE/case.yaml")
    standard.add_argument(
        "--method",
        choices=("angoff", "hofstee"),
        default="angoff",
        help="which cut --write-cut writes (default: angoff)",
    )
    standard.set_defaults(func=run_standard_setting)


def _public_key(path: Path) -> Any:
    try:
        return load_public_key(path)
    except KeyFileError as exc:
        raise Failed(str(exc)) from None


def run_archive_add(args: argparse.Namespace) -> int:
    key = _public_key(args.key)
    files = result_paths(args.results)
    if not files:
        raise UsageError("no result files (*.json) in " + ", ".join(map(str, args.results)))
    # A progress line only where a run is long enough to watch (more than one chunk).
    long_run = not args.quiet and len(files) > results_archive.CHUNK_FILES
    progress = progress_line(f"verifying and storing {len(files)} results") if long_run else None
    try:
        report = results_archive.add_results(args.archive, files, key, progress)
    except OSError as exc:
        raise Failed(f"cannot write the archive {args.archive}: {exc.strerror or exc}") from None
    finally:
        end_progress_line()
    for file, reason in report.refused:
        print(f"NOT VALID: {one_line(file)}: {one_line(reason)}")
    print(f"{report.added} added, {report.already} already archived, {len(report.refused)} refused")
    return EXIT_FAILED if report.refused else EXIT_OK


def run_archive_export(args: argparse.Namespace) -> int:
    _existing(args.archive)
    for path in results_archive.export_parquet(args.archive, args.out):
        print(f"wrote {one_line(str(path))}")
    return EXIT_OK


def _existing(path: Path) -> None:
    if not path.is_file():
        raise UsageError(f"no such archive: {path}")


def _case(path: Path) -> Case:
    try:
        return load_case(path)
    except CaseError as exc:
        raise Failed(f"{path} is not a valid case", exc.problems) from None


def archive_statistics(db: Path, cases: list[Case]) -> list[tuple[FormStats, Case]]:
    """The statistics of each given case's form found in the archive."""
    with results_archive.open_archive(db) as connection:
        for case in cases:
            register_case(connection, case)
        forms = form_statistics(query_archive(connection))
    return [(forms[c.sha256], c) for c in cases if c.sha256 in forms]


def run_stats(args: argparse.Namespace) -> int:
    _existing(args.archive)
    cases = [_case(path) for path in args.case]
    found = archive_statistics(args.archive, cases)
    missing = [c for c in cases if not any(c is case for _, case in found)]
    for case in missing:
        print(
            f"casebook stats: no archived result of {one_line(case.id)} {one_line(case.version)} "
            f"(script {case.sha256[:12]})",
            file=sys.stderr,
        )
    if not found:
        raise Failed("no archived results for the cases given")
    args.out.mkdir(parents=True, exist_ok=True)
    write_report(args.out / "report.html", found)
    tables = write_item_tables(found, args.out)
    for stats, case in found:
        overall = stats.overall
        print(
            f"{one_line(case.id)} {one_line(case.version)}: {stats.candidates} candidates, "
            f"mean {overall['mean']:.2f}/{overall['max_score']:g}, alpha {_num(overall['alpha'])}, "
            f"SEM {_num(overall['sem'])}"
        )
        for item, flags in stats.flags.items():
            print(f"  FLAG {one_line(item)}: {one_line('; '.join(flags))}")
    print(
        f"wrote {one_line(str(args.out / 'report.html'))}, "
        + ", ".join(one_line(str(t)) for t in tables)
    )
    return EXIT_OK


def _num(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def run_standard_setting(args: argparse.Namespace) -> int:
    try:
        panel = load_panel(args.ratings)
        case = _case(panel.case)
        panel = load_panel(args.ratings, [i.id for i in case.items()])
    except RatingsError as exc:
        raise Failed(f"{args.ratings} cannot be used", exc.problems) from None
    points = {i.id: i.points for i in case.items()}
    cuts: dict[str, float] = {}
    for number, ratings in enumerate(panel.rounds, 1):
        result = angoff_round(ratings, points)
        print(
            f"Angoff round {number}: cut {result.cut:.1f} % (SE {result.se:.2f}, "
            f"judges' SD {result.sd:.2f}, ICC(2,1) {_num(result.icc)})"
        )
        for judge, cut in result.judges.items():
            print(f"  {one_line(judge)}: {cut:.1f} %")
        cuts["angoff"] = result.cut
    distribution = _distribution(args.archive, case) if args.archive else None
    bounds = panel.hofstee_bounds()
    if bounds and distribution:
        hofstee = hofstee_cut(bounds, distribution)
        if hofstee is None:
            print("Hofstee: the judges' line does not meet the score distribution in range")
        else:
            cuts["hofstee"] = hofstee.cut
            print(f"Hofstee: cut {hofstee.cut:.1f} % (fail rate {hofstee.fail_rate:.1f} %)")
    if distribution:
        rows = [{"percent": s, "candidates": n} for s, n in distribution]
        shown = sorted({case.cut_score, *(round(c, 1) for c in cuts.values())})
        for cut, rate in pass_rates(rows, shown):
            print(f"impact: at {cut:g} % the archive's pass rate is {100 * rate:.1f} %")
    if args.write_cut:
        if args.method not in cuts:
            raise Failed(
                f"no {args.method} cut to write (Hofstee needs --archive and hofstee: bounds)"
            )
        try:
            written = write_cut_score(args.write_cut, cuts[args.method])
        except CaseError as exc:
            raise Failed(
                f"the cut was not written: {args.write_cut} would not be valid", exc.problems
            ) from None
        print(f"wrote cut_score {round(cuts[args.method], 1):g} to {one_line(str(written))}")
    return EXIT_OK


def _distribution(db: Path, case: Case) -> list[tuple[float, int]]:
    _existing(db)
    found = archive_statistics(db, [case])
    if not found:
        raise Failed(f"no archived result of {case.id} {case.version} in {db}")
    return [(float(r["percent"]), int(r["candidates"])) for r in found[0][0].distribution]
