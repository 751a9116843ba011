"""``casebook check-submission`` and ``casebook verify-submission``: video submissions.

``check-submission FOLDER --area AREA`` checks the files against the programme's rules and
reports every problem; with ``--out DIR`` it also writes clean copies (no metadata) and a
manifest, signed with ``--sign KEY``. ``verify-submission DIR --key PUB`` checks the manifest's
signature and hashes every file again.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from casebook_player.commands import EXIT_FAILED, EXIT_OK, Failed, UsageError
from casebook_player.commands.keys import load_signing_key
from casebook_player.commands.peer import load_public_keys
from casebook_player.commands.wallclock import add_at_argument, at_argument
from casebook_player.core.printable import one_line
from casebook_player.core.submissions.check import (
    AREAS,
    MAX_SECONDS,
    MIN_SECONDS,
    SubmissionCheck,
    check_submission,
    write_clean_copies,
)
from casebook_player.core.submissions.manifest import (
    manifest_document,
    verify_submission,
    write_manifest,
)
from casebook_player.core.submissions.metadata import Removed
from casebook_player.core.submissions.videos import MediaError


def add_parsers(verbs: Any) -> None:
    check = verbs.add_parser(
        "check-submission", help="check a clinical area's video submission; write clean copies"
    )
    check.add_argument("folder", type=Path, metavar="FOLDER")
    check.add_argument("--area", required=True, choices=sorted(AREAS), metavar="AREA")
    check.add_argument("--out", type=Path, metavar="DIR", help="write clean copies here")
    check.add_argument("--sign", type=Path, metavar="PRIVATE_KEY", help="sign the manifest")
    check.add_argument("--candidate", metavar="ID", help="the candidate's id, for the manifest")
    add_at_argument(check)
    check.set_defaults(func=run_check)

    verify = verbs.add_parser(
        "verify-submission", help="check a submission's signed manifest and re-hash its files"
    )
    verify.add_argument("folder", type=Path, metavar="DIR")
    verify.add_argument("--key", type=Path, required=True, metavar="PUBLIC_KEY_OR_DIR")
    verify.set_defaults(func=run_verify)


def run_check(args: argparse.Namespace) -> int:
    if not args.folder.is_dir():
        raise UsageError(f"no such folder: {args.folder}")
    if args.sign is not None and args.out is None:
        raise UsageError("--sign needs --out DIR")
    if args.out is not None:
        _check_out_dir(args.folder, args.out)
    key = load_signing_key(args.sign) if args.sign is not None else None
    check = check_submission(args.folder, args.area)
    area = check.area
    print(f"{args.folder}: {area.name} submission")
    _print_files(check)
    problems = check.all_problems()
    if problems:
        print(f"{len(problems)} problem{'s' if len(problems) != 1 else ''}:")
        for problem in problems:
            print(f"  ✗ {one_line(str(problem))}")
        if args.out is not None:
            print("nothing written: fix the problems and run the check again")
        return EXIT_FAILED
    if args.out is None:
        print("ok: the submission meets the rules (add --out DIR to write the clean copies)")
        _print_removed({f.source.name: f.metadata for f in check.files}, "would be removed")
        return EXIT_OK
    try:
        removed = write_clean_copies(check, args.out, print)
        manifest = write_manifest(
            args.out, manifest_document(check, args.out, args.candidate, at_argument(args.at)), key
        )
    except MediaError as exc:
        raise Failed(f"cannot write the clean copies: {exc}") from None
    except OSError as exc:
        raise Failed(f"cannot write into {args.out}: {exc.strerror}") from None
    _print_removed(removed, "removed")
    state = "signed" if key is not None else "NOT signed (add --sign KEY)"
    print(f"ok: clean copies and the manifest ({state}) are in {args.out}: {manifest.name}")
    return EXIT_OK


def run_verify(args: argparse.Namespace) -> int:
    if not args.folder.is_dir():
        raise UsageError(f"no such folder: {args.folder}")
    keys = load_public_keys(args.key)
    result = verify_submission(args.folder, keys)
    if result.document is not None:
        doc = result.document
        who = f" of candidate {one_line(str(doc['candidate']))}" if doc["candidate"] else ""
        area, checked = one_line(str(doc["area"])), one_line(str(doc["checked_at"]))
        print(f"manifest: {area} submission{who}, checked {checked}")
    for name in result.checked:
        print(f"  ✓ {one_line(name)}: unchanged")
    for problem in result.problems:
        print(f"  ✗ {one_line(str(problem))}")
    print("VALID: nothing changed since the check" if result.ok else "NOT VALID")
    return EXIT_OK if result.ok else EXIT_FAILED


def _check_out_dir(folder: Path, out: Path) -> None:
    if out.resolve() == folder.resolve():
        raise UsageError("--out must be another folder: the originals are never overwritten")
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise UsageError(f"{out} is not an empty folder: give a new one")


def _print_files(check: SubmissionCheck) -> None:
    for file in check.files:
        mark = "✗" if file.problems else "✓"
        facts = f"{file.width}×{file.height}" if file.width else ""
        if file.duration is not None:
            facts += f", {file.duration:.1f} s"
        name = one_line(file.source.name)
        print(f"  {mark} {file.role:<11} {name}" + (f" ({facts})" if facts else ""))
    for ignored in check.ignored:
        print(f"  - ignored: {one_line(str(ignored))}")
    limits = f"videos: MP4, {MIN_SECONDS:g}–{MAX_SECONDS:g} s"
    still = "a still with a measurement required" if check.area.needs_measurement else "no still"
    print(f"  rules for {check.area.id}: {limits}; {still}")


def _print_removed(removed: dict[str, list[Removed]], verb: str) -> None:
    for name, items in removed.items():
        if not items:
            print(f"{one_line(name)}: no metadata found")
            continue
        print(f"{one_line(name)}: {verb}:")
        for item in items:
            print(f"    {one_line(str(item))}")
