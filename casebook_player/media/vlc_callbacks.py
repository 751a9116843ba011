"""The libvlc side of the VLC backend: loading libvlc, and the callbacks libvlc calls.

libvlc calls these from its own threads (decoder, video output, audio output) and is not
reentrant, so they never call libvlc and never touch player state: they copy what they get
and hand it to the GUI thread through queued Qt signals on a `VlcBridge`, stamped with the
generation of the playback that produced it so stale deliveries can be dropped.
"""

from __future__ import annotations

import ctypes
import importlib
import threading
import time
from collections.abc import Sequence
from types import ModuleType
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QImage

from casebook_player.media.frames import FrameTimes
from casebook_player.media.player import BackendUnavailable

INSTALL_HINT = (
    "apt-get install libvlc5 vlc-plugin-base libvlc-bin vlc-plugin-video-output "
    "and pip install 'casebook-player[vlc]'"
)

# libvlc_video_format_cb takes `char *chroma` to write into; python-vlc declares it c_char_p,
# which ctypes hands over as an immutable copy, so declare it ourselves as POINTER(c_char).
_UintPtr = ctypes.POINTER(ctypes.c_uint)
_FormatCb = ctypes.CFUNCTYPE(
    ctypes.c_uint,
    ctypes.POINTER(ctypes.c_void_p),
    ctypes.POINTER(ctypes.c_char),
    _UintPtr,
    _UintPtr,
    _UintPtr,
    _UintPtr,
)
_CleanupCb = ctypes.CFUNCTYPE(None, ctypes.c_void_p)

_instances: dict[tuple[str, ...], Any] = {}

PAST_LIMIT = -1  # VlcBridge.happened kind: a picture after the pause point's frame was held back
# libvlc shows each picture at its due time, so the clock at display time names the frame,
# within ~25 ms either way; a fresh input's pictures can run up to a frame ahead of the clock
# started at play() (libvlc presents from the first frame at or after the seek). A label too
# late holds back the key frame itself (early); too early lets the frame after the key point
# through. The player widens the margin where it shows the file's own frame on landing
# (vlc_player.CLOCK_ERROR_MS); this small default is for files it cannot decode itself. Under
# load the stamp on a TimeChanged can come late (its callback waits for the GIL), putting the
# clock behind: a late picture and the next one then read as the same frame. Each picture
# shown is a later frame than the one before it, so on a clock read from a TimeChanged a
# label is always above the previous one. (Not on a clock the player started: it is ahead
# of late pictures catching up after a start, which would be pushed further ahead.)
LABEL_MARGIN_MS = 5


def load_vlc() -> ModuleType:
    """Import python-vlc, or raise BackendUnavailable saying what to install."""
    try:
        vlc = importlib.import_module("vlc")
    except ImportError as exc:
        raise BackendUnavailable(f"python-vlc is not installed ({exc}): {INSTALL_HINT}") from exc
    except Exception as exc:  # python-vlc raises OSError/NotImplementedError without libvlc
        raise BackendUnavailable(f"libvlc not found ({exc}): {INSTALL_HINT}") from exc
    return vlc


def vlc_instance(args: Sequence[str]) -> Any:
    """One shared libvlc instance per argument list (creating one loads every plugin)."""
    key = tuple(args)
    if key not in _instances:
        vlc = load_vlc()
        instance = vlc.Instance(list(args))
        if instance is None:
            # libvlc5 alone has no plugins: vlc.Instance() then returns None.
            raise BackendUnavailable(f"libvlc found but could not start: {INSTALL_HINT}")
        _instances[key] = instance
    return _instances[key]


def set_format_callbacks(player: Any, setup: Any, cleanup: Any) -> None:
    """libvlc_video_set_format_callbacks with our own prototype (see _FormatCb)."""
    vlc = load_vlc()
    function = vlc.dll["libvlc_video_set_format_callbacks"]  # a fresh function pointer
    function.argtypes = [ctypes.c_void_p, _FormatCb, _CleanupCb]
    function.restype = None
    function(player._as_parameter_, setup, cleanup)


