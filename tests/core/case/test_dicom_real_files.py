"""Real ultrasound DICOM files, as machines wrote them: those pydicom's wheel bundles.

The wheel ships five files with Modality US (its US1_* and gdcm-US-* files are downloads, not
in the wheel, and are not fetched): a SonoSite cine (JPEG baseline, YBR_FULL_422, 30
frames), an RGB still, the same still as JPEG 2000, a palette-colour still and a small
big-endian RGB still. Each is imported; none of its identifiers may reach an output byte.
"""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np
import pydicom.data
import pytest
from pydicom import dcmread
from pydicom.dataset import Dataset
from pydicom.pixels import apply_color_lut, pixel_array

from casebook_player.core.case.dicom_deid import ACTIONS
from casebook_player.core.case.dicom_import import DicomImport, import_dicom
from casebook_player.core.case.probe import presentation_problems, probe_media

BUNDLED = Path(pydicom.data.__file__).parent / "test_files"  # never the download helpers

# name: (frames, width, height, transfer syntax) as the header says
FILES = {
    "examples_ybr_color.dcm": (30, 320, 240, "1.2.840.10008.1.2.4.50"),
    "examples_rgb_color.dcm": (1, 320, 240, "1.2.840.10008.1.2.1"),
    "examples_jpeg2k.dcm": (1, 640, 480, "1.2.840.10008.1.2.4.90"),
    "examples_palette.dcm": (1, 800, 350, "1.2.840.10008.1.2.1"),
    "ExplVR_BigEnd.dcm": (1, 80, 60, "1.2.840.10008.1.2.2"),
}


def bundled(name: str) -> Path:
    path = BUNDLED / name
    if not path.is_file():
        pytest.skip(f"{name} is not in this pydicom wheel")
    return path


def identifiers(dataset: Dataset) -> set[str]:
    """Every value of six characters or more that the profile removes, empties or replaces,
    and every person name, in the dataset and its sequences (and file meta)."""
    found: set[str] = set()
    for element in [*dataset.iterall(), *dataset.file_meta]:
        if element.VR == "SQ" or element.tag.is_private:
            continue
        if element.keyword in ACTIONS or element.VR == "PN":
            values = element.value if element.VM > 1 else [element.value]
            found |= {str(v) for v in values if v is not None and len(str(v)) >= 6}
    return found


def pictures(result: DicomImport) -> list[np.ndarray]:
    with av.open(str(result.target)) as media:
        return [frame.to_ndarray(format="rgb24") for frame in media.decode(video=0)]


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> dict[str, DicomImport]:
    out = tmp_path_factory.mktemp("real") / "media"
    return {name: import_dicom(bundled(name), out) for name in FILES}


@pytest.mark.parametrize("name", FILES)
def test_a_real_file_imports_at_its_size_and_frames(
    imported: dict[str, DicomImport], name: str
) -> None:
    frames, width, height, syntax = FILES[name]
    source = dcmread(bundled(name), stop_before_pixels=True)
    assert source.file_meta.TransferSyntaxUID == syntax and source.Modality == "US"
    result = imported[name]
    assert result.frames == frames and result.size == (width, height)
    shown = pictures(result)
    assert len(shown) == frames and shown[0].shape == (height, width, 3)
    if frames > 1:
        assert result.frame_rate == 30  # FrameTime 33.333 ms
        probe = probe_media(result.target)
        assert presentation_problems(probe, name, video_expected=True) == []


def test_the_real_ybr_cine_matches_pydicoms_own_decoding(
    imported: dict[str, DicomImport],
) -> None:
    """Colour sanity against pydicom and its JPEG plugin: YBR read as RGB (or the reverse)
    would shift every level by tens; H.264 4:2:0 costs a few."""
    reference = pixel_array(bundled("examples_ybr_color.dcm"), as_rgb=True).astype(np.int16)
    shown = pictures(imported["examples_ybr_color.dcm"])
    for index in (0, 15, 29):
        difference = np.abs(shown[index].astype(np.int16) - reference[index])
        assert difference.mean() < 3, index
    # Grey-scale ultrasound: the channels agree where the picture is grey.
    grey = np.abs(reference[0, ..., 0] - reference[0, ..., 1]) < 4
    assert np.abs(shown[0][grey][:, 0].astype(int) - shown[0][grey][:, 1]).mean() < 4


def test_the_real_palette_still_is_looked_up(imported: dict[str, DicomImport]) -> None:
    dataset = dcmread(bundled("examples_palette.dcm"))
    reference = (apply_color_lut(pixel_array(dataset), dataset) >> 8).astype(np.int16)
    shown = pictures(imported["examples_palette.dcm"])[0].astype(np.int16)
    assert (shown == reference).all()  # PNG: exact
    assert np.abs(shown[..., 0] - shown[..., 2]).max() > 50  # in colour, not the indices


def test_real_regions_written_for_a_larger_picture_are_not_used(
    imported: dict[str, DicomImport],
) -> None:
    """Both bundled files with regions were cropped or resized after the regions were
    written: calibrating them would measure wrong, so the import refuses and says why."""
    for name in ("examples_ybr_color.dcm", "examples_palette.dcm"):
        result = imported[name]
        assert result.calibration.pixel_spacing_mm is None
        assert "lie outside the" in result.calibration.reason
        assert "not calibrated" in result.snippet("media")


@pytest.mark.parametrize("name", FILES)
def test_no_identifier_of_a_real_file_survives(imported: dict[str, DicomImport], name: str) -> None:
    found = identifiers(dcmread(bundled(name), stop_before_pixels=True))
    assert found, "the file has identifiers to look for"
    result = imported[name]
    written = result.target.read_bytes() + result.target.with_suffix(".yaml").read_bytes()
    written += (result.summary() + result.snippet("media")).encode()
    for identifier in found:
        assert identifier.encode() not in written, identifier
    assert result.deid.emptied or result.deid.removed
