"""What a media file really holds, read by FFmpeg (PyAV): container, codecs, frame times.

The player pauses a clip on an exact frame by its presentation time, and is proven on one
form: MP4 or MOV, H.264 video at a constant frame rate whose frames fall on whole ticks of
the file's timescale, starting at 0, AAC audio if any. `presentation_problems` says what a
file lacks of that form; `casebook media normalize` converts a file into it.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from itertools import pairwise
from pathlib import Path

import av
import av.error

PLAYABLE_CONTAINERS = frozenset({"mov", "mp4", "m4a", "3gp", "3g2", "mj2"})
PLAYABLE_VIDEO_CODECS = frozenset({"h264"})
PLAYABLE_AUDIO_CODECS = frozenset({"aac"})
# Audio-only narration as authors bring it: FFmpeg's codec names the backends play.
PLAYABLE_AUDIO_ONLY = frozenset({"aac", "mp3", "vorbis", "opus", "flac"}) | {
    f"pcm_{kind}" for kind in ("s16le", "s24le", "s32le", "f32le", "u8")
}
# A start this close to 0 is 0 (one tick of a 90 kHz clock, rounding in muxers).
_START_SLACK_S = 0.001


class ProbeError(Exception):
    """FFmpeg cannot read the file at all."""


@dataclass(frozen=True)
class MediaProbe:
    container: str  # FFmpeg's demuxer names, e.g. "mov,mp4,m4a,3gp,3g2,mj2"
    video_codec: str | None
    audio_codec: str | None
    timescale: int | None  # ticks per second of the video stream's timestamps
    intervals: tuple[int, ...]  # the distinct frame intervals, in ticks, smallest first
    frames: int
    start: float  # seconds: the first presented frame (or audio sample)
    duration: float | None
    decodable: bool  # the first and the last frame decode
    decode_error: str = ""

    @property
    def constant_rate(self) -> bool:
        return len(self.intervals) <= 1


def probe_media(path: Path) -> MediaProbe:
    """Read ``path`` through FFmpeg: every video packet's timestamp, and the first and last
    frame decoded. Raises ProbeError when FFmpeg cannot open it."""
    try:
        container = av.open(str(path))
    except (av.error.FFmpegError, OSError, ValueError) as exc:
        raise ProbeError(f"FFmpeg cannot read it ({exc})") from None
    with container:
        video = main_video_stream(container)
        audio = next(iter(container.streams.audio), None)
        duration = container.duration / av.time_base if container.duration else None
        if video is None:
            start = seconds(audio.start_time, audio.time_base) if audio and audio.start_time else 0
            decodable, error = _audio_decodes(container, audio)
            return MediaProbe(
                container.format.name, None, _codec(audio),
                None, (), 0, start, duration, decodable, error,
            )  # fmt: skip
        times = packet_times(container, video)
        decodable, error = _video_decodes(path, video.index, times)
        timescale = video.time_base.denominator if video.time_base else None
        if video.time_base and video.time_base.numerator != 1 and timescale:
            timescale = None  # not a plain 1/N clock: no whole-tick rule to check
        intervals = tuple(sorted({b - a for a, b in pairwise(times)}))
        start = seconds(times[0], video.time_base) if times else 0.0
        return MediaProbe(
            container.format.name,
            _codec(video),
            _codec(audio),
            timescale,
            intervals,
            len(times),
            start,
            duration,
            decodable,
            error,
        )


def presentation_problems(probe: MediaProbe, name: str, video_expected: bool) -> list[str]:
    """What keeps the player from presenting the file exactly, each with the fix."""
    fix = f"run `casebook media normalize {name} --out DIR` and use the converted file"
    problems = []
    if not probe.decodable:
        problems.append(f"'{name}' does not decode to its end ({probe.decode_error}): {fix}")
    if probe.video_codec is None:
        if video_expected:
            problems.append(f"'{name}' holds no video")
        elif probe.audio_codec not in PLAYABLE_AUDIO_ONLY:
            problems.append(f"'{name}': audio codec {probe.audio_codec} is not played: {fix}")
        return problems
    containers = set(probe.container.split(","))
    if not containers & PLAYABLE_CONTAINERS:
        problems.append(f"'{name}': container {probe.container} is not MP4 or MOV: {fix}")
    if probe.video_codec not in PLAYABLE_VIDEO_CODECS:
        problems.append(
            f"'{name}': video codec {probe.video_codec}; pauses are exact only on H.264: {fix}"
        )
    if probe.audio_codec is not None and probe.audio_codec not in PLAYABLE_AUDIO_CODECS:
        problems.append(f"'{name}': audio codec {probe.audio_codec} is not AAC: {fix}")
    if not probe.constant_rate and probe.timescale:
        low, high = probe.intervals[0], probe.intervals[-1]
        if high - low == 1:
            problems.append(
                f"'{name}': frame times are rounded to a 1/{probe.timescale} s timescale "
                f"that is not a multiple of the frame rate, so frames fall {low} or {high} "
                f"ticks apart: {fix}"
            )
        else:
            ms = [round(1000 * i / probe.timescale, 1) for i in (low, high)]
            problems.append(
                f"'{name}': variable frame rate (frames {ms[0]:g} to {ms[1]:g} ms apart): {fix}"
            )
    if abs(probe.start) > _START_SLACK_S:
        problems.append(f"'{name}': the video starts at {probe.start:.3f} s, not at 0: {fix}")
    return problems


def seconds(ticks: int, base: Fraction | None) -> float:
    """``ticks`` of a stream's clock in seconds (every stream FFmpeg reads has a clock)."""
    if base is None:
        raise ProbeError("a stream has no time base")
    return float(ticks * base)


