"""Asking for a key's passphrase: from the environment, or on the terminal."""

from __future__ import annotations

import getpass
import os
import sys

from casebook_player.commands import Failed

PASSPHRASE_ENV = "CASEBOOK_KEY_PASSPHRASE"


def passphrase(prompt: str) -> bytes:
    """From the environment variable, or asked for on the terminal; Failed when neither."""
    value = os.environ.get(PASSPHRASE_ENV)
    if value is not None:
        return value.encode()
    if not sys.stdin.isatty():
        raise Failed(f"the key is protected by a passphrase: set {PASSPHRASE_ENV}")
    return getpass.getpass(prompt).encode()
