"""``casebook media normalize IN... --out DIR``: clips and narrations into the form the player
presents exactly (constant frame rate H.264 from 0, AAC audio), with what it changed.
``casebook media import-dicom FILE_OR_FOLDER... --out DIR``: ultrasound DICOM as case media,
de-identified, calibrated, with a case snippet for each."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from casebook_player.commands import EXIT_FAILED, EXIT_OK, UsageError
from casebook_player.commands.terminal import end_progress_line, progress_line
from casebook_player.core.case.dicom_import import (
    FIRST_REGION_BAND,
    DicomImportError,
    Rectangle,
    import_dicom,
)
from casebook_player.core.case.normalize import NormalizeError, Progress, normalize


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
    dicom = tasks.add_parser(
        "import-dicom",
        help="import ultrasound DICOM files (cine loops, single frames) as case media",
        description="Each file (or every file in a folder) is de-identified by the DICOM "
        "PS3.15 Basic Profile before anything is written; a cine loop becomes MP4 (H.264 at "
        "a constant frame rate from the DICOM frame timing), a single frame PNG. The "
        "calibration of the ultrasound regions becomes pixel_spacing_mm and calibrated_regions "
        "in the case snippet printed for each file and written beside it (us-NNN.yaml). "
        "Text-like marks left outside the regions are warned about. Compressed files (RLE, "
        "JPEG, JPEG-LS, JPEG 2000) are decoded; a clip with an odd side is padded by one black "
        "column or row.",
    )
    dicom.add_argument("sources", nargs="+", type=Path, metavar="FILE_OR_FOLDER")
    dicom.add_argument("--out", type=Path, required=True, metavar="DIR")
    dicom.add_argument(
        "--mask",
        nargs="?",
        const=FIRST_REGION_BAND,
        type=_mask,
        metavar="X0,Y0,X1,Y1",
        help="black out burned-in text: this rectangle (pixels, end exclusive), or without a "
        "value the band above the first ultrasound region",
    )
    dicom.set_defaults(func=run_import_dicom)


def run_normalize(args: argparse.Namespace) -> int:
    missing = [str(f) for f in args.files if not f.is_file()]
    if missing:
        raise UsageError(f"no such file: {', '.join(missing)}")

    def convert(file: Path, progress: Progress) -> str:
        return normalize(file, args.out, progress).summary()

    return _each_file(args.files, "normalize", convert, NormalizeError)


def _mask(text: str) -> Rectangle | str:
    if text == FIRST_REGION_BAND:
        return text
    try:
        x0, y0, x1, y1 = (int(part) for part in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"'{text}' is not X0,Y0,X1,Y1 (four whole numbers)"
        ) from None
    return (x0, y0, x1, y1)


def _dicom_files(sources: list[Path]) -> list[Path]:
    files: list[Path] = []
    for source in sources:
        if source.is_dir():
            files.extend(sorted(p for p in source.rglob("*") if p.is_file()))
        elif source.is_file():
            files.append(source)
        else:
            raise UsageError(f"no such file or folder: {source}")
    return files


def run_import_dicom(args: argparse.Namespace) -> int:
    files = _dicom_files(args.sources)
    if not files:
        raise UsageError("no files found in the folders given")
    uids: dict[str, str] = {}  # one replacement per original UID across the import
    warnings: list[str] = []

    def convert(file: Path, progress: Progress) -> str:
        result = import_dicom(file, args.out, args.mask, uids, progress)
        if result.text_left is not None:
            warnings.append(result.text_warning())
        return f"{result.summary()}\n{result.snippet(args.out.name)}"

    code = _each_file(files, "import-dicom", convert, DicomImportError)
    # Written anyway (the detector errs towards warning), but said again where it is seen.
    for warning in warnings:
        print(f"casebook media import-dicom: WARNING: {warning}", file=sys.stderr)
    if warnings:
        print(
            f"{len(warnings)} of {len(files)} imported with text-like marks left outside the "
            "ultrasound regions: check them before use",
            file=sys.stderr,
        )
    return code


def _each_file(
    files: list[Path],
    task: str,
    convert: Callable[[Path, Progress], str],
    error: type[Exception],
) -> int:
    """Convert each file with progress, printing what it says; a failure fails alone."""
    failed = 0
    for number, file in enumerate(files, 1):
        try:
            printed = convert(file, progress_line(f"[{number}/{len(files)}] {file.name}"))
        except error as exc:
            end_progress_line()
            print(f"casebook media {task}: {exc}", file=sys.stderr)
            failed += 1
            continue
        end_progress_line()
        print(printed)
    return EXIT_FAILED if failed else EXIT_OK