def _codec(stream: av.stream.Stream | None) -> str | None:
    """The format's name (``av1``), not the decoder's (``libdav1d``)."""
    return stream.codec_context.codec.canonical_name if stream is not None else None


def main_video_stream(container: av.container.InputContainer) -> av.VideoStream | None:
    """The container's picture, not its cover art (an attached still)."""
    return next((s for s in container.streams.video if not is_cover_art(s)), None)


def is_cover_art(stream: av.stream.Stream) -> bool:
    return bool(stream.disposition & av.stream.Disposition.attached_pic)


def packet_times(
    container: av.container.InputContainer, video: av.video.stream.VideoStream
) -> list[int]:
    """Every video frame's presentation time, in stream ticks, in presentation order."""
    times = [
        packet.pts for packet in container.demux(video) if packet.pts is not None and packet.size
    ]
    return sorted(times)


@dataclass(frozen=True)
class FrameTable:
    """When each video frame is presented: ``starts`` in ms from the start of the media (its
    earliest stream), which lies ``origin`` ms after timestamp 0."""

    origin: float = 0.0
    starts: tuple[float, ...] = ()


def frame_table(path: Path) -> FrameTable:
    """Every video frame's presentation time; empty when the file has no video or FFmpeg
    cannot read it."""
    try:
        with av.open(str(path)) as container:
            video = main_video_stream(container)
            if video is None or video.time_base is None:
                return FrameTable()
            base = video.time_base
            times = packet_times(container, video)
            start = container.start_time  # µs (AV_TIME_BASE), the earliest of all streams
    except (av.error.FFmpegError, OSError, ValueError):
        return FrameTable()
    if not times:
        return FrameTable()
    origin = start / av.time_base if start is not None else seconds(times[0], base)
    starts = tuple(1000 * (seconds(t, base) - origin) for t in times)
    return FrameTable(1000 * origin, starts)


def _video_decodes(path: Path, index: int, times: list[int]) -> tuple[bool, str]:
    if not times:
        return False, "no video frames"
    try:
        with av.open(str(path)) as container:
            stream = container.streams[index]
            if next(container.decode(stream), None) is None:
                return False, "the first frame does not decode"
            container.seek(times[-1], stream=stream, backward=True, any_frame=False)
            last = None
            for frame in container.decode(stream):
                last = frame
            if last is None or last.pts is None or last.pts < times[-1]:
                return False, "the last frame does not decode"
    except (av.error.FFmpegError, OSError, ValueError) as exc:
        return False, str(exc)
    return True, ""


def _audio_decodes(
    container: av.container.InputContainer, audio: av.audio.stream.AudioStream | None
) -> tuple[bool, str]:
    if audio is None:
        return False, "no audio or video"
    try:
        if next(container.decode(audio), None) is None:
            return False, "no audio decodes"
    except (av.error.FFmpegError, ValueError) as exc:
        return False, str(exc)
    return True, ""
