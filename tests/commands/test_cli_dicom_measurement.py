"""A measurement item on an imported DICOM clip: the phantom's bar (80 pixels at 0.25 mm,
20 mm) measured with `casebook simulate`, and the checker's rules for calibrated regions."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from casefactory import case_data, write_case
from dicomfactory import BAND, BAR, BAR_MM, write_us

from casebook_player.cli import main

ROW, X0, X1 = BAR
ON_THE_BAR = {"from": [X0, ROW], "to": [X1, ROW]}


def bar_item(answer: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": "q-bar",
        "type": "measurement",
        "stem": "Measure the bar on the paused clip",
        "points": 2,
        "domains": ["findings"],
        "target": "us-001",
        "answer": answer,
    }


def imported_case(
    tmp_path: Path, answer: dict[str, Any] | None = None, regions: list[list[int]] | None = None
) -> Path:
    """The sample case with the imported clip, as its snippet says (``regions`` in place of
    its calibrated regions), and the bar item on it."""
    folder = tmp_path / "case"
    write_case(folder)  # the media first: the import numbers after them
    assert main(["media", "import-dicom", str(write_us(tmp_path / "us.dcm", frames=12)),
                 "--out", str(folder / "media"), "--mask"]) == 0  # fmt: skip
    entry = yaml.safe_load((folder / "media" / "us-001.yaml").read_text(encoding="utf-8"))[0]
    if regions is not None:
        entry["calibrated_regions"] = regions
    data = case_data()
    key_point = data["segments"][0]["key_points"][0]
    key_point["media"].append(entry)
    if answer is None:
        answer = {"value_mm": BAR_MM, "tolerance_mm": 0.5, "calipers": ON_THE_BAR}
    key_point["items"].append(bar_item(answer))
    write_case(folder, data)
    return folder


def simulated(case: Path, tmp_path: Path, calipers: dict[str, list[int]]) -> dict[str, Any]:
    answers = tmp_path / "answers.yaml"
    answers.write_text(yaml.safe_dump({"q-view": "B", "q-signs": ["A", "C"], "q-bar": calipers}))
    out = tmp_path / "result.json"
    assert main(["simulate", str(case), "--responses", str(answers), "--out", str(out)]) == 0
    doc = json.loads(out.read_text())
    return next(r for r in doc["responses"] if r["item"] == "q-bar")


def test_the_bar_on_an_imported_clip_scores_right_in_mm(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    case = imported_case(tmp_path)
    assert main(["validate", str(case)]) == 0, capsys.readouterr().out
    assert simulated(case, tmp_path, ON_THE_BAR)["points"] == 2
    # Two pixels short is 0.5 mm: still within tolerance; eight short (2 mm) is not.
    assert simulated(case, tmp_path, {"from": [X0 + 2, ROW], "to": [X1, ROW]})["points"] == 2
    assert simulated(case, tmp_path, {"from": [X0 + 8, ROW], "to": [X1, ROW]})["points"] == 0
    # The right length, but one caliper in the band above the region: no scale holds there.
    slanted = {"from": [X0, BAND - 4], "to": [X0 + 77, BAND - 4 + 20]}
    assert simulated(case, tmp_path, slanted)["points"] == 0


def test_simulate_correct_puts_the_keys_calipers(tmp_path: Path) -> None:
    case = imported_case(tmp_path)
    out = tmp_path / "r.json"
    assert main(["simulate", str(case), "--responses", "correct", "--out", str(out)]) == 0
    response = next(r for r in json.loads(out.read_text())["responses"] if r["item"] == "q-bar")
    assert response["response"] == {"from": [X0, ROW], "to": [X1, ROW]}
    assert response["points"] == 2


@pytest.mark.parametrize(
    ("answer", "path", "message"),
    [
        (
            {"value_mm": BAR_MM, "tolerance_mm": 0.5},
            "answer",
            "calibrated only inside its calibrated_regions: give the key's 'calipers",
        ),
        (
            {
                "value_mm": BAR_MM,
                "tolerance_mm": 0.5,
                "calipers": {"from": [X0, 4], "to": [X0 + 80, 4]},
            },
            "answer.calipers",
            "is not inside one calibrated region of media 'us-001' ([0, 16, 160, 120])",
        ),
        (
            {"value_mm": 25, "tolerance_mm": 0.5, "calipers": ON_THE_BAR},
            "answer.calipers",
            "the key's calipers measure 20.00 mm, not 25 ± 0.5 mm",
        ),
    ],
)
def test_key_calipers_are_checked_against_the_calibration(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    answer: dict[str, Any],
    path: str,
    message: str,
) -> None:
    case = imported_case(tmp_path, answer)
    capsys.readouterr()
    assert main(["validate", str(case)]) == 1
    out = capsys.readouterr().out
    line = next(line for line in out.splitlines() if message in line)
    # file:line:col: json.path: message, the line that of the item's answer in case.yaml
    where, json_path = line.split(": ")[0], line.split(": ")[1]
    file, number, _column = where.rsplit(":", 2)
    assert file == str(case / "case.yaml") and json_path.endswith(f"items[2].{path}")
    lines = (case / "case.yaml").read_text().splitlines()
    item_line = next(n for n, text in enumerate(lines, 1) if "id: q-bar" in text)
    assert item_line < int(number) < item_line + 16  # within the item's answer


def test_a_span_across_two_regions_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Two pictures side by side, each its own region: calipers from one into the other
    measure nothing, even with the same scale."""
    across = {"from": [70, 60], "to": [150, 60]}
    case = imported_case(
        tmp_path,
        {"value_mm": 20, "tolerance_mm": 0.5, "calipers": across},
        regions=[[0, 16, 80, 120], [80, 16, 160, 120]],
    )
    assert main(["validate", str(case)]) == 1
    assert "is not inside one calibrated region" in capsys.readouterr().out
    # The scorer holds to it too, whatever a (fixed) case says: across is worth nothing.
    key = {"value_mm": 20, "tolerance_mm": 0.5, "calipers": {"from": [0, 60], "to": [80, 60]}}
    fixed = imported_case(tmp_path / "fixed", key, regions=[[0, 16, 80, 120], [80, 16, 160, 120]])
    assert simulated(fixed, tmp_path, {"from": [0, 60], "to": [80, 60]})["points"] == 2
    assert simulated(fixed, tmp_path, across)["points"] == 0


