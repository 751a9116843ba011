"""The case loader answers every input clearly: a valid case, or problems placed in the file.

Never a traceback, never a hang. A few hundred generated inputs here; bench/bench_fuzz_loader.py
runs 10,000 and more. The hand-written malformed corpus is in tests/data/malformed/.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from fuzzcases import case_file_bytes, check, malformed_corpus, mutated_case, prepare_folder
from hypothesis import HealthCheck, given, settings

from casebook_player.core.case.problems import CaseError

CORPUS = malformed_corpus()
FUZZ = settings(
    max_examples=300,
    deadline=None,
    database=None,
    derandomize=True,  # the same inputs on every run: a failure here is never a fluke
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture(scope="module")
def case_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return prepare_folder(tmp_path_factory.mktemp("fuzz"))


def test_corpus_is_there() -> None:
    assert len(CORPUS) >= 40


@pytest.mark.parametrize("source", CORPUS, ids=[p.name for p in CORPUS])
def test_malformed_script_gives_a_clear_error(source: Path, case_file: Path) -> None:
    outcome = check(case_file, source.read_bytes())
    assert outcome.kind == "error", outcome.detail or "loaded as a valid case"


@FUZZ
@given(content=case_file_bytes)
def test_any_input_gives_a_case_or_a_clear_error(content: bytes, case_file: Path) -> None:
    outcome = check(case_file, content)
    assert outcome.kind != "failure", outcome.detail


@settings(FUZZ, max_examples=150)
@given(content=mutated_case())
def test_mutated_valid_case_gives_a_case_or_a_clear_error(content: bytes, case_file: Path) -> None:
    outcome = check(case_file, content)
    assert outcome.kind != "failure", outcome.detail


def test_the_check_catches_an_unclear_error(
    case_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import fuzzcases

    def crash(path: Path) -> None:
        raise KeyError("segments")

    monkeypatch.setattr(fuzzcases, "load_case", crash)
    assert check(case_file, b"a: 1").kind == "failure"

    def blank(path: Path) -> None:
        raise CaseError([])

    monkeypatch.setattr(fuzzcases, "load_case", blank)
    assert check(case_file, b"a: 1").kind == "failure"
