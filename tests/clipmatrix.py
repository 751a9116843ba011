"""Clips as item writers bring them, made at test time with PyAV (64x48, a second or two).

Each frame's picture carries its index in binary (eight black or white squares), so a test
can tell which frame it got back whatever the codec and its colour range.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from pathlib import Path
from typing import Any

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


def shown_as_due(times: Sequence[float], at: float, index: int, rate: float) -> bool:
    """Whether the frame shown at ``at`` in a clip converted to ``rate`` is the source frame
    due (``times`` sorted): the nearest in time among those due within half a frame (either
    one on a tie)."""
    if index >= len(times):
        return False
    start, half = times[0], 1 / (2 * rate)
    nearest = min(abs(t - start - at) for t in times if t - start <= at + half + 1e-9)
    return abs(times[index] - start - at) <= nearest + 1e-6


def stretched(arguments: dict[str, Any], seconds: float) -> dict[str, Any]:
    """A matrix kind's arguments with its frame pattern repeated to last about ``seconds``."""
    times = sorted(arguments["times"])
    span = times[-1] - times[0] + (times[1] - times[0])
    repeats = max(1, round(seconds / span))
    return {**arguments, "times": [t + k * span for k in range(repeats) for t in times]}


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


def shown(path: Path) -> list[tuple[float, int]]:
    """Each decoded frame's time (s) and the source frame index its picture carries."""
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        assert stream.time_base is not None
        return [
            (float(f.pts * stream.time_base), frame_index(f.to_ndarray(format="gray")))
            for f in container.decode(stream)
            if f.pts is not None
        ]


# The kinds of file item writers bring.
NTSC = 30000 / 1001
# Irregular intervals, the pattern repeated: frames 30 to 100 ms apart.
_PATTERN = [0, 0.04, 0.1, 0.13, 0.2, 0.3, 0.33, 0.4, 0.45, 0.5]
VFR = [t + 0.54 * k for k in range(4) for t in _PATTERN]
RATE_CHANGE = constant(30, 0.5) + [0.5 + t for t in constant(60, 0.5)]

# name: (make_clip arguments, what validate says: None when accepted as it is)
MATRIX: dict[str, tuple[dict[str, Any], str | None]] = {
    **{f"cfr{fps:g}.mp4": ({"times": constant(fps, 1.0)}, None) for fps in (24, 25, 30, 50, 60)},
    "ntsc-90000.mp4": ({"times": constant(NTSC, 1.0), "timescale": 90000}, None),
    "ntsc-30000.mov": (
        {"times": constant(NTSC, 1.0), "timescale": 30000, "container": "mov"},
        None,
    ),
    "ntsc-600.mov": (
        {"times": constant(NTSC, 1.0), "timescale": 600, "container": "mov"},
        "timescale that is not a multiple of the frame rate",
    ),
    "vfr.mp4": ({"times": VFR}, "variable frame rate"),
    "rate-change.mp4": ({"times": RATE_CHANGE}, "variable frame rate"),
    "late-start.mp4": ({"times": [0.5 + t for t in constant(25, 1.0)]}, "starts at 0.500 s"),
    "bframes.mp4": ({"times": constant(25, 1.0), "options": {"bf": "3", "g": "12"}}, None),
    "gop1.mp4": ({"times": constant(25, 1.0), "options": {"g": "1"}}, None),
    "gop250.mp4": ({"times": constant(25, 2.0), "options": {"g": "250"}}, None),
    "with-aac.mp4": ({"times": constant(25, 1.0), "audio": "aac"}, None),
    "with-mp3.mp4": ({"times": constant(25, 1.0), "audio": "libmp3lame"}, "not AAC"),
    "hevc.mp4": ({"times": constant(25, 1.0), "codec": "libx265"}, "video codec hevc"),
    "vp9.webm": (
        {"times": constant(25, 1.0), "codec": "libvpx-vp9", "container": "webm"},
        "video codec vp9",
    ),
    "av1.mp4": ({"times": constant(25, 1.0), "codec": "libsvtav1"}, "video codec av1"),
    "mjpeg.avi": (
        {"times": constant(25, 1.0), "codec": "mjpeg", "container": "avi", "pix_fmt": "yuvj420p"},
        "video codec mjpeg",
    ),
    "mpeg4.avi": (
        {"times": constant(25, 1.0), "codec": "mpeg4", "container": "avi", "tick": Fraction(1, 25)},
        "video codec mpeg4",
    ),
}
AUDIO = {
    "narration.m4a": ("aac", "mp4"),
    "narration.mp3": ("libmp3lame", "mp3"),
    "narration.ogg": ("libopus", "ogg"),
    "narration.wav": ("pcm_s16le", "wav"),
}
