"""A problem found in a case script, reported as ``file:line:col: json.path: message``."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from casebook_player.core.case.yamlsource import (
    MAX_BYTES,
    JsonPath,
    YamlDocument,
    YamlSourceError,
    load_yaml,
)
from casebook_player.core.printable import one_line


@dataclass(frozen=True, order=True)
class Problem:
    file: Path
    line: int
    col: int
    path: str
    message: str
    # The media file, as the script names it, that `casebook media normalize` would fix.
    media: str | None = field(default=None, compare=False)

    def __str__(self) -> str:
        # A key or a file name from the script cannot break a problem over two lines or
        # send escape codes to a terminal.
        file, path, message = (one_line(str(part)) for part in (self.file, self.path, self.message))
        return f"{file}:{self.line}:{self.col}: {path}: {message}"


def format_path(path: JsonPath, root: str = "(case)") -> str:
    """('segments', 0, 'key_points', 2, 'at') -> 'segments[0].key_points[2].at'; the empty
    path is the document itself, named ``root``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text or root


class ProblemsError(Exception):
    """A file cannot be used; ``problems`` lists everything that is wrong with it."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


class CaseError(ProblemsError):
    """The case cannot be used."""


def read_limited(file: Path, label: str, error: type[ProblemsError]) -> bytes:
    """The bytes of ``file`` (at most one past the YAML size limit), or ``error`` saying why."""
    try:
        with file.open("rb") as f:
            return f.read(MAX_BYTES + 1)
    except OSError as exc:
        raise error([Problem(file, 1, 1, label, f"cannot read: {exc.strerror}")]) from None


def parse_yaml(raw: bytes, file: Path, label: str, error: type[ProblemsError]) -> YamlDocument:
    """The YAML document in ``raw``, or ``error`` with its one located problem."""
    try:
        return load_yaml(raw)
    except YamlSourceError as exc:
        raise error([Problem(file, exc.line, exc.col, label, exc.message)]) from None
