"""``casebook media normalize IN... --out DIR``: clips and narrations into the form the player
presents exactly (constant frame rate H.264 from 0, AAC audio), with what it changed."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from casebook_player.commands import EXIT_FAILED, EXIT_OK, UsageError
from casebook_player.commands.terminal import end_progress_line, progress_line
from casebook_player.core.case.normalize import NormalizeError, normalize


def add_parsers(verbs: Any) -> None:
    parser = verbs.add_parser("media", help="prepare media files for a case")
    tasks = parser.add_subparsers(dest="task", required=True, metavar="TASK")
    convert = tasks.add_parser(
        "normalize",
        help="convert clips and narrations into the form the player presents exactly",
        description="Any file FFmpeg decodes (AVI, MOV, MKV, WebM, variable frame rate MP4, "
        "AV1, HEVC...) becomes MP4 with H.264 at a constant frame rate starting at 0 and AAC "
        "audio (audio only: M4A), the picture size kept. Each file's line says the frame rate "
        "chosen, the frames duplicated or dropped to reach it, and the largest timing change.",
    )
    convert.add_argument("files", nargs="+", type=Path, metavar="IN")
    convert.add_argument("--out", type=Path, required=True, metavar="DIR")
    convert.set_defaults(func=run_normalize)


def run_normalize(args: argparse.Namespace) -> int:
    missing = [str(f) for f in args.files if not f.is_file()]
    if missing:
        raise UsageError(f"no such file: {', '.join(missing)}")
    failed = 0
    for number, file in enumerate(args.files, 1):
        label = f"[{number}/{len(args.files)}] {file.name}"
        try:
            report = normalize(file, args.out, progress_line(label))
        except NormalizeError as exc:
            end_progress_line()
            print(f"casebook media normalize: {exc}", file=sys.stderr)
            failed += 1
            continue
        end_progress_line()
        print(report.summary())
    return EXIT_FAILED if failed else EXIT_OK
