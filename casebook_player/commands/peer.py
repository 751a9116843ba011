"""``casebook evaluate`` and ``casebook peer-summary``: peer evaluation forms and their results.

``evaluate`` opens the form in a small window (or, with ``--responses FILE``, fills it from a
file without one) and writes the evaluation, signed with ``--sign KEY``. ``peer-summary``
combines the first two valid evaluations per candidate and clinical area.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from casebook_player.commands import EXIT_OK, Failed, UsageError
from casebook_player.commands.keys import load_signing_key
from casebook_player.commands.wallclock import add_at_argument, at_argument
from casebook_player.core.crypto.keys import KeyFileError, load_public_key
from casebook_player.core.paths import evaluations_dir
from casebook_player.core.peer.evaluations import (
    evaluation_document,
    evaluation_file_name,
    load_responses,
    write_evaluation,
)
from casebook_player.core.peer.forms import FormError, PeerForm, load_form
from casebook_player.core.peer.summary import AreaSummary, PeerSummary, format_rating, summarise
from casebook_player.core.printable import one_line

_KEY_SUFFIXES = (".pub", ".pem", ".jwk", ".json")
_LABEL_WIDTH = 44


def add_parsers(verbs: Any) -> None:
    evaluate = verbs.add_parser("evaluate", help="fill in a peer evaluation form")
    evaluate.add_argument("form", type=Path, metavar="FORM", help="a peer evaluation form (YAML)")
    evaluate.add_argument("--candidate", required=True, metavar="ID", help="who is evaluated")
    evaluate.add_argument("--evaluator", required=True, metavar="ID", help="who evaluates")
    evaluate.add_argument("--sign", type=Path, metavar="PRIVATE_KEY", help="sign the evaluation")
    evaluate.add_argument("--out", type=Path, metavar="FILE", help="write the evaluation here")
    evaluate.add_argument(
        "--responses",
        type=Path,
        metavar="FILE",
        help="fill the form from a YAML file (ratings: criterion → value or n/a; comments:) "
        "without a window",
    )
    evaluate.add_argument("--high-contrast", action="store_true", help="high-contrast theme")
    add_at_argument(evaluate)
    evaluate.set_defaults(func=run_evaluate)

    summary = verbs.add_parser(
        "peer-summary", help="combine the first two valid evaluations per candidate and area"
    )
    summary.add_argument("results", nargs="+", type=Path, metavar="RESULT")
    summary.add_argument(
        "--key",
        type=Path,
        required=True,
        metavar="PUBLIC_KEY_OR_DIR",
        help="the evaluators' public key, or a folder of public keys",
    )
    summary.set_defaults(func=run_summary)


def run_evaluate(args: argparse.Namespace) -> int:
    for option in ("candidate", "evaluator"):
        if not getattr(args, option).strip():
            raise UsageError(f"--{option} must not be empty")
    form = _form(args.form)
    key = load_signing_key(args.sign) if args.sign is not None else None
    if args.responses is None:
        if args.at is not None:
            raise UsageError("--at dates an evaluation filled from --responses FILE only")
        from casebook_player.ui.evaluation import EvaluationOptions, run_evaluation

        options = EvaluationOptions(
            out=args.out,
            results_dir=evaluations_dir(),
            signing_key=key,
            high_contrast=args.high_contrast,
        )
        return run_evaluation(form, args.candidate, args.evaluator, options)
    at = at_argument(args.at)
    started = time.time() if at is None else at
    try:
        ratings, comments = load_responses(form, args.responses)
    except FormError as exc:
        raise Failed("cannot fill the form:", exc.problems) from None
    ended = time.time() if at is None else at
    document = evaluation_document(
        form, args.candidate, args.evaluator, ratings, comments, started, ended
    )
    out = args.out or evaluations_dir() / evaluation_file_name(document, key is not None)
    try:
        write_evaluation(out, document, key)
    except OSError as exc:
        raise Failed(f"cannot write {out}: {exc.strerror}") from None
    print(f"evaluation of {args.candidate} by {args.evaluator} · {form.title} {form.version}")
    for rating in document["ratings"]:
        label = _fit(rating["label"], _LABEL_WIDTH)
        print(f"  {label:<{_LABEL_WIDTH}} {format_rating(rating['rating'])}")
    print(f"{'signed' if key else 'unsigned (it will not count)'}: {out}")
    return EXIT_OK


def run_summary(args: argparse.Namespace) -> int:
    keys = load_public_keys(args.key)
    for path in args.results:
        if not path.is_file():
            raise UsageError(f"no such file: {path}")
    print(format_summary(summarise(args.results, keys)))
    return EXIT_OK


def load_public_keys(path: Path) -> list[Ed25519PublicKey]:
    """The key in a file, or every public key file in a folder (.pub, .pem, .jwk, .json)."""
    try:
        if not path.is_dir():
            return [load_public_key(path)]
        files = sorted(p for p in path.iterdir() if p.suffix in _KEY_SUFFIXES and p.is_file())
        keys = [load_public_key(p) for p in files]
    except KeyFileError as exc:
        raise Failed(str(exc)) from None
    if not keys:
        raise Failed(f"no public key files ({', '.join(_KEY_SUFFIXES)}) in {path}")
    return keys


def format_summary(summary: PeerSummary) -> str:
    lines: list[str] = []
    for area in summary.areas:
        lines += _area_lines(area)
        lines.append("")
    if not summary.areas:
        lines += ["no valid evaluations", ""]
    lines += [one_line(str(invalid)) for invalid in summary.invalid]
    return "\n".join(lines).rstrip()


def _area_lines(area: AreaSummary) -> list[str]:
    count = len(area.counted)
    status = "complete" if area.complete else f"incomplete: {count} of 2 valid evaluations"
    lines = [f"{one_line(area.candidate)} · {one_line(area.area)} ({status})"]
    evaluators = [one_line(e.evaluator) for e in area.counted]
    labels = {c: _fit(one_line(label), _LABEL_WIDTH) for c, label in area.labels().items()}
    lines.append(
        f"  {'criterion':<{_LABEL_WIDTH}} {'mean':>5}  " + "  ".join(f"{e:>6}" for e in evaluators)
    )
    for criterion, label in labels.items():
        mean = area.mean(criterion)
        shown = "N/A" if mean is None else f"{mean:.1f}"
        each = "  ".join(f"{format_rating(r):>6}" for r in area.ratings(criterion))
        lines.append(f"  {label:<{_LABEL_WIDTH}} {shown:>5}  {each}")
    for evaluation in area.counted:
        comments = evaluation.document["comments"].strip()
        submitted = evaluation.ended_at
        who, where = one_line(evaluation.evaluator), one_line(str(evaluation.path))
        lines.append(f"  counted: {who}, submitted {one_line(str(submitted))} [{where}]")
        if comments:
            lines.append(f"    comments: {one_line(' '.join(comments.split()))}")
    lines += [f"  {one_line(str(ignored))}" for ignored in area.ignored]
    return lines


def _form(path: Path) -> PeerForm:
    if not path.exists():
        raise UsageError(f"no such form: {path}")
    try:
        return load_form(path)
    except FormError as exc:
        raise Failed("the form cannot be used:", exc.problems) from None


def _fit(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
