"""casebook_player: an offline player for interactive POCUS clinical-case assessments."""

from __future__ import annotations

__version__ = "0.1.0"
