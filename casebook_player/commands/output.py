"""What the verbs print and write: result summaries, JSON files, passphrases."""

from __future__ import annotations

import getpass
import json
import os
import sys
from pathlib import Path
from typing import Any

from casebook_player.commands import Failed

PASSPHRASE_ENV = "CASEBOOK_KEY_PASSPHRASE"


def write_text_atomically(path: Path, text: str) -> None:
    """Write ``text`` so that ``path`` holds either the old or the whole new content."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    with partial.open("w", encoding="utf-8", newline="") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    partial.replace(path)


def write_json(path: Path, document: dict[str, Any]) -> None:
    write_text_atomically(path, json.dumps(document, indent=2, ensure_ascii=False) + "\n")


def score_summary(document: dict[str, Any]) -> str:
    """A few lines: the candidate and case, the score against the cut score, each domain."""
    case = document["case"]
    verdict = "PASS" if document["passed"] else "FAIL"
    lines = [
        f"candidate {document['candidate']['id']} · case {case['id']} {case['version']}",
        f"{document['raw']:g}/{document['max']:g} points, {document['percent']:.1f} % "
        f"(cut score {document['cut_score']:g} %) {verdict}",
    ]
    for domain in document["domains"]:
        if domain["max"]:
            lines.append(
                f"  {domain['name']:<34} {domain['raw']:g}/{domain['max']:g}"
                f"  {domain['percent']:.1f} %"
            )
    return "\n".join(lines)


def passphrase(prompt: str) -> bytes:
    """From the environment variable, or asked for on the terminal; Failed when neither."""
    value = os.environ.get(PASSPHRASE_ENV)
    if value is not None:
        return value.encode()
    if not sys.stdin.isatty():
        raise Failed(f"the key is protected by a passphrase: set {PASSPHRASE_ENV}")
    return getpass.getpass(prompt).encode()