# libvlc's decoder pads a picture to whole blocks (H.264: 16 rows and columns, and then some).
MAX_PADDING = 64


def picture_size(
    coded: tuple[int, int], source: tuple[int, int] | None, fit: tuple[int, int] | None
) -> tuple[int, int]:
    """The size to ask libvlc for: the decoder's `coded` size, or less to fit `fit`.

    libvlc scales the picture's visible part into whatever size the format callback
    answers, so the answer must have the picture's own aspect: `source`, the size the file
    states. Scaled only where that is known and agrees with `coded` (no rotation), and only
    down; otherwise the coded size, padding included (the player crops it).
    """
    if source is None or fit is None:
        return coded
    (width, height), (fit_width, fit_height) = source, fit
    if not (0 <= coded[0] - width < MAX_PADDING and 0 <= coded[1] - height < MAX_PADDING):
        return coded
    scale = min(fit_width / width, fit_height / height)
    if scale >= 1:
        return coded
    return max(1, round(width * scale)), max(1, round(height * scale))


class VlcBridge(QObject):
    """Signals that carry libvlc's callbacks to the GUI thread (connect them queued)."""

    frame = Signal(int, QImage)  # generation, picture
    timed = Signal(int, int, float)  # generation, TimeChanged ms, monotonic time it was sent
    happened = Signal(int, int, int)  # generation, libvlc event type, value (time or length)


class VideoTap:
    """Video callbacks that render RV32 into a buffer and send each picture as a QImage.

    The GUI thread steers it through plain attributes (single assignments are atomic):
    - `generation` stamps what is sent, so the GUI can drop what an old input delivers;
    - `one_picture`: send only the first picture of a generation (libvlc redisplays a paused
      picture every ~60 ms); `closed`: send nothing (paused in place);
    - `limit`: the last frame index that may be shown (an armed pause point), labelled from
      `clock` = (media ms, monotonic s, read from a TimeChanged) and `frames`, `margin_ms`
      ahead of the clock; the first picture past it closes the tap and is reported as
      PAST_LIMIT instead of being sent;
    - `source` (the file's picture size) and `fit` (the view's): read when libvlc sets the
      picture format up, to ask for pictures no larger than the view (see `picture_size`).
    """

    def __init__(self, vlc: ModuleType, bridge: VlcBridge) -> None:
        self.bridge = bridge
        self.generation = 0
        self.one_picture = True
        self.closed = False
        self.limit: int | None = None
        self.margin_ms: float = LABEL_MARGIN_MS
        self.clock = (0.0, 0.0, False)
        self.frames = FrameTimes()
        self.source: tuple[int, int] | None = None
        self.fit: tuple[int, int] | None = None
        self._sent_generation = -1
        self._labelled = (-1, self.clock, 0)  # generation, clock and label of the last picture
        self._buffer: ctypes.Array[ctypes.c_char] | None = None
        self._width = self._height = 0
        decorators = vlc.CallbackDecorators
        # Kept as attributes: libvlc holds only raw pointers to these thunks.
        self.setup = _FormatCb(self._setup)
        self.cleanup = _CleanupCb(self._cleanup)
        self.lock = decorators.VideoLockCb(self._lock)
        self.unlock = decorators.VideoUnlockCb(self._unlock)
        self.display = decorators.VideoDisplayCb(self._display)

    def _setup(
        self,
        opaque: Any,
        chroma: Any,
        width: Any,
        height: Any,
        pitches: Any,
        lines: Any,
    ) -> int:
        try:
            # The coded size may include decoder padding (e.g. 96 → 98 rows); the player crops.
            w, h = picture_size((int(width[0]), int(height[0])), self.source, self.fit)
            width[0], height[0] = w, h
            ctypes.memmove(chroma, b"RV32", 4)  # 32-bit BGRX, i.e. QImage.Format_RGB32
            pitches[0] = w * 4
            lines[0] = h
            self._buffer = ctypes.create_string_buffer(w * 4 * h)
            self._width, self._height = w, h
            return 1
        except Exception:  # an exception must not cross into libvlc
            return 0

    def _cleanup(self, opaque: Any) -> None:
        pass  # the buffer is replaced by the next setup; a late display may still read it

    def _lock(self, opaque: Any, planes: Any) -> None:
        if self._buffer is not None:
            planes[0] = ctypes.addressof(self._buffer)

    def _unlock(self, opaque: Any, picture: Any, planes: Any) -> None:
        pass

    def _display(self, opaque: Any, picture: Any) -> None:
        try:
            generation = self.generation
            if self.closed or (self.one_picture and self._sent_generation == generation):
                return
            limit = self.limit
            if limit is not None:
                clock = self.clock
                now_ms = clock[0] + (time.monotonic() - clock[1]) * 1000
                index = self.frames.at(now_ms + self.margin_ms)
                last_generation, last_clock, last_index = self._labelled
                if clock[2] and last_clock == clock and last_generation == generation:
                    index = max(index, last_index + 1)
                self._labelled = (generation, clock, index)
                if index > limit:
                    self.closed = True
                    self.bridge.happened.emit(generation, PAST_LIMIT, index)
                    return
            buffer = self._buffer
            if buffer is None:
                return
            self._sent_generation = generation
            w, h = self._width, self._height
            data = ctypes.string_at(buffer, w * 4 * h)
            image = QImage(data, w, h, w * 4, QImage.Format.Format_RGB32).copy()
            self.bridge.frame.emit(generation, image)
        except Exception:  # includes RuntimeError once the bridge has been deleted
            pass


