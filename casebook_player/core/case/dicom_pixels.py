"""The pixels of a DICOM file as 8-bit RGB or grey frames, whatever its transfer syntax.

pydicom decodes uncompressed and RLE data itself; JPEG (baseline, extended, lossless),
JPEG-LS and JPEG 2000 through the pylibjpeg plugins, and RLE faster through pylibjpeg-rle.
A syntax nobody here decodes (MPEG-2/4 and HEVC video in DICOM, for one) is refused by name
before any decoding starts. Colour is converted by pydicom's vectorised conversion (or by
the JPEG decoder itself) one frame at a time into one preallocated array: never per pixel in
Python, and not over the whole cine at once, which bench/bench_dicom_colour.py measured
slower (its float temporaries outgrow the caches) and which needs over a gigabyte for a long
loop.
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
    frames = int(dataset.get("NumberOfFrames") or 1)
    photometric = dataset.get("PhotometricInterpretation")
    colour = int(dataset.get("SamplesPerPixel", 1)) == 3 or photometric == "PALETTE COLOR"
    first = _frame_8bit(dataset, 0, photometric)
    if first.ndim != (3 if colour else 2):
        raise PixelError(f"unexpected pixel layout {first.shape}")
    pixels = np.empty((frames, *first.shape), dtype=np.uint8)
    pixels[0] = first
    for index in range(1, frames):
        pixels[index] = _frame_8bit(dataset, index, photometric)
    if photometric == "MONOCHROME1":
        np.subtract(255, pixels, out=pixels)
    return pixels


def _frame_8bit(dataset: Dataset, index: int, photometric: object) -> np.ndarray:
    """One frame, colour converted and cut to 8 bits. Frame by frame, into the cine's one
    array: converting the whole cine at once makes float temporaries of 8 bytes a sample
    (over 1 GB for 100 frames of 800x600) and measured 1.5-2.7x slower."""
    try:
        picture = pixel_array(dataset, index=index, as_rgb=True)
        if photometric == "PALETTE COLOR":
            picture = apply_color_lut(picture, dataset)
    except (AttributeError, KeyError, NotImplementedError, RuntimeError, ValueError) as exc:
        raise PixelError(f"cannot decode the pixels ({exc})") from None
    if picture.dtype == np.uint8:
        return picture
    shifted = picture.astype(np.uint32) >> _shift(dataset, photometric, picture.dtype)
    return shifted.clip(0, 255).astype(np.uint8)


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
