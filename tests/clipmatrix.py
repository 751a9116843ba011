"""Clips as item writers bring them, made at test time with PyAV (64x48, a second or two).

Each frame's picture carries its index in binary (eight black or white squares), so a test
can tell which frame it got back whatever the codec and its colour range.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from pathlib import Path

import av
import numpy as np

WIDTH, HEIGHT = 64, 48


BITS = 8
_SQUARE = WIDTH // BITS


def frame_picture(index: int) -> np.ndarray:
    pixels = np.full((HEIGHT, WIDTH, 3), 128, np.uint8)
    for bit in range(BITS):
        value = 255 if index >> bit & 1 else 0
        pixels[16:32, bit * _SQUARE : (bit + 1) * _SQUARE] = value
    return pixels


def frame_index(gray: np.ndarray) -> int:
    """The index a decoded frame's picture (grey levels) carries."""
    centre = [gray[24, bit * _SQUARE + _SQUARE // 2] for bit in range(BITS)]
    return sum(1 << bit for bit, level in enumerate(centre) if level > 128)


def constant(fps: float, seconds: float) -> list[float]:
    return [i / fps for i in range(round(seconds * fps))]


def make_clip(
    path: Path,
    times: Sequence[float],
    codec: str = "libx264",
    container: str = "mp4",
    timescale: int | None = None,
    audio: str | None = None,
    pix_fmt: str = "yuv420p",
    options: dict[str, str] | None = None,
    tick: Fraction = Fraction(1, 90000),
) -> Path:
    """A clip with a frame at each of ``times`` (seconds), in ``container`` by ``codec``;
    ``timescale`` sets the MP4/MOV track's ticks per second."""
    mux_options = {"video_track_timescale": str(timescale)} if timescale else {}
    base = Fraction(1, timescale) if timescale else tick
    with av.open(str(path), "w", format=container, options=mux_options) as out:
        rate = Fraction(round(1 / (times[1] - times[0]))) if len(times) > 1 else Fraction(25)
        stream = out.add_stream(codec, rate=rate, options=options or {})
        stream.width, stream.height, stream.pix_fmt = WIDTH, HEIGHT, pix_fmt
        stream.codec_context.time_base = base
        sound = out.add_stream(audio, rate=48000) if audio else None
        for i, t in enumerate(times):
            frame = av.VideoFrame.from_ndarray(frame_picture(i), format="rgb24")
            frame = frame.reformat(format=pix_fmt)
            frame.pts, frame.time_base = round(t / base), base
            out.mux(stream.encode(frame))
        out.mux(stream.encode(None))
        if sound is not None:
            _tone(out, sound, times[-1] + 0.04)
    return path


def make_audio(path: Path, codec: str, container: str, seconds: float = 1.0) -> Path:
    with av.open(str(path), "w", format=container) as out:
        _tone(out, out.add_stream(codec, rate=48000), seconds)
    return path


def _tone(out: av.container.OutputContainer, stream: av.audio.stream.AudioStream, s: float) -> None:
    size = stream.codec_context.frame_size or 1024
    layout = "mono"
    total = int(s * 48000)
    fmt = stream.codec_context.format.name if stream.codec_context.format else "fltp"
    for start in range(0, total, size):
        n = min(size, total - start)
        t = (np.arange(start, start + n) / 48000.0).astype(np.float32)
        samples = (0.2 * np.sin(2 * np.pi * 440 * t)).astype(np.float32)[None, :]
        frame = av.AudioFrame.from_ndarray(samples, format="fltp", layout=layout)
        frame.sample_rate, frame.pts = 48000, start
        if fmt != "fltp":
            frame = av.AudioResampler(format=fmt, layout=layout, rate=48000).resample(frame)[0]
            frame.pts = start
        out.mux(stream.encode(frame))
    out.mux(stream.encode(None))
