"""The programme definition and the candidate record: loaded, or every problem at file:line."""

from __future__ import annotations

from pathlib import Path

import pytest

from casebook_player.core.certification.programme import ProgrammeError, load_programme
from casebook_player.core.certification.record import RecordError, load_record

ROOT = Path(__file__).resolve().parents[3]
SAMPLE = (ROOT / "programme" / "programme.yaml").read_text(encoding="utf-8")


def test_the_sample_programme_loads() -> None:
    programme = load_programme(ROOT / "programme" / "programme.yaml")
    assert programme.areas["cardiac"].cases_required == 30
    assert programme.areas["aaa"].cases_required == 15
    lung = programme.certificate("lung-certificate")
    assert lung is not None and lung.window_days == 90 and not lung.needs_submissions
    specialty = programme.certificate("aaa-specialty")
    assert specialty is not None and specialty.window_days == 180 and specialty.needs_submissions
    assert programme.areas["lung"].counts("lung-pneumothorax", "1.0.0")
    assert not programme.areas["lung"].counts("lung-pneumothorax", "2.0.0")


def problems(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "programme.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ProgrammeError) as caught:
        load_programme(path)
    return [str(p).removeprefix(f"{path}:") for p in caught.value.problems]


def test_schema_problems_are_placed_in_the_file(tmp_path: Path) -> None:
    text = SAMPLE.replace("reapply_wait_days: 30", "reapply_wait_days: soon\nwindow: 3")
    assert problems(tmp_path, text) == [
        "12:20: reapply_wait_days: 'soon' is not of type 'integer'",
        "13:1: window: unknown field 'window'",
    ]


def test_certificates_name_defined_areas_and_prerequisites(tmp_path: Path) -> None:
    text = SAMPLE.replace("areas: [lung]", "areas: [lung, renall]").replace(
        "prerequisite: fundamentals\n  - id: cardiac", "prerequisite: basics\n  - id: cardiac"
    )
    found = problems(tmp_path, text)
    assert any("certificates[0].areas[1]: 'renall' is not one of" in p for p in found), found
    text = SAMPLE.replace(
        "prerequisite: fundamentals\n  - id: cardiac", "prerequisite: basics\n  - id: cardiac"
    )
    (found,) = problems(tmp_path, text)
    assert found.endswith(
        "certificates[0].prerequisite: 'basics' is not defined under prerequisites"
    )


def test_verdicts_need_one_that_passes_and_one_that_does_not(tmp_path: Path) -> None:
    text = SAMPLE.replace("passes: false", "passes: true")
    (found,) = problems(tmp_path, text)
    assert found.endswith("verdicts: give at least one verdict that passes and one that does not")


def test_a_record_with_an_impossible_date_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "C-1"
    folder.mkdir()
    (folder / "candidate.yaml").write_text(
        "format: 1\nkind: candidate-record\nid: C-1\nname: Dr One\n"
        "applications:\n  - {certificate: lung-certificate, purchased: 2026-02-30}\n",
        encoding="utf-8",
    )
    with pytest.raises(RecordError) as caught:
        load_record(folder)
    (problem,) = caught.value.problems
    assert (problem.line, problem.path) == (6, "applications[0].purchased")
    assert "no date" in problem.message


def test_the_sample_records_load() -> None:
    record = load_record(ROOT / "programme" / "candidates" / "C-1005")
    assert record.applications[0].certificate == "aaa-specialty"
    assert record.attestation is not None and record.attestation.areas["aaa"].cases == 32
    assert len(record.submission_folders()) == 1
