from __future__ import annotations

from pathlib import Path

import pytest
from casefactory import write_case

from casebook_player.core.case.loader import load_case
from casebook_player.core.case.model import Case


@pytest.fixture
def case(tmp_path: Path) -> Case:
    return load_case(write_case(tmp_path / "case"))
