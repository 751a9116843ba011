"""Ultrasound DICOM as case media: de-identified, timed, calibrated, masked."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest
import yaml
from dicomfactory import (
    BAND,
    BAR,
    HEIGHT,
    IDENTIFIERS,
    PATIENT_NAME,
    WIDTH,
    clean_phantom,
    region,
    write_us,
)
from pydicom import dcmread

from casebook_player.core.case.dicom_calibration import calibration
from casebook_player.core.case.dicom_deid import deidentify
from casebook_player.core.case.dicom_import import (
    FIRST_REGION_BAND,
    DicomImportError,
    import_dicom,
)
from casebook_player.core.case.probe import presentation_problems, probe_media
from casebook_player.core.session.scoring import measured_mm


def decoded(path: Path) -> list[np.ndarray]:
    with av.open(str(path)) as clip:
        return [frame.to_ndarray(format="gray") for frame in clip.decode(video=0)]


def test_no_identifier_survives_in_any_output_byte(tmp_path: Path) -> None:
    outputs = [
        import_dicom(write_us(tmp_path / "cine.dcm"), tmp_path / "media"),
        import_dicom(write_us(tmp_path / "still.dcm", frames=1), tmp_path / "media"),
    ]
    written = b"".join(p.read_bytes() for p in (tmp_path / "media").iterdir())
    written += "".join(r.summary() + r.snippet("media") for r in outputs).encode()
    for identifier in IDENTIFIERS:
        assert identifier.encode() not in written
        assert identifier.encode("utf-16-le") not in written


def test_the_profile_removes_empties_and_replaces_and_says_which(tmp_path: Path) -> None:
    dataset = dcmread(write_us(tmp_path / "cine.dcm"))
    original_study = dataset.StudyInstanceUID
    uids: dict[str, str] = {}
    report = deidentify(dataset, uids)
    assert "InstitutionName" not in dataset and "OperatorsName" not in dataset
    assert dataset.PatientName == "" and dataset.PatientID == "" and dataset.PatientBirthDate == ""
    assert dataset.StudyInstanceUID == uids[original_study] != original_study
    assert not any(element.tag.is_private for element in dataset)
    assert {"InstitutionName", "OperatorsName"} <= set(report.removed)
    assert {"PatientName", "PatientID", "PatientBirthDate"} <= set(report.emptied)
    assert report.private_removed == 2
    assert PATIENT_NAME not in report.summary()
    # The calibration sequence is kept.
    assert calibration(dataset).pixel_spacing_mm == pytest.approx(0.25)


def test_the_same_uid_gets_the_same_replacement_across_files(tmp_path: Path) -> None:
    uids: dict[str, str] = {}
    first = dcmread(write_us(tmp_path / "a.dcm"))
    second = dcmread(write_us(tmp_path / "b.dcm"))
    deidentify(first, uids)
    deidentify(second, uids)
    assert first.StudyInstanceUID == second.StudyInstanceUID
    assert first.SOPInstanceUID != second.SOPInstanceUID


@pytest.mark.parametrize("colour", [False, True])
def test_a_cine_becomes_the_presented_form_at_its_frame_time(tmp_path: Path, colour: bool) -> None:
    result = import_dicom(write_us(tmp_path / "cine.dcm", frames=10, colour=colour), tmp_path)
    assert result.frame_rate == Fraction(25) and result.duration == pytest.approx(0.4)
    probe = probe_media(result.target)
    assert presentation_problems(probe, "cine.mp4", video_expected=True) == []
    assert probe.frames == 10 and probe.duration == pytest.approx(0.4)
    # Each frame keeps its picture: the bar on its row (moving one row a frame).
    row = BAR[0]
    for index, picture in enumerate(decoded(result.target)):
        assert picture[row + index % 4, BAR[1] + 5 : BAR[2] - 5].mean() > 180
        assert picture[row + (index + 2) % 4, BAR[1] + 5 : BAR[2] - 5].mean() < 60


def test_cine_rate_and_frame_time_vector_time_the_clip(tmp_path: Path) -> None:
    by_rate = import_dicom(
        write_us(tmp_path / "rate.dcm", frames=6, timing={"CineRate": 30}), tmp_path
    )
    assert by_rate.frame_rate == Fraction(30) and by_rate.duration == pytest.approx(0.2)
    # Increments of 40 ms with one frame late by 80 ms: 25 fps, the gap filled by a repeat.
    vector = [0, 40, 40, 120, 40, 40]
    by_vector = import_dicom(
        write_us(tmp_path / "vector.dcm", frames=6, timing={"FrameTimeVector": vector}), tmp_path
    )
    assert by_vector.frame_rate == Fraction(25)
    assert probe_media(by_vector.target).frames == 8  # 0..320 ms, 40 ms apart


def test_a_cine_without_timing_is_refused(tmp_path: Path) -> None:
    with pytest.raises(DicomImportError, match="no frame timing"):
        import_dicom(write_us(tmp_path / "x.dcm", timing={"Modality": "US"}), tmp_path / "out")
    out = tmp_path / "out"
    assert not out.exists() or not any(out.iterdir())  # nothing, not even a partial file


def test_a_single_frame_becomes_a_png_that_measures_the_bar_in_mm(tmp_path: Path) -> None:
    result = import_dicom(write_us(tmp_path / "still.dcm", frames=1), tmp_path)
    assert result.target.suffix == ".png" and result.frame_rate is None
    with av.open(str(result.target)) as image:
        picture = next(image.decode(video=0)).to_ndarray(format="gray")
    row, x0, x1 = BAR
    assert (picture[row, x0:x1] == 230).all() and picture[row, x0 - 1] == 20
    # The bar is 80 pixels at 0.25 mm: 20 mm, as the measurement item scores it.
    spacing = result.calibration.pixel_spacing_mm
    assert spacing is not None
    assert measured_mm({"from": [x0, row], "to": [x1, row]}, spacing) == pytest.approx(20.0)
    assert "pixel_spacing_mm: 0.25" in result.snippet("media")


@pytest.mark.parametrize(
    ("regions", "reason"),
    [
        ([region(units=4)], "not cm"),
        ([region(0.025), region(0.05)], "disagree"),
        ([region(0.025, delta_y_cm=0.05)], "not square"),
        ([], "no 2D ultrasound region"),
    ],
)
def test_calibration_is_refused_and_said_why(
    tmp_path: Path, regions: list[object], reason: str
) -> None:
    result = import_dicom(write_us(tmp_path / "still.dcm", frames=1, regions=regions), tmp_path)
    assert result.calibration.pixel_spacing_mm is None
    assert reason in result.calibration.reason
    assert "pixel_spacing_mm" not in result.snippet("media").split("#")[0]
    assert reason in result.summary()


def test_the_default_mask_blacks_out_the_band_above_the_first_region(tmp_path: Path) -> None:
    source = write_us(tmp_path / "still.dcm", frames=1)
    unmasked = import_dicom(source, tmp_path / "plain")
    masked = import_dicom(source, tmp_path / "masked", mask=FIRST_REGION_BAND)
    assert masked.masked == (0, 0, 160, BAND)
    with av.open(str(unmasked.target)) as a, av.open(str(masked.target)) as b:
        before = next(a.decode(video=0)).to_ndarray(format="gray")
        after = next(b.decode(video=0)).to_ndarray(format="gray")
    assert before[:BAND].max() == 255  # the burned-in strokes
    assert after[:BAND].max() == 0
    assert (after[BAND:] == before[BAND:]).all()


def test_a_rectangle_mask_covers_only_itself_and_must_fit(tmp_path: Path) -> None:
    source = write_us(tmp_path / "cine.dcm", frames=4)
    result = import_dicom(source, tmp_path / "a", mask=(0, 0, 50, 12))
    for picture in decoded(result.target):
        assert picture[1:11, 1:49].max() < 10
        assert picture[4:12, 56:100].max() > 200
    with pytest.raises(DicomImportError, match="not inside the 160x120 picture"):
        import_dicom(source, tmp_path / "b", mask=(0, 0, 500, 12))


def test_a_file_that_is_not_dicom_is_refused(tmp_path: Path) -> None:
    junk = tmp_path / "junk.dcm"
    junk.write_bytes(b"not a dicom file at all")
    with pytest.raises(DicomImportError, match=r"junk\.dcm: not a DICOM file"):
        import_dicom(junk, tmp_path / "out")


def test_text_left_in_the_band_warns_until_it_is_masked(tmp_path: Path) -> None:
    source = write_us(tmp_path / "cine.dcm", frames=4)
    plain = import_dicom(source, tmp_path / "plain")
    assert plain.text_left is not None
    x0, _, x1, y1 = plain.text_left
    assert y1 <= BAND and x0 <= 8 and x1 >= 100  # around the strokes at rows 4-11
    assert "WARNING: us-001.mp4: text-like marks remain outside" in plain.summary()
    assert plain.target.is_file()  # written all the same
    masked = import_dicom(source, tmp_path / "masked", mask=FIRST_REGION_BAND)
    assert masked.text_left is None and "WARNING" not in masked.summary()


def test_a_clean_picture_does_not_warn(tmp_path: Path) -> None:
    """Speckle inside the region is never taken for text; black outside it is clean."""
    result = import_dicom(write_us(tmp_path / "c.dcm", pixels=clean_phantom(3)), tmp_path)
    assert result.text_left is None and "WARNING" not in result.summary()


def test_text_beside_a_narrow_region_warns_after_the_band_is_masked(tmp_path: Path) -> None:
    """The default mask covers only the band above the region: text at its side remains."""
    pixels = clean_phantom(1)
    pixels[0, :, :40] = 0
    pixels[0, 60:68, 4:30:4] = 255  # strokes left of the region
    narrow = region(bounds=(40, BAND, WIDTH - 1, HEIGHT - 1))
    source = write_us(tmp_path / "s.dcm", pixels=pixels, regions=[narrow])
    result = import_dicom(source, tmp_path, mask=FIRST_REGION_BAND)
    assert result.text_left is not None and result.text_left[2] <= 40


def test_the_calibration_says_where_it_holds(tmp_path: Path) -> None:
    result = import_dicom(write_us(tmp_path / "cine.dcm"), tmp_path / "media")
    assert result.calibration.regions == ((0, BAND, 160, 120),)
    entry = yaml.safe_load(result.snippet("media"))[0]
    assert entry["calibrated_regions"] == [[0, BAND, 160, 120]]
    written = yaml.safe_load(result.target.with_suffix(".yaml").read_text(encoding="utf-8"))
    assert written == [entry]


def test_regions_that_do_not_fit_the_picture_are_refused(tmp_path: Path) -> None:
    """A picture resized after the regions were written (as in pydicom's bundled files)
    would measure wrong: its regions are not used, for calibration or for the mask."""
    bigger = region(bounds=(84, 31, 595, 414))
    result = import_dicom(
        write_us(tmp_path / "s.dcm", frames=1, regions=[bigger]), tmp_path, mask=FIRST_REGION_BAND
    )
    assert result.calibration.pixel_spacing_mm is None
    assert "lie outside the 160x120 picture" in result.calibration.reason
    assert result.masked is None and "not masked" in result.summary()
    # One pixel past the edge is an end written as the last pixel: taken as the edge.
    edge = region(bounds=(0, BAND, WIDTH, HEIGHT))
    calibrated = import_dicom(write_us(tmp_path / "e.dcm", frames=1, regions=[edge]), tmp_path)
    assert calibrated.calibration.regions == ((0, BAND, WIDTH, HEIGHT),)
