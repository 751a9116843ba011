"""A problem found in a case script, reported as ``file:line:col: json.path: message``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from casebook_player.core.yamlsource import JsonPath


@dataclass(frozen=True, order=True)
class Problem:
    file: Path
    line: int
    col: int
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}: {self.path}: {self.message}"


def format_path(path: JsonPath) -> str:
    """('segments', 0, 'key_points', 2, 'at') -> 'segments[0].key_points[2].at'."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text or "(case)"


class CaseError(Exception):
    """The case cannot be used; ``problems`` lists everything that is wrong with it."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems
