"""Encoding frames and stills with ffmpeg (H.264 clips for looping cine, PNG stills)."""

from __future__ import annotations

import subprocess
from collections.abc import Iterable
from pathlib import Path

import numpy as np

FPS = 25


def encode_clip(path: Path, frames: Iterable[np.ndarray], fps: int = FPS, crf: int = 29) -> None:
    """Grey frames → H.264 yuv420p MP4 without audio, moov atom first (+faststart).

    One encoder thread and bit-exact flags keep the output byte-identical between runs.
    """
    frames = list(frames)
    h, w = frames[0].shape
    path.parent.mkdir(parents=True, exist_ok=True)
    cmd = [
        "ffmpeg", "-y", "-loglevel", "error",
        "-f", "rawvideo", "-pix_fmt", "gray", "-s", f"{w}x{h}", "-r", str(fps), "-i", "-",
        "-an", "-c:v", "libx264", "-preset", "slow", "-crf", str(crf), "-pix_fmt", "yuv420p",
        "-threads", "1", "-x264-params", "keyint=250:min-keyint=25",
        "-movflags", "+faststart", "-map_metadata", "-1",
        "-fflags", "+bitexact", "-flags:v", "+bitexact", str(path),
    ]  # fmt: skip
    data = b"".join(np.ascontiguousarray(f, dtype=np.uint8).tobytes() for f in frames)
    subprocess.run(cmd, input=data, check=True)


def probe_duration(path: Path) -> float:
    """Container duration in seconds, as ffprobe reports it."""
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", str(path)],
        check=True,
        capture_output=True,
        text=True,
    )
    return float(out.stdout.strip())
