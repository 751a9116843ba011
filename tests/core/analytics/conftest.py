"""Small cases, keys and signed results for the analytics tests, made at test time."""

from __future__ import annotations

from pathlib import Path

import pytest
from choicecases import write_choice_case
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from casebook_player.core.case.loader import load_case
from casebook_player.core.case.model import Case


@pytest.fixture(scope="session")
def signing_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


@pytest.fixture
def choice_case(tmp_path: Path) -> Case:
    return load_case(write_choice_case(tmp_path / "choice-case", 4))
