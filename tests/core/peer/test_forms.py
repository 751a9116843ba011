"""Peer evaluation forms: the sample forms load; every problem is placed in the file."""

from __future__ import annotations

from pathlib import Path

import pytest

from casebook_player.core.peer.forms import CRITERIA, FormError, load_form

ROOT = Path(__file__).resolve().parents[3]

FORM = """\
format: 1
kind: peer-evaluation
id: peer-test
title: Test form
version: "1.0"
clinical_area: lung
scale:
  - {value: 1, label: Poor}
  - {value: 2, label: Fair}
  - {value: 3, label: Good}
criteria:
  - id: image_quality
    not_applicable: false
  - id: gain
  - id: depth
  - id: transducer_placement
  - id: measurement_technique
  - id: compression
  - id: doppler_mmode
  - id: overall_experience
"""


def problems(tmp_path: Path, text: str) -> list[str]:
    file = tmp_path / "form.yaml"
    file.write_text(text, encoding="utf-8")
    with pytest.raises(FormError) as caught:
        load_form(file)
    return [str(p).removeprefix(f"{file}:") for p in caught.value.problems]


@pytest.mark.parametrize("name", ["peer-lung.yaml", "peer-cardiac.yaml"])
def test_sample_forms_load_with_all_eight_criteria(name: str) -> None:
    form = load_form(ROOT / "forms" / name)
    assert [c.id for c in form.criteria] == list(CRITERIA)
    assert form.values == (1, 2, 3, 4, 5)
    assert not form.criterion("image_quality").allows_not_applicable
    assert form.criterion("gain").allows_not_applicable
    assert len(form.sha256) == 64


def test_labels_default_to_the_programme_wording(tmp_path: Path) -> None:
    file = tmp_path / "form.yaml"
    file.write_text(FORM, encoding="utf-8")
    form = load_form(file)
    assert form.criterion("compression").label == "Appropriate compression"
    assert form.comments_label == "Comments" and not form.comments_required


def test_schema_problems_are_placed_at_their_line_and_column(tmp_path: Path) -> None:
    text = FORM.replace("clinical_area: lung", "clinical_area: lungs").replace(
        "  - id: depth\n", "  - id: depth\n    colour: red\n"
    )
    assert problems(tmp_path, text) == [
        "6:16: clinical_area: 'lungs' is not one of 'cardiac', 'gastrointestinal', "
        "'hepatobiliary', 'obstetrics', 'trauma', 'dvt', 'lung', 'msk', 'renal', 'aaa'",
        "16:5: criteria[2].colour: unknown field 'colour'",
    ]


def test_a_missing_field_is_reported_at_the_form(tmp_path: Path) -> None:
    assert problems(tmp_path, FORM.replace('version: "1.0"\n', "")) == [
        "1:1: (form): 'version' is a required property"
    ]


def test_an_unknown_criterion_and_too_few_criteria(tmp_path: Path) -> None:
    text = FORM.replace("  - id: overall_experience\n", "").replace("id: gain", "id: gian")
    found = problems(tmp_path, text)
    assert any(p.startswith("14:9: criteria[1].id: 'gian' is not one of") for p in found)
    assert any(p.startswith("12:3: criteria: ") and "too short" in p for p in found)


def test_each_criterion_once_and_the_scale_rising(tmp_path: Path) -> None:
    text = FORM.replace("id: gain", "id: depth").replace("value: 2", "value: 1")
    assert problems(tmp_path, text) == [
        "9:13: scale[1].value: 1 does not follow 1: list the scale lowest first, each value once",
        "12:3: criteria: missing criteria: gain",
        "15:9: criteria[2].id: criterion 'depth' is already criteria[1]",
    ]


def test_unsafe_yaml_and_unreadable_files(tmp_path: Path) -> None:
    assert problems(tmp_path, "!!python/object:os.system x") == [
        "1:1: (form): unsupported tag tag:yaml.org,2002:python/object:os.system"
    ]
    with pytest.raises(FormError, match="cannot read"):
        load_form(tmp_path / "missing.yaml")
