"""The pixels of a DICOM file as 8-bit RGB or grey frames, whatever its transfer syntax.

pydicom decodes uncompressed and RLE data itself; JPEG (baseline, extended, lossless),
JPEG-LS and JPEG 2000 through the pylibjpeg plugins, and RLE faster through pylibjpeg-rle.
A syntax nobody here decodes (MPEG-2/4 and HEVC video in DICOM, for one) is refused by name
before any decoding starts. Colour is converted for the whole cine in one array operation
(YBR by pydicom, or by the JPEG decoder itself), never frame by frame in Python: see
bench/bench_dicom_colour.py.
"""

from __future__ import annotations

import numpy as np
from pydicom.dataset import Dataset
from pydicom.pixels import apply_color_lut, get_decoder, pixel_array
from pydicom.uid import UID


class PixelError(Exception):
    """The pixels cannot be decoded; the message says why (without the file's name)."""


def frames_8bit(dataset: Dataset) -> np.ndarray:
    """All frames as (frames, rows, columns[, 3]) uint8: RGB for colour (YBR and palette
    colour converted), grey for monochrome (MONOCHROME1 inverted)."""
    check_decodable(dataset)
    photometric = dataset.get("PhotometricInterpretation")
    try:
        pixels = pixel_array(dataset, as_rgb=True)
        if photometric == "PALETTE COLOR":
            pixels = apply_color_lut(pixels, dataset)
    except (AttributeError, KeyError, NotImplementedError, RuntimeError, ValueError) as exc:
        raise PixelError(f"cannot decode the pixels ({exc})") from None
    frames = int(dataset.get("NumberOfFrames") or 1)
    colour = int(dataset.get("SamplesPerPixel", 1)) == 3 or photometric == "PALETTE COLOR"
    if frames == 1:
        pixels = pixels[np.newaxis]
    if pixels.ndim != (4 if colour else 3):
        raise PixelError(f"unexpected pixel layout {pixels.shape}")
    if pixels.dtype != np.uint8:
        pixels = pixels.astype(np.uint32) >> _shift(dataset, photometric, pixels.dtype)
        pixels = pixels.clip(0, 255).astype(np.uint8)
    if photometric == "MONOCHROME1":
        pixels = 255 - pixels
    return np.ascontiguousarray(pixels)


def check_decodable(dataset: Dataset) -> None:
    """Refuse, naming it, a transfer syntax no installed decoder reads."""
    meta = getattr(dataset, "file_meta", None)
    syntax = getattr(meta, "TransferSyntaxUID", None) if meta is not None else None
    if syntax is None:
        return  # pydicom guesses little endian; the decoding says if that was wrong
    syntax = UID(syntax)
    try:
        decoder = get_decoder(syntax)
    except NotImplementedError:
        raise PixelError(
            f"its transfer syntax {syntax.name} ({syntax}) is not one this import decodes "
            "(uncompressed, RLE, JPEG, JPEG-LS, JPEG 2000): export the clip uncompressed or "
            "as JPEG from the machine"
        ) from None
    if not decoder.is_available:
        missing = "; ".join(decoder.missing_dependencies) or "a decoder plugin"
        raise PixelError(f"its transfer syntax {syntax.name} ({syntax}) needs {missing}")


def _shift(dataset: Dataset, photometric: object, dtype: np.dtype) -> int:
    """Bits to drop to keep the top 8: a palette's entries fill their whole width (16 bits
    when wider than 8), stored values their BitsStored."""
    if photometric == "PALETTE COLOR":
        return 8 * (dtype.itemsize - 1)
    return max(0, int(dataset.get("BitsStored", 8)) - 8)
