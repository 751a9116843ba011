"""Shared test set-up: Qt runs offscreen on a 1024x768 screen (the smallest candidates have)
unless a platform is asked for."""

from __future__ import annotations

import os
from pathlib import Path

SMALL_SCREEN = Path(__file__).parent / "data" / "screens" / "1024x768.json"
os.environ.setdefault("QT_QPA_PLATFORM", f"offscreen:configfile={SMALL_SCREEN}")
