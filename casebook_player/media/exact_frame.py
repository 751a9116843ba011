"""The file's own frame at a time, decoded by FFmpeg (PyAV) off the GUI thread.

The libvlc backend shows this as its paused picture: libvlc 3 labels nothing it shows with a
timestamp, so a picture it paused on may be a frame off; this one is the frame whose
[pts, next pts) holds the time, by the same frame times the player counts in (frames.py).
Decoding runs from the keyframe before it, up to ~200 ms for 1080p with a 2 s GOP
(measured), so it runs on the thread pool and hands the picture back through a queued signal.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import av
from PySide6.QtCore import QObject, QThreadPool, Signal
from PySide6.QtGui import QImage

from casebook_player.core.case.probe import main_video_stream
from casebook_player.media.frames import FrameTimes

# A frame's time as read back here and as FrameTimes holds it differ by float rounding only.
_EPSILON_MS = 0.01
# Where seeking to the time lands after it (a keyframe whose decoding time is earlier than its
# presentation time), decode again from this much earlier, and then from the start.
_FURTHER_BACK_MS = (1000.0, None)

SizeRule = Callable[[int, int], tuple[int, int]]  # (width, height) of the frame -> picture


class ExactFrameError(Exception):
    """The frame could not be decoded; the message says why."""


def decode_frame(path: Path, index: int, times: FrameTimes, size: SizeRule) -> QImage:
    """Frame `index` of `path` (its start in `times`) as RGB32 at `size(width, height)`."""
    target = times.time(index) + times.origin  # ms from timestamp 0, as the file counts
    try:
        with av.open(str(path)) as container:
            stream = main_video_stream(container)
            if stream is None or stream.time_base is None:
                raise ExactFrameError("no video stream")
            stream.codec_context.thread_count = 1  # one core stays for libvlc and the GUI
            base = float(stream.time_base)
            found = None
            for back in (0.0, *_FURTHER_BACK_MS):
                start = 0.0 if back is None else max(0.0, target - back)
                container.seek(round(start / 1000 / base), stream=stream, backward=True)
                found = _last_frame_by(container, stream, target, base)
                if found is not None and abs(found[1] - target) < _EPSILON_MS:
                    break
            if found is None:
                raise ExactFrameError(f"no frame decodes at {target:.0f} ms")
            return _picture(found[0], size)
    except (av.error.FFmpegError, OSError, ValueError) as exc:
        raise ExactFrameError(str(exc)) from exc


def _last_frame_by(
    container: av.container.InputContainer,
    stream: av.video.stream.VideoStream,
    target_ms: float,
    base: float,
) -> tuple[av.VideoFrame, float] | None:
    """The last frame decoded from here on that starts at or before `target_ms`, and its
    start in ms."""
    last = None
    for frame in container.decode(stream):
        if frame.pts is None:
            continue
        ms = 1000 * frame.pts * base
        if ms > target_ms + _EPSILON_MS:
            break
        last = (frame, ms)
    return last


def _picture(frame: av.VideoFrame, size: SizeRule) -> QImage:
    width, height = size(frame.width, frame.height)
    # BGRA bytes are QImage's RGB32 (0xffRRGGBB) on little-endian machines, as the tap's RV32.
    rgb = frame.reformat(width=width, height=height, format="bgra")
    plane = rgb.planes[0]
    return QImage(bytes(plane), width, height, plane.line_size, QImage.Format.Format_RGB32).copy()


@dataclass(frozen=True)
class _Request:
    number: int
    path: Path
    index: int
    times: FrameTimes
    size: SizeRule


class FrameGrabber(QObject):
    """Decodes frames on the global thread pool, one at a time; the latest request wins.

    `request` returns a number; `grabbed` or `failed` carries it back (queued: connect to a
    slot on the GUI thread). Requests overtaken by a later one before they start are dropped.
    The worker touches no player and no libvlc: it only decodes and emits.
    """

    grabbed = Signal(int, QImage)  # request number, picture
    failed = Signal(int, str)  # request number, why

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._lock = threading.Lock()
        self._pending: _Request | None = None
        self._running = False
        self._count = 0

    def request(self, path: Path, index: int, times: FrameTimes, size: SizeRule) -> int:
        """Ask for frame `index` of `path`; returns the number its answer will carry."""
        self._count += 1
        with self._lock:
            self._pending = _Request(self._count, path, index, times, size)
            start, self._running = not self._running, True
        if start:
            QThreadPool.globalInstance().start(self._work)
        return self._count

    def cancel(self) -> None:
        """Drop the request not yet started (one under way still answers)."""
        with self._lock:
            self._pending = None

    def _work(self) -> None:
        while True:
            with self._lock:
                job, self._pending = self._pending, None
                if job is None:
                    self._running = False
                    return
            try:
                image = decode_frame(job.path, job.index, job.times, job.size)
            except Exception as exc:  # ExactFrameError, or a defect: the player must hear
                self._emit("failed", job.number, str(exc) or type(exc).__name__)
            else:
                self._emit("grabbed", job.number, image)

    def _emit(self, signal: str, number: int, value: object) -> None:
        with contextlib.suppress(RuntimeError):  # deleted with its player meanwhile
            getattr(self, signal).emit(number, value)