def test_calibrated_regions_need_the_spacing_and_must_fit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    case = imported_case(tmp_path, regions=[[0, 16, 160, 500]])
    assert main(["validate", str(case)]) == 1
    assert "[0, 16, 160, 500] is not inside the 160×120 image" in capsys.readouterr().out
    data = yaml.safe_load((case / "case.yaml").read_text())
    media = data["segments"][0]["key_points"][0]["media"][-1]
    media["calibrated_regions"] = [[0, 16, 160, 120]]
    del media["pixel_spacing_mm"]
    write_case(case, data)
    assert main(["validate", str(case)]) == 1
    assert "say where 'pixel_spacing_mm' holds: give it too" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("frame_at", "item_id", "message"),
    [
        (0.2, "q-bar", None),
        (9.0, "q-bar", "9.0 s is not a frame of 'media/us-001.mp4' (it lasts"),
        (0.2, "q-measure", "media 'still' is a still: only a measurement on a clip names a frame"),
    ],
)
def test_the_frame_a_measurement_is_made_on_is_a_frame_of_its_clip(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    frame_at: float,
    item_id: str,
    message: str | None,
) -> None:
    case = imported_case(tmp_path)
    data = yaml.safe_load((case / "case.yaml").read_text())
    items = [i for s in data["segments"] for kp in s["key_points"] for i in kp["items"]]
    next(i for i in items if i["id"] == item_id)["frame_at"] = frame_at
    write_case(case, data)
    capsys.readouterr()
    status = main(["validate", str(case)])
    out = capsys.readouterr().out
    if message is None:
        assert status == 0, out
    else:
        assert status == 1
        line = next(line for line in out.splitlines() if message in line)
        assert line.startswith(str(case / "case.yaml") + ":") and ".frame_at: " in line
