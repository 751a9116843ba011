"""Small cases, keys and signed results for the analytics tests, made at test time."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from choicecases import write_choice_case
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from casebook_player.core.case.loader import load_case
from casebook_player.core.case.model import Case
from casebook_player.core.session.results import Attempt, Candidate, write_result
from casebook_player.core.session.simulate import simulate


@pytest.fixture(scope="session")
def signing_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


@pytest.fixture
def choice_case(tmp_path: Path) -> Case:
    return load_case(write_choice_case(tmp_path / "choice-case", 4))


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