class SilentClock:
    """Audio callbacks that drop samples at playback speed, for `audio=False`.

    Without a sound card to pace it, libvlc runs audio-only media to the end at once (also
    with --aout=dummy); waiting until each block's due time restores real time.
    """

    def __init__(self, vlc: ModuleType) -> None:
        self._clock = vlc.libvlc_clock
        self._wake = threading.Event()
        decorators = vlc.CallbackDecorators
        self.play = decorators.AudioPlayCb(self._play)
        self.pause = decorators.AudioPauseCb(self._ignore)
        self.resume = decorators.AudioResumeCb(self._ignore)
        self.flush = decorators.AudioFlushCb(self._ignore)
        self.drain = decorators.AudioDrainCb(self._drain)

    def interrupt(self) -> None:
        """Stop waiting (before libvlc stop(), which joins the audio thread)."""
        self._wake.set()

    def resume_waiting(self) -> None:
        """Pace again after an interrupt."""
        self._wake.clear()

    def _play(self, opaque: Any, samples: Any, count: int, pts: int) -> None:
        try:
            delay = (pts - self._clock()) / 1_000_000  # libvlc clock, µs
            if delay > 0:
                self._wake.wait(min(delay, 1.0))
        except Exception:
            pass

    def _ignore(self, opaque: Any, pts: int) -> None:
        pass

    def _drain(self, opaque: Any) -> None:
        pass


def attach_events(vlc: ModuleType, player: Any, tap: VideoTap, names: Sequence[str]) -> None:
    """Forward the named libvlc media-player events through `tap.bridge`.

    Each carries the generation current when libvlc sent it. TimeChanged goes through
    `timed` with its value and send time; the others through `happened`, LengthChanged with
    its value in ms, the rest with 0.
    """
    manager = player.event_manager()
    for name in names:
        event_type = getattr(vlc.EventType, name)
        manager.event_attach(event_type, _forward, tap, int(event_type.value), name)


def _forward(event: Any, tap: VideoTap, kind: int, name: str) -> None:
    try:
        if name == "MediaPlayerTimeChanged":
            # Stamped here: the queue to the GUI thread may take 10-20 ms under load.
            tap.bridge.timed.emit(tap.generation, int(event.u.new_time), time.monotonic())
            return
        value = 0
        if name == "MediaPlayerLengthChanged":
            value = int(event.u.new_length)
        tap.bridge.happened.emit(tap.generation, kind, value)
    except Exception:  # never raise into libvlc; the bridge may already be deleted
        pass
