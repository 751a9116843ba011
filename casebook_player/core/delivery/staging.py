"""Packing a case whose media the player cannot present exactly: a copy with them converted.

`casebook pack --normalize` packs such a case from a copy in which every clip or narration
that validate refuses only for its form (codec, frame timing, start, container) has been
converted by `casebook media normalize`, and the copy's script names the converted files.
The case folder itself is never changed.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path, PurePosixPath

from casebook_player.core.case.normalize import NormalizeReport, Progress, normalize
from casebook_player.core.case.problems import Problem

_WORK = ".normalizing"


def convertible_media(problems: list[Problem]) -> list[str]:
    """The media names to convert when converting them fixes every problem, else []."""
    if not problems or any(problem.media is None for problem in problems):
        return []
    return sorted({problem.media for problem in problems if problem.media is not None})


def normalized_copy(
    script: Path,
    problems: list[Problem],
    into: Path,
    progress_for: Callable[[str], Progress] | None = None,
) -> list[NormalizeReport]:
    """Copy ``script``'s case folder into the new folder ``into``, convert each media file
    ``problems`` names, and point the copy's script at the converted files. Raises
    NormalizeError (and OSError for the copy)."""
    shutil.copytree(script.parent, into)
    renamed: dict[str, str] = {}
    reports = []
    for name in convertible_media(problems):
        source = into / name
        progress = progress_for(name) if progress_for else None
        report = normalize(source, into / _WORK, progress)
        new_name = _free_name(into, name, report.target.suffix)
        os.replace(report.target, into / new_name)
        if new_name != name:
            source.unlink()
            renamed[name] = new_name
        reports.append(report)
    shutil.rmtree(into / _WORK, ignore_errors=True)
    copied = into / script.name
    copied.write_bytes(_renamed_in_script(copied.read_bytes(), problems, renamed))
    return reports


def _free_name(folder: Path, name: str, suffix: str) -> str:
    """``name`` with ``suffix``, unless another file of the case already has that name."""
    path = PurePosixPath(name)
    if path.suffix.lower() == suffix:
        return name
    wanted = str(path.with_suffix(suffix))
    if not (folder / wanted).exists():
        return wanted
    return str(path.with_name(f"{path.stem}-normalized{suffix}"))


def _renamed_in_script(raw: bytes, problems: list[Problem], renamed: dict[str, str]) -> bytes:
    """The script with each reference to a renamed file (at its problem's line and column)
    naming the new file; the rest of the text as it was."""
    lines = raw.decode("utf-8").splitlines(keepends=True)
    places = {(p.line, p.col, p.media) for p in problems if p.media in renamed}
    for line, col, name in sorted(places, reverse=True):
        assert name is not None
        text = lines[line - 1]
        at = text.find(name, col - 1)
        if at < 0:
            continue  # not written as plain text (an escape in a quoted string): left as is
        lines[line - 1] = text[:at] + renamed[name] + text[at + len(name) :]
    return "".join(lines).encode("utf-8")
