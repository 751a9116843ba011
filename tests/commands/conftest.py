"""What the command-line tests share."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest


@pytest.fixture
def own_user_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Config, data, cache and runtime folders of the test's own, and no terminal."""
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_RUNTIME_DIR"):
        folder = tmp_path / name.lower()
        folder.mkdir(mode=0o700)
        monkeypatch.setenv(name, str(folder))
    monkeypatch.setattr(sys, "stdin", io.StringIO())
