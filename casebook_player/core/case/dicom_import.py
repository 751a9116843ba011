"""Import an ultrasound DICOM file as case media: a cine loop becomes MP4 in the presented
form (normalize.py's writer), a single frame PNG, with the calibration and a case snippet
(printed, and written beside the picture as ``us-NNN.yaml``).

The header is de-identified (dicom_deid.py) as soon as it is read, before any pixel is
decoded or anything written; the burned-in text a mask covers is blacked out in the decoded
pixels before they are encoded, and what still looks like text outside the ultrasound
regions is reported (burned_text.py). Frame times come from FrameTimeVector, FrameTime or
CineRate, in that order, and reach a constant rate by normalize's rule.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import av.error
import numpy as np
import yaml
from pydicom import dcmread
from pydicom.dataset import Dataset
from pydicom.errors import InvalidDicomError

from casebook_player.core.case.burned_text import text_like_area
from casebook_player.core.case.dicom_calibration import Calibration, Rectangle, calibration
from casebook_player.core.case.dicom_deid import DeidReport, deidentify
from casebook_player.core.case.dicom_pixels import PixelError, frames_8bit
from casebook_player.core.case.normalize import (
    Progress,
    add_h264_stream,
    constant_rate,
    encode_constant_rate,
    frames_out,
    quiet,
)
from casebook_player.core.printable import one_line

__all__ = ["FIRST_REGION_BAND", "DicomImport", "DicomImportError", "Rectangle", "import_dicom"]

FIRST_REGION_BAND = "band"  # mask the rows above the first ultrasound region
_WRITTEN = ("mp4", "png", "yaml")  # what an import writes for one file


class DicomImportError(Exception):
    """The file cannot be imported; the message says why."""


@dataclass(frozen=True)
class DicomImport:
    source: Path
    target: Path
    size: tuple[int, int]  # of the written picture (a clip padded to even sides)
    frames: int  # in the source
    frame_rate: Fraction | None  # None for a still
    duration: float | None  # seconds, None for a still
    calibration: Calibration
    deid: DeidReport
    masked: Rectangle | None
    mask_note: str = ""
    padded: tuple[int, int] = (0, 0)  # black columns, rows added at the right, bottom
    text_left: Rectangle | None = None  # text-like marks found outside the regions

    def summary(self) -> str:
        timing = (
            f"{float(self.frame_rate):.3f} fps, {self.duration:.3f} s"
            if self.frame_rate is not None and self.duration is not None
            else "still image"
        )
        lines = [
            f"{one_line(self.source.name)} -> {self.target.name}: {timing}",
            self.deid.summary(),
        ]
        if self.calibration.pixel_spacing_mm is None:
            lines.append(f"not calibrated: {self.calibration.reason}")
        if self.masked is not None:
            lines.append(f"masked rectangle {list(self.masked)}")
        elif self.mask_note:
            lines.append(self.mask_note)
        if any(self.padded):
            lines.append(
                f"padded to {self.size[0]}x{self.size[1]} (H.264 needs even sides): "
                f"{self.padded[0]} black column(s) at the right, {self.padded[1]} row(s) at "
                "the bottom; pixel positions and the calibration are unchanged"
            )
        if self.text_left is not None:
            lines.append(f"WARNING: {self.text_warning()}")
        return "\n".join(lines)

    def text_warning(self) -> str:
        assert self.text_left is not None
        box = ",".join(str(v) for v in self.text_left)
        return (
            f"{self.target.name}: text-like marks remain outside the ultrasound regions in "
            f"[{box.replace(',', ', ')}]; look at the picture and mask them (--mask {box}) "
            "if they are identifiers"
        )

    def snippet(self, case_folder_name: str) -> str:
        """The media entry for case.yaml, frame rate and duration as comments."""
        entry: dict[str, object] = {
            "id": self.target.stem,
            "kind": "image" if self.frame_rate is None else "clip",
            "file": f"{case_folder_name}/{self.target.name}",
        }
        if self.frame_rate is not None:
            entry["size"] = list(self.size)
        if self.calibration.pixel_spacing_mm is not None:
            entry["pixel_spacing_mm"] = self.calibration.pixel_spacing_mm
            entry["calibrated_regions"] = [list(r) for r in self.calibration.regions]
        text = yaml.safe_dump([entry], sort_keys=False, default_flow_style=None)
        if self.frame_rate is not None and self.duration is not None:
            text += f"  # {float(self.frame_rate):.3f} fps, {self.duration:.3f} s\n"
        if self.calibration.pixel_spacing_mm is None:
            text += f"  # not calibrated: {one_line(self.calibration.reason)}\n"
        return text


def free_stem(out_dir: Path, prefix: str = "us") -> str:
    """The first ``prefix-NNN`` that names no imported file in ``out_dir`` yet."""
    number = 1
    while any((out_dir / f"{prefix}-{number:03d}.{ext}").exists() for ext in _WRITTEN):
        number += 1
    return f"{prefix}-{number:03d}"


def import_dicom(
    source: Path,
    out_dir: Path,
    mask: Rectangle | str | None = None,
    uids: dict[str, str] | None = None,
    progress: Progress | None = None,
    stem: str | None = None,
) -> DicomImport:
    """Write ``source`` into ``out_dir`` as ``stem``.mp4 or .png (whole or not at all) and
    its snippet as ``stem``.yaml; raises DicomImportError. ``mask`` is a rectangle,
    FIRST_REGION_BAND or None. The name is never the source's (machines name files by
    patient, date or UID): ``stem``, or the next free ``us-NNN``."""
    try:
        dataset = dcmread(source)
    except (InvalidDicomError, OSError, ValueError) as exc:
        raise DicomImportError(f"{source}: not a DICOM file pydicom reads ({exc})") from None
    deid = deidentify(dataset, uids)
    calib = calibration(dataset)
    try:
        pixels = frames_8bit(dataset)
    except PixelError as exc:
        raise DicomImportError(f"{source}: {exc}") from None
    frames = pixels.shape[0]
    size = (int(pixels.shape[2]), int(pixels.shape[1]))
    rectangle, note = _mask_rectangle(mask, calib, size)
    if rectangle is not None:
        x0, y0, x1, y1 = rectangle
        pixels[:, y0:y1, x0:x1] = 0
    text_left = _text_left(pixels, calib.regions)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DicomImportError(f"{out_dir}: cannot write there ({exc})") from None
    still = frames == 1
    target = out_dir / f"{stem or free_stem(out_dir)}.{'png' if still else 'mp4'}"
    partial = target.with_name(f".{target.stem}.partial{target.suffix}")
    rate: Fraction | None = None
    duration: float | None = None
    padding = (0, 0)
    try:
        if still:
            _write_png(pixels[0], partial)
        else:
            times = _frame_times(source, dataset, frames)
            rate = constant_rate(times)
            count = frames_out(times, rate)
            duration = float(count / rate)
            pixels, padding = even_sides(pixels)
            _write_mp4(pixels, times, rate, count, partial, progress)
        os.replace(partial, target)
    except (av.error.FFmpegError, OSError, ValueError) as exc:
        raise DicomImportError(f"{source}: writing {target.name} failed ({exc})") from None
    finally:
        partial.unlink(missing_ok=True)
    written = (size[0] + padding[0], size[1] + padding[1])
    result = DicomImport(
        source, target, written, frames, rate, duration, calib, deid, rectangle, note,
        padding, text_left,
    )  # fmt: skip
    _write_snippet(result, out_dir)
    return result


def even_sides(pixels: np.ndarray) -> tuple[np.ndarray, tuple[int, int]]:
    """Frames padded with one black column at the right and/or row at the bottom where a
    side is odd (H.264 in yuv420p has a chroma sample per 2x2 pixels): no pixel moves, so
    the calibration and any caliper position stay valid; cropping would lose an edge."""
    columns, rows = pixels.shape[2] % 2, pixels.shape[1] % 2
    if not (columns or rows):
        return pixels, (0, 0)
    pad = [(0, 0), (0, rows), (0, columns)] + [(0, 0)] * (pixels.ndim - 3)
    return np.pad(pixels, pad), (columns, rows)


def _text_left(pixels: np.ndarray, regions: tuple[Rectangle, ...]) -> Rectangle | None:
    """Text-like marks outside the regions in the first or the middle frame (the overlay
    text is the same on every frame of a cine; two frames catch one that changes)."""
    for index in sorted({0, pixels.shape[0] // 2}):
        found = text_like_area(pixels[index], regions)
        if found is not None:
            return found
    return None


def _write_snippet(result: DicomImport, out_dir: Path) -> None:
    path = result.target.with_suffix(".yaml")
    header = f"# {result.target.name}: its media entry for case.yaml\n"
    try:
        path.write_text(header + result.snippet(out_dir.name), encoding="utf-8")
    except OSError as exc:
        raise DicomImportError(f"{path}: cannot write the snippet ({exc})") from None


def _frame_times(source: Path, dataset: Dataset, frames: int) -> list[float]:
    """Seconds from the first frame. FrameTimeVector holds each frame's increment (ms) from
    the one before (the first 0); FrameTime one increment for all; CineRate frames/s."""
    vector = dataset.get("FrameTimeVector")
    if vector is not None and len(vector) == frames:
        steps = [0.0, *(float(v) / 1000 for v in list(vector)[1:])]
    elif float(dataset.get("FrameTime") or 0) > 0:
        steps = [0.0] + [float(dataset.FrameTime) / 1000] * (frames - 1)
    elif float(dataset.get("CineRate") or 0) > 0:
        steps = [0.0] + [1 / float(dataset.CineRate)] * (frames - 1)
    else:
        raise DicomImportError(
            f"{source}: no frame timing (FrameTimeVector, FrameTime or CineRate) in the header"
        )
    if any(step <= 0 for step in steps[1:]):
        raise DicomImportError(f"{source}: the frame times do not increase")
    return [float(t) for t in np.cumsum(steps)]


def _mask_rectangle(
    mask: Rectangle | str | None, calib: Calibration, size: tuple[int, int]
) -> tuple[Rectangle | None, str]:
    width, height = size
    if mask is None:
        return None, ""
    if mask == FIRST_REGION_BAND:
        if not calib.first_region_top:
            return None, "not masked: no ultrasound region to mask above (give --mask X0,Y0,X1,Y1)"
        return (0, 0, width, min(height, int(calib.first_region_top))), ""
    assert not isinstance(mask, str)
    x0, y0, x1, y1 = mask
    if not (0 <= x0 < x1 <= width and 0 <= y0 < y1 <= height):
        raise DicomImportError(f"mask {list(mask)} is not inside the {width}x{height} picture")
    return mask, ""


def _as_frame(picture: np.ndarray) -> av.VideoFrame:
    return av.VideoFrame.from_ndarray(picture, format="rgb24" if picture.ndim == 3 else "gray")


def _write_png(picture: np.ndarray, path: Path) -> None:
    frame = _as_frame(picture)
    codec = av.CodecContext.create("png", "w")
    codec.width, codec.height, codec.pix_fmt = frame.width, frame.height, frame.format.name
    data = b"".join(bytes(packet) for packet in [*codec.encode(frame), *codec.encode(None)])
    path.write_bytes(data)


def _write_mp4(
    pixels: np.ndarray,
    times: list[float],
    rate: Fraction,
    count: int,
    path: Path,
    progress: Progress | None,
) -> None:
    decoded = ((time, _as_frame(picture)) for time, picture in zip(times, pixels, strict=True))
    with av.open(str(path), "w", format="mp4") as out:
        vout = add_h264_stream(out, rate, int(pixels.shape[2]), int(pixels.shape[1]))
        encode_constant_rate(decoded, rate, count, vout, out, progress or quiet)
