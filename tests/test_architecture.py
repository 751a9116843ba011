"""The architecture's rules (pyproject.toml [tool.importlinter]) hold, and cover every subject."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

import pytest
from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parents[1]
CORE = ROOT / "casebook_player" / "core"


def _contracts() -> list[dict[str, object]]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts: list[dict[str, object]] = config["tool"]["importlinter"]["contracts"]
    return contracts


def test_every_import_contract_is_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    exit_code = lint_imports(config_filename=os.fspath(ROOT / "pyproject.toml"), no_cache=True)
    assert exit_code == 0, "an import breaks a contract; run `lint-imports` for the chain"


def test_every_core_subject_has_its_place_in_the_layers() -> None:
    (subjects,) = [c for c in _contracts() if c.get("containers") == ["casebook_player.core"]]
    layers = subjects["layers"]
    assert isinstance(layers, list)
    placed = {name.strip() for layer in layers for name in layer.split("|")}
    present = {p.parent.name for p in CORE.glob("*/__init__.py")}
    present |= {p.stem for p in CORE.glob("*.py") if p.stem != "__init__"}
    assert present == placed, "each core module or subject folder must be in a layer"
