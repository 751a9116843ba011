"""What the verbs print and write: result summaries, JSON files, passphrases."""

from __future__ import annotations

import getpass
import os
import sys
from typing import Any

from casebook_player.commands import Failed

PASSPHRASE_ENV = "CASEBOOK_KEY_PASSPHRASE"


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
