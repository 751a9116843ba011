"""Small single-choice cases for the analytics tests, made at test time, and their signed
results."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from casefactory import write_wav
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from casebook_player.core.case.model import Case
from casebook_player.core.session.results import Attempt, Candidate, write_result
from casebook_player.core.session.simulate import simulate


def choice_case_data(items: int, cut_score: float = 50) -> dict[str, Any]:
    """A case of ``items`` one-point single-choice items (choices A, B, C; key A), the first
    half in domain d1, the rest in d2, all at one key point."""
    return {
        "format": 1,
        "id": "choice-case",
        "title": "Choices",
        "clinical_area": "lung",
        "version": "1.0.0",
        "authors": ["Test Writer"],
        "language": "en",
        "cut_score": cut_score,
        "show_results": True,
        "domains": [{"id": "d1", "name": "Domain one"}, {"id": "d2", "name": "Domain two"}],
        "segments": [
            {
                "id": "intro",
                "media": "media/intro.wav",
                "captions": "media/intro.vtt",
                "transcript": "media/intro.txt",
                "key_points": [
                    {
                        "id": "kp1",
                        "at": 1.0,
                        "title": "Questions",
                        "items": [
                            {
                                "id": f"q{n}",
                                "type": "single",
                                "stem": f"Question {n}?",
                                "points": 1,
                                "domains": ["d1" if n <= items // 2 else "d2"],
                                "choices": [{"id": c, "text": f"Choice {c}"} for c in "ABC"],
                                "answer": "A",
                            }
                            for n in range(1, items + 1)
                        ],
                    }
                ],
            }
        ],
    }


def write_choice_case(folder: Path, items: int, cut_score: float = 50) -> Path:
    media = folder / "media"
    media.mkdir(parents=True)
    write_wav(media / "intro.wav", 3.0)
    (media / "intro.vtt").write_text("WEBVTT\n\n00:00:00.000 --> 00:00:02.000\nHello.\n")
    (media / "intro.txt").write_text("Hello.\n")
    file = folder / "case.yaml"
    file.write_text(yaml.safe_dump(choice_case_data(items, cut_score), sort_keys=False))
    return file


def sign_attempts(
    case: Case, answers: dict[str, dict[str, Any]], key: Ed25519PrivateKey, folder: Path
) -> list[Path]:
    """One signed result per candidate (id -> answers), taken by the real session."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for candidate, given in answers.items():
        document = simulate(case, given, attempt=Attempt(Candidate(candidate))).result()
        path = folder / f"{candidate}.json"
        write_result(path, document, key)
        paths.append(path)
    return paths
