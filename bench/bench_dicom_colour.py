"""YBR to RGB for a realistic ultrasound cine: the whole array at once or frame by frame.

    .venv/bin/python bench/bench_dicom_colour.py [--frames 100] [--width 800] [--height 600]
        [--rounds 5]

Not a test: numbers depend on the machine. A YBR_FULL_422 cine (uncompressed, made with
tests/dicomfactory.py) is turned into RGB four ways, in alternating rounds so each ratio is
measured under the same load:

- whole: pydicom's pixel_array with as_rgb over all frames, one vectorised conversion of
  the whole cine;
- the import: core/case/dicom_pixels.frames_8bit, pydicom's vectorised conversion frame by
  frame (pixel_array(index=i, as_rgb=True)) into one preallocated array;
- per frame (convert): the raw YBR frames decoded once, convert_color_space frame by frame;
- per frame (swscale): each YBR frame through FFmpeg's scaler (PyAV reformat), as a
  frame-by-frame video pipeline would.

It prints each way's time per round and its ratio to "whole".
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import av
import numpy as np
from benchlib import format_distribution, header
from dicomfactory import write_us
from pydicom import dcmread
from pydicom.dataset import Dataset
from pydicom.pixels import convert_color_space, pixel_array

from casebook_player.core.case.dicom_pixels import frames_8bit


def cine(width: int, height: int, frames: int) -> np.ndarray:
    """Speckle in grey with a coloured (Doppler-like) box: realistic content for YBR."""
    rng = np.random.default_rng(1)
    grey = rng.integers(0, 200, (frames, height, width, 1), dtype=np.uint8)
    pixels = np.repeat(grey, 3, axis=3)
    pixels[:, height // 3 : height // 2, width // 3 : width // 2] = (200, 40, 30)
    return pixels


def ways(dataset: Dataset) -> dict[str, Callable[[], object]]:
    raw = pixel_array(dataset, raw=True)  # YBR as stored, 4:2:2 expanded by pydicom

    def per_frame_swscale() -> object:
        out = []
        for picture in raw:
            planes = np.ascontiguousarray(picture.transpose(2, 0, 1))
            frame = av.VideoFrame.from_ndarray(planes, format="yuv444p")
            out.append(frame.reformat(format="rgb24").to_ndarray())
        return out

    return {
        "whole": lambda: pixel_array(dataset, as_rgb=True),
        "the import": lambda: frames_8bit(dataset),
        "per frame (convert)": lambda: [
            convert_color_space(picture, "YBR_FULL", "RGB") for picture in raw
        ],
        "per frame (swscale)": per_frame_swscale,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=100)
    parser.add_argument("--width", type=int, default=800)
    parser.add_argument("--height", type=int, default=600)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    header(f"YBR_FULL_422 to RGB, {args.frames} frames of {args.width}x{args.height}")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "cine.dcm"
        pixels = cine(args.width, args.height, args.frames)
        write_us(path, pixels=pixels, photometric="YBR_FULL_422")
        dataset = dcmread(path)
        candidates = ways(dataset)
        times: dict[str, list[float]] = {name: [] for name in candidates}
        for _ in range(args.rounds):
            for name, run in candidates.items():
                start = time.perf_counter()
                run()
                times[name].append(time.perf_counter() - start)
    whole = sorted(times["whole"])[len(times["whole"]) // 2]
    for name, values in times.items():
        median = sorted(values)[len(values) // 2]
        print(format_distribution(name, values, "s"), f"  {median / whole:5.1f}x whole")


if __name__ == "__main__":
    main()
