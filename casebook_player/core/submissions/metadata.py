"""What a clean copy of a submitted file leaves out, as a report that does not leak it again.

Submissions must carry no patient identifiers, so every metadata value the checker removes is
listed — but a report that printed a patient's name in full would spread it further. Values
are therefore shown partly masked, except for purely technical fields (the encoder's name, a
stream's handler) that identify nobody and help the candidate see what the device wrote.
"""

from __future__ import annotations

from dataclasses import dataclass

# Field names whose values are technical and shown in full (lower case).
TECHNICAL = frozenset({"encoder", "vendor_id", "major_brand", "minor_version", "compatible_brands"})
_MAX_SHOWN = 40


@dataclass(frozen=True, order=True)
class Removed:
    """One thing left out of a clean copy: where it was, its name, and its value."""

    where: str  # "container", "stream #0 (video)", "PNG tEXt chunk", ...
    key: str
    value: str = ""

    @property
    def shown(self) -> str:
        return self.value if self.key.lower() in TECHNICAL else mask(self.value)

    def __str__(self) -> str:
        if not self.value:
            return f"{self.where}: {self.key}"
        return f"{self.where}: {self.key} = {self.shown}"


def mask(value: str) -> str:
    """Enough of a value to recognise it, not enough to read it: 'Jane Doe' → 'Ja****** (8)'."""
    value = " ".join(value.split())
    if len(value) <= 3:
        return "*" * len(value)
    keep = min(4, max(1, len(value) // 4))
    masked = value[:keep] + "*" * min(len(value) - keep, _MAX_SHOWN - keep)
    return f"{masked} ({len(value)} characters)"
