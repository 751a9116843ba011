"""Media descriptions: read from the case script into the model, and given for every picture of
the sample library (screen readers read them in place of the picture)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from casefactory import case_data, write_case

from casebook_player.core.case.loader import load_case
from casebook_player.core.case.problems import CaseError

CASES_DIR = Path(__file__).resolve().parents[1] / "cases"


def _still(data: dict[str, Any]) -> dict[str, Any]:
    media: dict[str, Any] = data["segments"][1]["key_points"][0]["media"][0]
    return media


def test_a_description_is_carried_into_the_model(tmp_path: Path) -> None:
    data = case_data()
    _still(data)["description"] = "Transverse B-mode still of the mid-abdomen"
    case = load_case(write_case(tmp_path, data))
    media = case.segment("exam").key_points[0].media[0]
    assert media.description == "Transverse B-mode still of the mid-abdomen"


def test_a_description_is_optional(tmp_path: Path) -> None:
    case = load_case(write_case(tmp_path, case_data()))
    assert case.segment("exam").key_points[0].media[0].description == ""


@pytest.mark.parametrize("value", ["", 12])
def test_a_description_is_text(tmp_path: Path, value: object) -> None:
    data = case_data()
    _still(data)["description"] = value
    with pytest.raises(CaseError) as info:
        load_case(write_case(tmp_path, data))
    assert any("description" in str(p) for p in info.value.problems)


def _library_media() -> list[tuple[str, dict[str, Any]]]:
    found = []
    for script in sorted(CASES_DIR.glob("*/case.yaml")):
        case = yaml.safe_load(script.read_text(encoding="utf-8"))
        for segment in case["segments"]:
            for kp in segment.get("key_points", []):
                found += [(f"{case['id']}/{kp['id']}/{m['id']}", m) for m in kp.get("media", [])]
    return found


def test_every_picture_of_the_sample_library_has_a_description() -> None:
    media = _library_media()
    assert len(media) >= 18
    missing = [name for name, m in media if not str(m.get("description", "")).strip()]
    assert missing == []
    # Each says more than its label, so a screen reader gives more than the tab's name.
    assert all(m["description"] != m.get("label") for _, m in media)
