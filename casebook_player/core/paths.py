"""The application's name on disk and the default folder of everything it keeps.

Each can be overridden where it is used (a command-line option, a player option); these are
the folders used when none is given, following the platform's conventions (platformdirs).
"""

from __future__ import annotations

from pathlib import Path

import platformdirs

APP_NAME = "casebook-player"


def journals_dir() -> Path:
    """Attempt journals, one SQLite file per candidate and case version."""
    return Path(platformdirs.user_data_dir(APP_NAME)) / "journals"


def results_dir() -> Path:
    """Result files written by the player."""
    return Path(platformdirs.user_data_dir(APP_NAME)) / "results"


def evaluations_dir() -> Path:
    """Peer evaluation files written by ``casebook evaluate``."""
    return Path(platformdirs.user_data_dir(APP_NAME)) / "evaluations"


def trusted_authors_dir() -> Path:
    """Public keys of the case authors this machine trusts."""
    return Path(platformdirs.user_config_dir(APP_NAME)) / "trusted-authors"


def private_cache_dir() -> Path:
    """Where private folders for decrypted packages go when there is no runtime folder."""
    return Path(platformdirs.user_cache_dir(APP_NAME))
