"""Ultrasound DICOM files made with pydicom for the import tests: a phantom with a bright bar
of known length, identifiers in the header and burned into the top band; uncompressed, RLE
(pydicom's own encoder) or JPEG baseline (frames encoded by FFmpeg's JPEG encoder through
PyAV, encapsulated by pydicom), monochrome, RGB or YBR."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import av
import numpy as np
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.encaps import encapsulate
from pydicom.sequence import Sequence
from pydicom.uid import (
    UID,
    ExplicitVRLittleEndian,
    JPEGBaseline8Bit,
    RLELossless,
    UltrasoundMultiFrameImageStorage,
    generate_uid,
)

PATIENT_NAME = "Doe^Jane^Quincy"
PATIENT_ID = "MRN-7741-2209"
BIRTH_DATE = "19610417"
INSTITUTION = "St Elsewhere General Hospital"
OPERATOR = "Sonographer^Sam"
STUDY_UID = "1.2.826.0.1.3680043.8.498.1234567890123456789"
PRIVATE_TEXT = "VendorSecretJaneDoe"
IDENTIFIERS = (PATIENT_NAME, "Doe", "Jane", PATIENT_ID, BIRTH_DATE, INSTITUTION, OPERATOR,
               STUDY_UID, PRIVATE_TEXT)  # fmt: skip
WIDTH, HEIGHT = 160, 120
BAND = 16  # rows above the ultrasound region, where machines burn the patient's name
BAR = (40, 40, 120)  # row, first column, end column: a bar 80 pixels long
BAR_MM = 20.0  # at the default 0.025 cm a pixel


def region(
    delta_cm: float = 0.025,
    units: int = 3,
    delta_y_cm: float | None = None,
    top: int = BAND,
    bounds: tuple[int, int, int, int] | None = None,
) -> Dataset:
    """A 2D region; ``bounds`` as DICOM writes them (x0, y0, last x, last y), by default
    the picture below the band."""
    item = Dataset()
    item.RegionSpatialFormat = 1
    item.RegionDataType = 1
    x0, y0, x1, y1 = bounds or (0, top, WIDTH - 1, HEIGHT - 1)
    item.RegionLocationMinX0, item.RegionLocationMinY0 = x0, y0
    item.RegionLocationMaxX1, item.RegionLocationMaxY1 = x1, y1
    item.PhysicalUnitsXDirection = item.PhysicalUnitsYDirection = units
    item.PhysicalDeltaX = delta_cm
    item.PhysicalDeltaY = delta_cm if delta_y_cm is None else delta_y_cm
    return item


def phantom(
    frames: int, colour: bool, size: tuple[int, int] = (WIDTH, HEIGHT), text: bool = True
) -> np.ndarray:
    """Frames of a dark picture, a bright bar, and (``text``) bright glyph-like marks in the
    top band; the bar moves down one row a frame so frames differ."""
    width, height = size
    shape = (frames, height, width, 3) if colour else (frames, height, width)
    pixels = np.full(shape, 20, dtype=np.uint8)
    row, x0, x1 = BAR
    for index in range(frames):
        pixels[index, row + index % 4, x0:x1] = 230
        if text:
            pixels[index, 4:12, 8:100:6] = 255  # "text" strokes in the band
    return pixels


def clean_phantom(frames: int) -> np.ndarray:
    """Speckle inside the region, black outside it: what a clean export looks like."""
    rng = np.random.default_rng(7)
    pixels = np.zeros((frames, HEIGHT, WIDTH), dtype=np.uint8)
    pixels[:, BAND:] = rng.integers(0, 256, (frames, HEIGHT - BAND, WIDTH), dtype=np.uint8)
    return pixels


def ybr_full(rgb: np.ndarray) -> np.ndarray:
    """RGB to YBR_FULL by the equations of DICOM PS3.3 C.7.6.3.1.2 (written out here, so
    that pydicom's own conversion is checked, not reused)."""
    r, g, b = (rgb[..., i].astype(np.float64) for i in range(3))
    y = 0.2990 * r + 0.5870 * g + 0.1140 * b
    cb = -0.1687 * r - 0.3313 * g + 0.5000 * b + 128
    cr = 0.5000 * r - 0.4187 * g - 0.0813 * b + 128
    return np.stack([y, cb, cr], axis=-1).round().clip(0, 255).astype(np.uint8)


def ybr_full_422_bytes(rgb: np.ndarray) -> bytes:
    """YBR_FULL_422 as stored uncompressed (PS3.5 8.2.1): per two pixels of a row
    Y1 Y2 Cb Cr, the chroma of the pair averaged. Even widths only."""
    ybr = ybr_full(rgb).astype(np.uint16)
    luma = ybr[..., 0]
    chroma = ((ybr[..., 0::2, 1:] + ybr[..., 1::2, 1:] + 1) // 2).astype(np.uint8)
    packed = np.stack(
        [luma[..., 0::2], luma[..., 1::2], chroma[..., 0], chroma[..., 1]], axis=-1
    ).astype(np.uint8)
    return packed.tobytes()


def jpeg_frames(rgb: np.ndarray) -> list[bytes]:
    """Each frame as a baseline JPEG with 4:2:2 chroma (YBR_FULL_422), by FFmpeg's encoder."""
    encoded = []
    for picture in rgb:
        codec = av.CodecContext.create("mjpeg", "w")
        codec.width, codec.height, codec.pix_fmt = picture.shape[1], picture.shape[0], "yuvj422p"
        codec.time_base = Fraction(1, 25)
        codec.options = {"qmin": "1", "qmax": "2"}  # near lossless: colours stay checkable
        frame = av.VideoFrame.from_ndarray(picture, format="rgb24").reformat(format="yuvj422p")
        encoded.append(b"".join(bytes(p) for p in [*codec.encode(frame), *codec.encode(None)]))
    return encoded


def write_us(
    path: Path,
    frames: int = 10,
    colour: bool = False,
    regions: list[Dataset] | None = None,
    timing: dict[str, object] | None = None,
    *,
    pixels: np.ndarray | None = None,
    photometric: str | None = None,
    syntax: UID = ExplicitVRLittleEndian,
) -> Path:
    """An ultrasound file; ``timing`` the header's frame timing attributes, ``pixels`` the
    frames (default the phantom), ``photometric`` YBR_FULL or YBR_FULL_422 to store colour
    as YBR, ``syntax`` RLELossless or JPEGBaseline8Bit (colour: YBR_FULL_422) to compress."""
    ds = _header(regions)
    if pixels is None:
        pixels = phantom(frames, colour)
    frames = pixels.shape[0]
    colour = pixels.ndim == 4
    ds.Rows, ds.Columns = pixels.shape[1], pixels.shape[2]
    ds.SamplesPerPixel = 3 if colour else 1
    ds.PhotometricInterpretation = photometric or ("RGB" if colour else "MONOCHROME2")
    if colour:
        ds.PlanarConfiguration = 0
    ds.BitsAllocated = ds.BitsStored = 8
    ds.HighBit, ds.PixelRepresentation = 7, 0
    if frames > 1:
        ds.NumberOfFrames = frames
        for name, value in (timing or {"FrameTime": 40.0}).items():
            setattr(ds, name, value)
    if syntax == JPEGBaseline8Bit:
        ds.file_meta.TransferSyntaxUID = syntax
        ds.PhotometricInterpretation = "YBR_FULL_422"
        ds.PixelData = encapsulate(jpeg_frames(pixels))
        ds["PixelData"].VR = "OB"
        ds.LossyImageCompression = "01"
    elif ds.PhotometricInterpretation == "YBR_FULL_422":
        ds.PixelData = ybr_full_422_bytes(pixels)
    elif ds.PhotometricInterpretation == "YBR_FULL":
        ds.PixelData = ybr_full(pixels).tobytes()
    else:
        ds.PixelData = pixels.tobytes()
    if syntax == RLELossless:
        ds.compress(RLELossless, encoding_plugin="pydicom")
    ds.save_as(path, enforce_file_format=True)
    return path


def _header(regions: list[Dataset] | None) -> Dataset:
    ds = Dataset()
    ds.file_meta = FileMetaDataset()
    ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds.file_meta.MediaStorageSOPClassUID = UltrasoundMultiFrameImageStorage
    ds.file_meta.MediaStorageSOPInstanceUID = generate_uid()
    ds.SOPClassUID = UltrasoundMultiFrameImageStorage
    ds.SOPInstanceUID = ds.file_meta.MediaStorageSOPInstanceUID
    ds.StudyInstanceUID = STUDY_UID
    ds.SeriesInstanceUID = generate_uid()
    ds.PatientName, ds.PatientID, ds.PatientBirthDate = PATIENT_NAME, PATIENT_ID, BIRTH_DATE
    ds.InstitutionName, ds.OperatorsName, ds.StudyDate = INSTITUTION, OPERATOR, "20240102"
    ds.Modality = "US"
    private = ds.private_block(0x0009, "ACME US", create=True)
    private.add_new(0x01, "LO", PRIVATE_TEXT)
    ds.SequenceOfUltrasoundRegions = Sequence([region()] if regions is None else regions)
    return ds
