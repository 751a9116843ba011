"""Submitted videos through FFmpeg (PyAV): what the container really is, how long it lasts,
whether every frame decodes, and a copy without metadata.

Containers are never parsed by hand: FFmpeg's demuxers, decoders and MP4 muxer do the work.
The clean copy is a remux (packets copied, nothing re-encoded, so the images are bit for bit
the same) into a fresh MP4 written with no metadata at all: no creation time, location,
make, model, serial number, title or encoder name; handler names are FFmpeg's generic ones.
Only video and audio streams are copied; data, subtitle and cover-art streams are dropped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import av
import av.error
from av.container import InputContainer

from casebook_player.core.case.probe import is_cover_art, main_video_stream
from casebook_player.core.submissions.metadata import Removed

# FFmpeg names one demuxer for the whole ISO base media family; the brand tells them apart.
_ISO_FAMILY = "mov,mp4,m4a,3gp,3g2,mj2"
_NOT_MP4_BRANDS = {"qt": "QuickTime (.mov)", "3g": "3GPP (.3gp)", "m4a": "MPEG-4 audio (.m4a)"}
_FORMAT_NAMES = {
    "matroska,webm": "Matroska/WebM (.mkv, .webm)",
    "avi": "AVI",
    "mpeg": "MPEG program stream",
    "mpegts": "MPEG transport stream",
    "asf": "Windows Media (.wmv)",
    "flv": "Flash video",
    "gif": "GIF animation",
}
# Written by the MP4 muxer itself, identifying nobody.
_STRUCTURAL = frozenset({"major_brand", "minor_version", "compatible_brands"})
_GENERIC_STREAM_TAGS = frozenset(
    {
        ("language", "und"),
        ("handler_name", "VideoHandler"),
        ("handler_name", "SoundHandler"),
        ("vendor_id", "[0][0][0][0]"),
    }
)
_CLEAN_OPTIONS = {"fflags": "+bitexact", "movflags": "+faststart"}


class MediaError(Exception):
    """FFmpeg cannot use the file at all; the message says why in plain words."""


@dataclass(frozen=True)
class VideoFacts:
    container: str  # a readable name: "MP4 (brand isom)", "AVI", ...
    is_mp4: bool
    duration: float | None  # seconds
    width: int
    height: int
    codec: str
    frames_expected: int  # 0 when the container does not say
    frames_decoded: int
    decode_error: str | None
    metadata: tuple[Removed, ...] = field(default=())  # what a clean copy leaves out


def inspect_video(path: Path) -> VideoFacts:
    """Open, identify and fully decode the video; MediaError when FFmpeg cannot open it."""
    container = _open(path)
    with container:
        stream = main_video_stream(container)
        if stream is None:
            raise MediaError(
                "it holds no video stream (a truncated MP4 loses the index that lists them)"
            )
        name, is_mp4 = _container_name(container)
        duration = _duration(container, stream)
        decoded, error = _decode_all(container, stream)
        return VideoFacts(
            container=name,
            is_mp4=is_mp4,
            duration=duration,
            width=stream.codec_context.width,
            height=stream.codec_context.height,
            codec=stream.codec_context.name,
            frames_expected=stream.frames,
            frames_decoded=decoded,
            decode_error=error,
            metadata=tuple(_metadata(container)),
        )


def write_clean_copy(source: Path, target: Path) -> list[Removed]:
    """Remux ``source`` into an MP4 at ``target`` with no metadata; what was left out.

    The copy is opened again and checked: if FFmpeg finds any metadata left, MediaError.
    """
    removed: list[Removed] = []
    src = _open(source)
    try:
        with src, av.open(str(target), "w", format="mp4", options=_CLEAN_OPTIONS) as out:
            mapping = {}
            for stream in src.streams:
                kind = f"stream #{stream.index} ({stream.type})"
                if stream.type not in ("video", "audio") or is_cover_art(stream):
                    what = "cover art" if is_cover_art(stream) else f"{stream.type} stream"
                    removed.append(Removed(kind, f"whole {what} dropped"))
                    continue
                mapping[stream.index] = out.add_stream_from_template(stream)
            removed += _metadata(src)
            for packet in src.demux(*[src.streams[i] for i in mapping]):
                if packet.dts is None:
                    continue  # the demuxer's end-of-stream marker
                packet.stream = mapping[packet.stream.index]
                out.mux(packet)
    except av.error.FFmpegError as exc:
        target.unlink(missing_ok=True)
        raise MediaError(f"cannot copy it without metadata: {_plain(exc)}") from None
    check = _open(target)
    with check:
        left = _metadata(check)
    if left:
        target.unlink(missing_ok=True)
        raise MediaError(f"metadata is still there after cleaning: {left[0].where} {left[0].key}")
    return sorted(set(removed))


def _open(path: Path) -> InputContainer:
    try:
        container = av.open(str(path), "r")
    except av.error.FFmpegError as exc:
        raise MediaError(f"FFmpeg cannot read it: {_plain(exc)}") from None
    if not isinstance(container, InputContainer):  # pragma: no cover - "r" always gives input
        raise MediaError("FFmpeg cannot read it")
    return container


def _container_name(container: InputContainer) -> tuple[str, bool]:
    name = container.format.name
    if name == _ISO_FAMILY:
        brand = container.metadata.get("major_brand", "").strip()
        for prefix, readable in _NOT_MP4_BRANDS.items():
            if brand.lower().startswith(prefix):
                return readable, False
        if not brand:
            return "QuickTime (.mov, no file type box)", False
        return f"MP4 (brand {brand})", True
    return _FORMAT_NAMES.get(name, name), False


def _duration(container: InputContainer, stream: av.VideoStream) -> float | None:
    if stream.duration is not None and stream.time_base is not None:
        return float(stream.duration * stream.time_base)
    if container.duration is not None:
        return container.duration / av.time_base
    return None


def _decode_all(container: InputContainer, stream: av.VideoStream) -> tuple[int, str | None]:
    """How many frames decode, and the first decoding error (with where it happened)."""
    decoded = 0
    last_time = 0.0
    try:
        for packet in container.demux(stream):
            for frame in packet.decode():
                decoded += 1
                if frame.time is not None:
                    last_time = frame.time
    except av.error.FFmpegError as exc:
        return decoded, f"at {last_time:.1f} s after {decoded} frames: {_plain(exc)}"
    return decoded, None


def _metadata(container: InputContainer) -> list[Removed]:
    """Every metadata value a clean copy leaves out (the MP4 muxer's own fields excepted)."""
    found = [
        Removed("container", key, str(value))
        for key, value in container.metadata.items()
        if key not in _STRUCTURAL
    ]
    for stream in container.streams:
        where = f"stream #{stream.index} ({stream.type})"
        found += [
            Removed(where, key, str(value))
            for key, value in stream.metadata.items()
            if (key, value) not in _GENERIC_STREAM_TAGS
        ]
    return found


def _plain(exc: av.error.FFmpegError) -> str:
    """FFmpeg's message without the errno and the call that failed."""
    return str(exc.strerror or exc).rstrip(".")
