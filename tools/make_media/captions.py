"""WebVTT captions (one cue per spoken sentence) and the plain-text transcript."""

from __future__ import annotations

from pathlib import Path

from .narration import Spoken


def timestamp(seconds: float) -> str:
    ms = round(seconds * 1000)
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}.{ms:03d}"


def write_vtt(path: Path, spoken: list[Spoken]) -> None:
    lines = ["WEBVTT", ""]
    for i, cue in enumerate(spoken, 1):
        lines += [str(i), f"{timestamp(cue.start)} --> {timestamp(cue.end)}", cue.text, ""]
    path.write_text("\n".join(lines), encoding="utf-8")


def write_transcript(path: Path, title: str, paragraphs: list[list[str]]) -> None:
    """The written script: a title line, then the narration in paragraphs (one per stretch
    of narration between key points)."""
    body = "\n\n".join(" ".join(p) for p in paragraphs if p)
    path.write_text(f"{title}\n\n{body}\n", encoding="utf-8")
