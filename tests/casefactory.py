"""Build small, valid case folders for tests: tiny real media, a script as plain data."""

from __future__ import annotations

import struct
import tempfile
import wave
import zlib
from copy import deepcopy
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from clipmatrix import constant, make_clip

from casebook_player.core.session.custody import Custody, custody_for
from casebook_player.core.session.journal import JournalKind

NARRATION_S = 10.0


def write_wav(path: Path, seconds: float, rate: int = 8000) -> None:
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(1)
        w.setframerate(rate)
        w.writeframes(b"\x80" * int(seconds * rate))


def write_png(path: Path, width: int, height: int) -> None:
    """A black 8-bit grey-scale PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    raw = b"".join(b"\x00" + bytes(width) for _ in range(height))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def write_media(folder: Path) -> None:
    media = folder / "media"
    media.mkdir(parents=True, exist_ok=True)
    for name in ("intro", "exam", "shock"):
        write_wav(media / f"{name}.wav", NARRATION_S)
        (media / f"{name}.vtt").write_text(
            "WEBVTT\n\n00:00:00.000 --> 00:00:04.000\nThe patient arrives.\n\n"
            "00:00:04.500 --> 00:00:09.000\nYou pick up the probe.\n",
            encoding="utf-8",
        )
        (media / f"{name}.txt").write_text("The patient arrives. You pick up the probe.\n")
    write_png(media / "still.png", 200, 100)
    (media / "clip.mp4").write_bytes(_clip_bytes())


@cache
def _clip_bytes() -> bytes:
    """A real one-second H.264 clip at 25 fps (made once per test run)."""
    with tempfile.TemporaryDirectory() as folder:
        return make_clip(Path(folder) / "clip.mp4", constant(25, 1.0)).read_bytes()


def _items() -> list[dict[str, Any]]:
    return [
        {
            "id": "q-view",
            "type": "single",
            "stem": "Which view?",
            "points": 1,
            "domains": ["views"],
            "rationale": "Because.",
            "choices": [{"id": "A", "text": "Subxiphoid"}, {"id": "B", "text": "RUQ"}],
            "not_possible": True,
            "answer": "B",
        },
        {
            "id": "q-signs",
            "type": "multiple",
            "stem": "Which two signs?",
            "points": 2,
            "domains": ["views", "findings"],
            "select": 2,
            "choices": [
                {"id": "A", "text": "A-lines"},
                {"id": "B", "text": "B-lines"},
                {"id": "C", "text": "Sliding"},
            ],
            "answer": ["A", "C"],
        },
    ]


BASE: dict[str, Any] = {
    "format": 1,
    "id": "test-case",
    "title": "A test case",
    "clinical_area": "trauma",
    "version": "1.0.0",
    "authors": ["Test Writer"],
    "language": "en",
    "cut_score": 60,
    "show_results": True,
    "domains": [{"id": "views", "name": "Standard views"}, {"id": "findings", "name": "Findings"}],
    "segments": [
        {
            "id": "intro",
            "media": "media/intro.wav",
            "captions": "media/intro.vtt",
            "transcript": "media/intro.txt",
            "next": "exam",
            "key_points": [
                {
                    "id": "kp1",
                    "at": 3.0,
                    "title": "RUQ",
                    "items": _items(),
                    "media": [
                        {
                            "id": "clip1",
                            "kind": "clip",
                            "file": "media/clip.mp4",
                            "size": [320, 240],
                        }
                    ],
                    "clinical_info": {"vitals": {"HR": "110/min", "BP": "90/60"}},
                    "branches": [{"item": "q-view", "equals": "A", "to": "shock"}],
                },
            ],
        },
        {
            "id": "exam",
            "media": "media/exam.wav",
            "captions": "media/exam.vtt",
            "transcript": "media/exam.txt",
            "key_points": [
                {
                    "id": "kp2",
                    "at": 2.0,
                    "title": "Aorta",
                    "layout": "together",
                    "media": [
                        {
                            "id": "still",
                            "kind": "image",
                            "file": "media/still.png",
                            "pixel_spacing_mm": 0.5,
                            "overlays": [{"from": [10, 50], "to": [110, 50], "label": "5 cm"}],
                        }
                    ],
                    "items": [
                        {
                            "id": "q-spot",
                            "type": "hotspot",
                            "stem": "Click the aorta",
                            "points": 1,
                            "domains": ["findings"],
                            "target": "still",
                            "regions": [
                                {"id": "aorta", "circle": {"center": [50, 50], "radius": 20}},
                                {"id": "ivc", "polygon": [[120, 20], [180, 20], [180, 80]]},
                            ],
                            "answer": ["aorta"],
                        },
                        {
                            "id": "q-measure",
                            "type": "measurement",
                            "stem": "Measure",
                            "points": 1,
                            "domains": ["findings"],
                            "target": "still",
                            "answer": {"value_mm": 50, "tolerance_mm": 2},
                        },
                    ],
                },
                {
                    "id": "kp3",
                    "at": 6.0,
                    "title": "Order",
                    "items": [
                        {
                            "id": "q-order",
                            "type": "ordering",
                            "stem": "Order the views",
                            "points": 3,
                            "domains": ["views"],
                            "options": [
                                {"id": "ruq", "text": "RUQ"},
                                {"id": "luq", "text": "LUQ"},
                                {"id": "pelvis", "text": "Pelvis"},
                            ],
                            "answer": ["ruq", "luq", "pelvis"],
                        }
                    ],
                },
            ],
        },
        {
            "id": "shock",
            "media": "media/shock.wav",
            "captions": "media/shock.vtt",
            "transcript": "media/shock.txt",
            "key_points": [
                {
                    "id": "kp4",
                    "at": 5.0,
                    "title": "Decide",
                    "items": [
                        {
                            "id": "q-next",
                            "type": "single",
                            "stem": "Next?",
                            "points": 1,
                            "domains": ["findings"],
                            "choices": [{"id": "A", "text": "CT"}, {"id": "B", "text": "Theatre"}],
                            "answer": "B",
                        }
                    ],
                },
            ],
        },
    ],
}


def case_data() -> dict[str, Any]:
    return deepcopy(BASE)


def write_case(folder: Path, data: dict[str, Any] | None = None, text: str | None = None) -> Path:
    """Write media and case.yaml (from ``data``, or raw ``text``); returns the case.yaml path."""
    write_media(folder)
    file = folder / "case.yaml"
    if text is None:
        text = yaml.safe_dump(data if data is not None else case_data(), sort_keys=False)
    file.write_text(text, encoding="utf-8")
    return file


def practice(folder: Path) -> Custody:
    """Practice journals (no centre key) kept in ``folder``."""
    return custody_for(JournalKind.PRACTICE, folder, None)
