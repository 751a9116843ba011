"""Convert a clip or a narration into the one form the player presents exactly.

That form (see probe.py): MP4, H.264 yuv420p without B-frames, at a constant frame rate on a
timescale that is a multiple of it, from 0, AAC audio; the picture size is kept. Any file FFmpeg
decodes goes in (AVI, MOV, MKV, WebM, variable frame rate MP4, AV1, HEVC…). To reach a
constant rate each output frame shows the input frame nearest its time (among those due
within half a frame), so some input frames are shown twice or not at all; the report says
how many and the largest shift in time of a frame shown.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from fractions import Fraction
from itertools import pairwise
from pathlib import Path

import av
import av.error

from casebook_player.core.case.probe import ProbeError, main_video_stream, packet_times, seconds

# The rates cameras and exporters mean; a measured mean rate this close is one of them.
COMMON_RATES = (
    *(Fraction(r) for r in (24, 25, 30, 48, 50, 60, 120)),
    *(Fraction(r, 1001) for r in (24000, 30000, 60000)),
)
_RATE_TOLERANCE = 0.01  # relative
AUDIO_RATE = 48000
Progress = Callable[[float], None]


class NormalizeError(Exception):
    """The file cannot be converted; the message says why."""


@dataclass(frozen=True)
class NormalizeReport:
    source: Path
    target: Path
    frame_rate: Fraction | None  # None for audio only
    frames_in: int
    frames_out: int
    duplicated: int  # output frames repeating the frame before
    dropped: int  # input frames never shown
    largest_shift_ms: float  # the most a frame shown moved in time

    def summary(self) -> str:
        if self.frame_rate is None:
            return f"{self.source.name} -> {self.target.name}: audio as AAC"
        return (
            f"{self.source.name} -> {self.target.name}: {float(self.frame_rate):.3f} fps, "
            f"{self.frames_out} frames ({self.duplicated} duplicated, {self.dropped} dropped), "
            f"largest timing change {self.largest_shift_ms:.1f} ms"
        )


def target_path(source: Path, out_dir: Path, video: bool) -> Path:
    return out_dir / f"{source.stem}.{'mp4' if video else 'm4a'}"


def normalize(source: Path, out_dir: Path, progress: Progress | None = None) -> NormalizeReport:
    """Write the converted file into ``out_dir`` (never over ``source``); raises
    NormalizeError. The file appears whole or not at all."""
    try:
        with av.open(str(source)) as probe:
            video = main_video_stream(probe)
            has_audio = bool(probe.streams.audio)
            ticks = packet_times(probe, video) if video is not None else []
            frames = [seconds(tick, video.time_base) for tick in ticks] if video is not None else []
    except (av.error.FFmpegError, OSError, ValueError, ProbeError) as exc:
        raise NormalizeError(f"{source}: FFmpeg cannot read it ({exc})") from None
    if video is None and not has_audio:
        raise NormalizeError(f"{source}: no video or audio to convert")
    target = target_path(source, out_dir, video is not None)
    if target.resolve() == source.resolve():
        raise NormalizeError(f"{source}: the converted file would replace it; choose another --out")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise NormalizeError(f"{out_dir}: cannot write there ({exc})") from None
    partial = target.with_name(f".{target.stem}.partial{target.suffix}")
    try:
        report = _convert(source, partial, target, frames, has_audio, progress or quiet)
        os.replace(partial, target)
    except (av.error.FFmpegError, OSError, ValueError, ProbeError) as exc:
        raise NormalizeError(f"{source}: conversion failed ({exc})") from None
    finally:
        partial.unlink(missing_ok=True)
    return report


def constant_rate(times: list[float]) -> Fraction:
    """The frame rate a clip with frames at ``times`` (seconds, sorted) is meant to have,
    snapped to the nearest common rate: the mean rate when the intervals only jitter (times
    rounded to a coarse timescale), else the typical (median) interval's."""
    intervals = sorted(b - a for a, b in pairwise(times) if b > a)
    if not intervals:
        return Fraction(25)
    if intervals[-1] <= intervals[0] * 1.1:
        typical = len(intervals) / (times[-1] - times[0])
    else:
        typical = 1 / intervals[len(intervals) // 2]
    nearest = min(COMMON_RATES, key=lambda rate: abs(float(rate) - typical))
    if abs(float(nearest) - typical) / float(nearest) < _RATE_TOLERANCE:
        return nearest
    return Fraction(typical).limit_denominator(1001)


def frames_out(times: list[float], rate: Fraction) -> int:
    """How many frames at ``rate`` cover frames at ``times`` (sorted), the last one shown
    for a whole frame."""
    end = times[-1] - times[0] + 1 / float(rate)
    return max(1, round(end * rate))


def quiet(_fraction: float) -> None:
    """Progress that nobody watches."""


def _convert(
    source: Path,
    partial: Path,
    target: Path,
    input_times: list[float],
    has_audio: bool,
    progress: Progress,
) -> NormalizeReport:
    times = sorted(input_times)
    start = times[0] if times else 0.0
    rate = constant_rate(times) if times else None
    with av.open(str(source)) as inp, av.open(str(partial), "w", format="mp4") as out:
        # Every stream is added before anything is written.
        aout = out.add_stream("aac", rate=AUDIO_RATE) if has_audio else None
        if rate is None:
            assert aout is not None
            _copy_audio(source, start, aout, out, progress)
            return NormalizeReport(source, target, None, 0, 0, 0, 0, 0.0)
        count = frames_out(times, rate)
        vin = main_video_stream(inp)
        assert vin is not None  # the first pass found it
        vout = add_h264_stream(out, rate, vin.width, vin.height)
        decoded = _decoded(inp, vin, start)
        shown, shifts = encode_constant_rate(decoded, rate, count, vout, out, progress)
        if aout is not None:
            _copy_audio(source, start, aout, out, quiet)
    return NormalizeReport(
        source,
        target,
        rate,
        len(times),
        count,
        count - len(shown),
        len(times) - len(shown),
        max(shifts, default=0.0) * 1000,
    )


def add_h264_stream(
    out: av.container.OutputContainer, rate: Fraction, width: int, height: int
) -> av.video.stream.VideoStream:
    """The video stream of the presented form: H.264 yuv420p, no B-frames, ticks of 1/rate."""
    vout = out.add_stream("libx264", rate=rate)
    vout.width, vout.height, vout.pix_fmt = width, height, "yuv420p"
    vout.codec_context.time_base = 1 / rate
    vout.options = {"preset": "medium", "crf": "18", "bf": "0"}
    return vout


def encode_constant_rate(
    decoded: Iterator[tuple[float, av.VideoFrame]],
    rate: Fraction,
    count: int,
    vout: av.video.stream.VideoStream,
    out: av.container.OutputContainer,
    progress: Progress,
) -> tuple[set[float], list[float]]:
    """Encode ``count`` frames from ``decoded`` (time from the first in seconds, frame, in
    order): output frame i shows the input frame nearest to i / rate among those due by then
    or within half a frame, so timestamps rounded in the source do not shift a frame, and no
    picture appears more than half a frame before its time. Returns the input times shown
    and how far each moved."""
    shown: set[float] = set()
    shifts: list[float] = []
    current = next(decoded, None)
    following = next(decoded, None)
    early = float(1 / (2 * rate))
    for index in range(count):
        at = float(index / rate)
        # On to the next source frame while it is nearer, but never one due more than half a
        # frame later: a later picture is never shown early (on a tie the earlier one stays).
        while (
            following is not None
            and following[0] <= at + early
            and (current is None or abs(following[0] - at) < abs(current[0] - at) - 1e-9)
        ):
            current, following = following, next(decoded, None)
        if current is None:
            break
        time, frame = current
        if time not in shown:
            shown.add(time)
            shifts.append(abs(at - time))
        picture = frame.reformat(format="yuv420p")
        picture.pts, picture.time_base = index, 1 / rate
        out.mux(vout.encode(picture))
        progress((index + 1) / count)
    out.mux(vout.encode(None))
    return shown, shifts


def _decoded(
    inp: av.container.InputContainer, vin: av.video.stream.VideoStream, start: float
) -> Iterator[tuple[float, av.VideoFrame]]:
    """Decoded frames (decoders give them in presentation order), timed from the first."""
    for frame in inp.decode(vin):
        if frame.pts is not None:
            yield seconds(frame.pts, vin.time_base) - start, frame


def _copy_audio(
    source: Path,
    start: float,
    aout: av.audio.stream.AudioStream,
    out: av.container.OutputContainer,
    progress: Progress,
) -> None:
    """The audio as AAC, moved by the same ``start`` as the video so they stay in step."""
    resampler = av.AudioResampler(format="fltp", layout="stereo", rate=AUDIO_RATE, frame_size=1024)
    with av.open(str(source)) as inp:
        ain = inp.streams.audio[0]
        total = inp.duration / av.time_base if inp.duration else 0.0
        written: int | None = None
        for frame in inp.decode(ain):
            if written is None:
                first = seconds(frame.pts, ain.time_base) if frame.pts is not None else start
                written = max(0, round((first - start) * AUDIO_RATE))
            for chunk in resampler.resample(frame):
                chunk.pts, chunk.time_base = written, Fraction(1, AUDIO_RATE)
                written += chunk.samples
                out.mux(aout.encode(chunk))
            if total:
                progress(min(1.0, written / AUDIO_RATE / total))
        written = written or 0
        for chunk in resampler.resample(None):
            chunk.pts, chunk.time_base = written, Fraction(1, AUDIO_RATE)
            written += chunk.samples
            out.mux(aout.encode(chunk))
    out.mux(aout.encode(None))
