"""Write a chosen cut score back into a case script, changing only that value.

The file is edited as text at the position the YAML parser gives for ``cut_score``, so
comments, order and layout stay as the author wrote them; the new script is validated as a
case before it replaces the old one (atomically), so a write never leaves a broken case.
"""

from __future__ import annotations

import re
from pathlib import Path

from casebook_player.core.case.loader import case_file, parse_case
from casebook_player.core.case.problems import CaseError, Problem
from casebook_player.core.case.yamlsource import YamlSourceError, load_yaml
from casebook_player.core.files import write_bytes_atomically

_SCALAR = re.compile(r"[^\s#,}\]]+")


def write_cut_score(path: Path, cut: float) -> Path:
    """Set the case's ``cut_score`` to ``cut`` (percent, one decimal); returns the file."""
    file = case_file(path)
    try:
        text = file.read_text(encoding="utf-8")
        doc = load_yaml(text)
    except (OSError, UnicodeDecodeError, YamlSourceError) as exc:
        raise CaseError(
            [Problem(file, 1, 1, "cut_score", f"cannot read the case: {exc}")]
        ) from None
    if not isinstance(doc.data, dict) or "cut_score" not in doc.data:
        raise CaseError([Problem(file, 1, 1, "cut_score", "the case has no cut_score to change")])
    line, col = doc.position(("cut_score",))
    lines = text.splitlines(keepends=True)
    old = lines[line - 1]
    match = _SCALAR.match(old, col - 1)
    if match is None:
        raise CaseError([Problem(file, line, col, "cut_score", "cannot find the value to change")])
    lines[line - 1] = old[: match.start()] + f"{round(cut, 1):g}" + old[match.end() :]
    new = "".join(lines).encode("utf-8")
    parse_case(new, file)  # raises CaseError with every problem
    write_bytes_atomically(file, new)
    return file
