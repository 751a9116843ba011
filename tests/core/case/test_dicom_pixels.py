"""Ultrasound DICOM pixels: compressed transfer syntaxes, YBR colour, odd picture sizes."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np
import pytest
from dicomfactory import BAR, phantom, write_us
from pydicom import dcmread
from pydicom.encaps import encapsulate
from pydicom.uid import MPEG4HP41, JPEGBaseline8Bit, RLELossless

from casebook_player.core.case.dicom_import import DicomImportError, import_dicom
from casebook_player.core.case.probe import presentation_problems, probe_media

# Three known colours side by side, in columns of 16 pixels (even: 4:2:2 pairs stay in one).
COLOURS = ((200, 30, 40), (20, 180, 60), (40, 60, 220))


def colour_bars(frames: int) -> np.ndarray:
    pixels = np.zeros((frames, 32, 48, 3), np.uint8)
    for index, colour in enumerate(COLOURS):
        pixels[:, :, index * 16 : (index + 1) * 16] = colour
    return pixels


def decoded_rgb(path: Path) -> list[np.ndarray]:
    with av.open(str(path)) as media:
        return [frame.to_ndarray(format="rgb24") for frame in media.decode(video=0)]


def bar_centres(picture: np.ndarray) -> list[np.ndarray]:
    """The mean colour of each bar away from its edges (chroma bleeds across them)."""
    return [picture[4:28, i * 16 + 5 : i * 16 + 11].reshape(-1, 3).mean(axis=0) for i in range(3)]


@pytest.mark.parametrize(
    ("photometric", "syntax"),
    [
        ("YBR_FULL_422", None),
        ("YBR_FULL", None),
        (None, RLELossless),
        (None, JPEGBaseline8Bit),  # stored as YBR_FULL_422
    ],
)
def test_known_colours_come_out_right(
    tmp_path: Path, photometric: str | None, syntax: object
) -> None:
    def written(name: str, frames: int) -> Path:
        extra = {"syntax": syntax} if syntax is not None else {}
        pixels = colour_bars(frames)
        return write_us(tmp_path / name, pixels=pixels, photometric=photometric, **extra)

    source = written("c.dcm", 4)
    stored = dcmread(source)
    if syntax is not None:
        assert stored.file_meta.TransferSyntaxUID == syntax
    jpeg = syntax == JPEGBaseline8Bit
    expected = photometric or ("YBR_FULL_422" if jpeg else "RGB")
    assert stored.PhotometricInterpretation == expected
    still = import_dicom(written("s.dcm", 1), tmp_path / "s")
    cine = import_dicom(source, tmp_path / "c")
    # The PNG is lossless: within the YBR rounding and the JPEG's (near lossless) quantising.
    for centre, colour in zip(bar_centres(decoded_rgb(still.target)[0]), COLOURS, strict=True):
        assert np.abs(centre - colour).max() <= 3, (centre, colour)
    # The MP4 is H.264 4:2:0 (limited range, chroma halved): a few levels more.
    for picture in decoded_rgb(cine.target):
        for centre, colour in zip(bar_centres(picture), COLOURS, strict=True):
            assert np.abs(centre - colour).max() <= 8, (centre, colour)


@pytest.mark.parametrize("syntax", [RLELossless, JPEGBaseline8Bit])
def test_a_compressed_cine_keeps_its_frames_and_timing(tmp_path: Path, syntax: object) -> None:
    source = write_us(tmp_path / "cine.dcm", pixels=phantom(8, colour=True), syntax=syntax)
    assert dcmread(source).file_meta.TransferSyntaxUID == syntax
    result = import_dicom(source, tmp_path / "out")
    probe = probe_media(result.target)
    assert presentation_problems(probe, "cine.mp4", video_expected=True) == []
    assert probe.frames == 8 and probe.duration == pytest.approx(0.32)
    row, x0, x1 = BAR
    for index, picture in enumerate(decoded_rgb(result.target)):
        gray = picture.mean(axis=2)
        assert gray[row + index % 4, x0 + 5 : x1 - 5].mean() > 180
        assert gray[row + (index + 2) % 4, x0 + 5 : x1 - 5].mean() < 60


def test_a_monochrome_rle_still_is_lossless(tmp_path: Path) -> None:
    source = write_us(tmp_path / "s.dcm", pixels=phantom(1, colour=False), syntax=RLELossless)
    result = import_dicom(source, tmp_path / "out")
    with av.open(str(result.target)) as image:
        picture = next(image.decode(video=0)).to_ndarray(format="gray")
    assert (picture == phantom(1, colour=False)[0]).all()


def test_a_transfer_syntax_not_decoded_here_is_refused_by_name(tmp_path: Path) -> None:
    source = write_us(tmp_path / "video.dcm", frames=2)
    dataset = dcmread(source)
    dataset.file_meta.TransferSyntaxUID = MPEG4HP41  # H.264 in DICOM: no pydicom decoder
    dataset.PixelData = encapsulate([b"\x00\x00\x00\x01" * 4])  # stands for the stream
    dataset["PixelData"].VR = "OB"
    dataset.save_as(source)
    with pytest.raises(DicomImportError) as refused:
        import_dicom(source, tmp_path / "out")
    message = str(refused.value)
    assert "MPEG-4 AVC/H.264 High Profile / Level 4.1 (1.2.840.10008.1.2.4.102)" in message
    assert "is not one this import decodes" in message
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(("width", "height"), [(161, 121), (161, 120), (160, 121)])
def test_an_odd_sized_cine_is_padded_black_and_keeps_its_pixels(
    tmp_path: Path, width: int, height: int
) -> None:
    pixels = phantom(4, colour=False, size=(width, height))
    pixels[:, :, -1] = 200  # a bright last column and row: they must stay, not be cropped
    pixels[:, -1, :] = 200
    result = import_dicom(write_us(tmp_path / "odd.dcm", pixels=pixels), tmp_path / "out")
    even = (width + width % 2, height + height % 2)
    assert result.size == even and result.padded == (width % 2, height % 2)
    probe = probe_media(result.target)
    assert presentation_problems(probe, "odd.mp4", video_expected=True) == []
    assert "padded to " + f"{even[0]}x{even[1]}" in result.summary()
    assert "calibration are unchanged" in result.summary()
    assert result.snippet("media").count(f"size: [{even[0]}, {even[1]}]") == 1
    with av.open(str(result.target)) as clip:
        picture = next(clip.decode(video=0)).to_ndarray(format="gray")
    assert picture.shape == (even[1], even[0])
    assert picture[5:-5, width - 1].min() > 170  # the source's last column, in place
    assert picture[height - 1, 5:-5].min() > 170
    if width % 2:
        assert picture[5:-5, width].max() < 40  # the padding is black
    if height % 2:
        assert picture[height, 5:-5].max() < 40


def test_an_odd_sized_still_is_not_padded(tmp_path: Path) -> None:
    pixels = phantom(1, colour=False, size=(161, 121))
    result = import_dicom(write_us(tmp_path / "odd.dcm", pixels=pixels), tmp_path / "out")
    assert result.size == (161, 121) and result.padded == (0, 0)
    assert "padded" not in result.summary()
