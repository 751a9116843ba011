"""Ultrasound DICOM files made with pydicom for the import tests: a phantom with a bright bar
of known length, identifiers in the header and burned into the top band."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.sequence import Sequence
from pydicom.uid import ExplicitVRLittleEndian, UltrasoundMultiFrameImageStorage, generate_uid

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


def region(
    delta_cm: float = 0.025, units: int = 3, delta_y_cm: float | None = None, top: int = BAND
) -> Dataset:
    item = Dataset()
    item.RegionSpatialFormat = 1
    item.RegionDataType = 1
    item.RegionLocationMinX0, item.RegionLocationMinY0 = 0, top
    item.RegionLocationMaxX1, item.RegionLocationMaxY1 = WIDTH - 1, HEIGHT - 1
    item.PhysicalUnitsXDirection = item.PhysicalUnitsYDirection = units
    item.PhysicalDeltaX = delta_cm
    item.PhysicalDeltaY = delta_cm if delta_y_cm is None else delta_y_cm
    return item


def phantom(frames: int, colour: bool) -> np.ndarray:
    """Frames of a dark picture, a bright bar, and bright glyph-like marks in the top band;
    the bar moves down one row a frame so frames differ."""
    shape = (frames, HEIGHT, WIDTH, 3) if colour else (frames, HEIGHT, WIDTH)
    pixels = np.full(shape, 20, dtype=np.uint8)
    row, x0, x1 = BAR
    for index in range(frames):
        pixels[index, row + index % 4, x0:x1] = 230
        pixels[index, 4:12, 8:100:6] = 255  # "text" strokes in the band
    return pixels


def write_us(
    path: Path,
    frames: int = 10,
    colour: bool = False,
    regions: list[Dataset] | None = None,
    timing: dict[str, object] | None = None,
) -> Path:
    """An uncompressed ultrasound file; ``timing`` the header's frame timing attributes."""
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
    ds.SequenceOfUltrasoundRegions = [region()] if regions is None else regions
    pixels = phantom(frames, colour)
    ds.Rows, ds.Columns = HEIGHT, WIDTH
    ds.SamplesPerPixel = 3 if colour else 1
    ds.PhotometricInterpretation = "RGB" if colour else "MONOCHROME2"
    if colour:
        ds.PlanarConfiguration = 0
    ds.BitsAllocated = ds.BitsStored = 8
    ds.HighBit, ds.PixelRepresentation = 7, 0
    if frames > 1:
        ds.NumberOfFrames = frames
        for name, value in (timing or {"FrameTime": 40.0}).items():
            setattr(ds, name, value)
    ds.PixelData = pixels.tobytes()
    ds.SequenceOfUltrasoundRegions = Sequence(ds.SequenceOfUltrasoundRegions)
    ds.save_as(path, enforce_file_format=True)
    return path
