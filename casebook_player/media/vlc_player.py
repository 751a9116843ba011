"""libvlc backend (python-vlc, optional): video through libvlc's memory callbacks.

What libvlc 3 does, as measured, and what this module does about it:
- It calls back on its own threads and is not reentrant: vlc_callbacks.py copies pictures and
  events into queued Qt signals; libvlc is only ever called from the GUI thread.
- `get_time()` and TimeChanged tick only every ~250 ms: the position is extrapolated from the
  last TimeChanged and the wall clock (true to the picture within ~10 ms), reported every 40 ms.
- pause() takes effect 1-2 frames late, and its video callbacks carry no picture times: the
  tap labels each picture by the clock when libvlc shows it, which errs by ~25 ms, and by up
  to a frame more just after a fresh input starts (it presents from the first frame at or
  after the seek, ahead of the clock started at play()). So while playing into a pause point
  the tap holds back every picture labelled from CLOCK_ERROR_MS before the key frame's start
  on (a frame plus that margin before the next frame's): no picture after the key frame
  reaches the screen, whatever the clock's error; the player lands at the first one held back.
- The paused picture is the file's own frame: on landing, a paused seek, a step, pause() and
  open, the frame at the position is decoded from the file by PyAV (exact_frame.py, off the
  GUI thread) and shown; libvlc's own paused pictures are kept off the screen. Numbers tie
  each answer to its request and each libvlc picture to its input, so neither a late libvlc
  picture nor a late decoded one replaces the other.
- libvlc sits under that picture in a fresh input, started paused (`:start-paused`) and
  `set_time(ms)`, with a new generation so that anything the previous input still delivers is
  dropped: resumed, it plays on from ms (measured, also in long-GOP H.264, where its own paused
  picture may be up to a GOP early, or none). A seek to the frame already on screen keeps it.
- A file FFmpeg cannot read (no frame times) gets libvlc's own paused picture, as the only one
  there is, and the old labels (landing on the first picture past the key frame).
"""

from __future__ import annotations

import time
import weakref
from enum import Enum
from pathlib import Path
from types import ModuleType
from typing import Any, ClassVar

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QImage

from casebook_player.media.exact_frame import FrameGrabber
from casebook_player.media.frames import FrameTimes, read_frame_times
from casebook_player.media.mp4_video import video_track
from casebook_player.media.pause_point import PausePoint
from casebook_player.media.player import (
    MediaPlayer,
    PlayerSignals,
    clamp_volume,
    is_video_path,
    missing_file_message,
)
from casebook_player.media.vlc_callbacks import (
    LABEL_MARGIN_MS,
    PAST_LIMIT,
    SilentClock,
    VideoTap,
    VlcBridge,
    attach_events,
    load_vlc,
    picture_size,
    set_format_callbacks,
    vlc_instance,
)

TICK_MS = 40  # position reports while playing
# Video lands when the tap holds back its first picture (see CLOCK_ERROR_MS); the timer, aimed
# this many frames after the key frame's start, is only a backstop (e.g. a dropped picture).
FRAME_AIM = 1.5
# How far the tap's clock may run behind a picture, beyond the frame a fresh input runs ahead
# (measured: ~25 ms either way; bench_matrix_playback.py showed the frame after the key point
# when only 5 ms were allowed). Pictures are held back from this long before the key frame.
CLOCK_ERROR_MS = 25
AUDIO_LEAD_MS = 40  # audio-only: pause() takes effect ~40 ms late
LAST_FRAME_AIM_MS = 15  # in the last frame, land this long before the end
# play() resumes the paused input if it sits this close to the position, else starts afresh.
RESUME_SLACK_MS = 100

_BASE_ARGS = (
    "--quiet",
    "--no-video-title-show",
    "--no-osd",
    "--no-snapshot-preview",
    "--no-stats",
    "--no-sub-autodetect-file",
    # Threads: auto takes cores + 1, each holding 1080p frames; one is 7 MiB less than two.
    "--avcodec-threads=1",
    # Read-ahead (1000 ms by default): 100 ms holds 33 MiB less playing 1080p. Paused pictures
    # no longer depend on it (a lead-in to the last frame once ran out of file before it).
    "--file-caching=100",
    "--avcodec-hw=none",  # pictures go to memory anyway; probing VA-API/VDPAU costs time
)
_EVENTS = (
    "MediaPlayerTimeChanged",
    "MediaPlayerLengthChanged",
    "MediaPlayerPaused",
    "MediaPlayerEndReached",
    "MediaPlayerEncounteredError",
)


def player_args(*, audio: bool) -> tuple[str, ...]:
    """libvlc instance options for a player with or without sound."""
    return _BASE_ARGS if audio else (*_BASE_ARGS, "--aout=dummy")


class State(Enum):
    """Where a VlcPlayer's playback is; `VlcPlayer._enter` is the only place that changes it.

    There is no separate "opening" state: open() starts a paused input at once, so the
    player is PAUSED at 0 (libvlc's late verdict that a file is undecodable leads to FAILED).
    """

    IDLE = "idle"  # nothing open
    PAUSED = "paused"  # open and still; a paused input may sit where play() can resume it
    PLAYING = "playing"
    ENDED = "ended"  # played to the end (not looping); play() restarts from 0
    FAILED = "failed"  # the last file could not be opened or decoded; nothing is open


# A file whose media starts this late (an edit list, a start offset) is refused (see open).
LATE_START_MS = 1


class VlcPlayer(PlayerSignals):
    """MediaPlayer on libvlc. `audio=False` uses --aout=dummy and a silent real-time clock.

    With `audio=True` and no working sound card, audio-only media would end at once; the
    player notices, switches to the silent clock and plays that stretch again.

    Where playback is, is one `State` (see `state`), changed only by `_enter`.
    """

    name: ClassVar[str] = "vlc"

    def __init__(self, parent: QObject | None = None, *, audio: bool = True) -> None:
        super().__init__(parent)
        vlc = load_vlc()
        self._vlc: ModuleType = vlc
        self._instance = vlc_instance(player_args(audio=audio))
        self._mp: Any = self._instance.media_player_new()
        self._audio = audio

        self._bridge = VlcBridge(self)
        self._tap = VideoTap(vlc, self._bridge)
        self._mp.video_set_callbacks(self._tap.lock, self._tap.unlock, self._tap.display, None)
        set_format_callbacks(self._mp, self._tap.setup, self._tap.cleanup)
        self._clock: SilentClock | None = None
        self._keep_alive: list[object] = [self._tap]  # callbacks libvlc may still call
        if not audio:
            self._use_silent_clock()
        attach_events(vlc, self._mp, self._tap, _EVENTS)
        # Queued, always: libvlc sends some events from inside stop() on this thread.
        self._bridge.frame.connect(self._on_frame, Qt.ConnectionType.QueuedConnection)
        self._bridge.happened.connect(self._on_event, Qt.ConnectionType.QueuedConnection)
        self._bridge.timed.connect(self._on_time, Qt.ConnectionType.QueuedConnection)
        self._grabber = FrameGrabber(self)
        self._grabber.grabbed.connect(self._on_grabbed, Qt.ConnectionType.QueuedConnection)
        self._grabber.failed.connect(self._on_grab_failed, Qt.ConnectionType.QueuedConnection)
        kinds = vlc.EventType
        self._kind_length = int(kinds.MediaPlayerLengthChanged.value)
        self._kind_paused = int(kinds.MediaPlayerPaused.value)
        self._kind_end = int(kinds.MediaPlayerEndReached.value)
        self._kind_error = int(kinds.MediaPlayerEncounteredError.value)

        # Stop libvlc before its callbacks can outlive us (GC, app exit, C++ deletion).
        self._release = weakref.finalize(self, _release, self._mp, self._tap, self._keep_alive)
        release = self._release
        self.destroyed.connect(lambda *_: release())

        self._generation = 0
        self._path: Path | None = None
        self._checked = False  # the decodability check ran for this file
        self._duration = 0
        self._times = FrameTimes()  # the file's own frame times, or unknown (a grid)
        self._exact = False  # paused pictures decoded from the file (FFmpeg reads its frames)
        self._grab: tuple[int, int] | None = None  # (request, frame index) being decoded
        self._video: bool | None = None
        self._visible: tuple[int, int] | None = None
        self._loop = False
        # The playback state, and what only PAUSED has (both None in any other state, set
        # only by _enter): where the paused input sits, if play() can resume it, and the
        # frame index of the picture on screen, if known.
        self._state = State.IDLE
        self._input_at: int | None = None
        self._shown: int | None = None
        self._position = 0  # while not playing
        self._last_image: QImage | None = None
        self._base_ms = 0  # while playing: position at _base_time
        self._base_time = 0.0
        self._last_reported = -1
        self._played_from = (0, 0.0)  # (position, monotonic time) where playback last started
        self._pause_point = PausePoint(0, self)
        self._pause_point.due.connect(self._land)
        self._tick = QTimer(self)
        self._tick.setInterval(TICK_MS)
        self._tick.timeout.connect(self._on_tick)

    @property
    def state(self) -> State:
        """The playback state (for tests and diagnostics; not part of MediaPlayer)."""
        return self._state

    # -- commands ---------------------------------------------------------------------------

    def open(self, path: Path) -> None:
        self.close()
        message = missing_file_message(path)
        if message is not None:
            self._enter(State.FAILED)
            self.error.emit(message)
            return
        self._path = path
        self._last_reported = 0
        self._last_image = None
        self._checked = False
        self._times = read_frame_times(path)
        if self._times.origin >= LATE_START_MS:
            # libvlc counts TimeChanged from timestamp 0 but seeks from the first frame, so
            # no position in such a file can be trusted (Qt counts from the start).
            self._fail(
                f"the media starts at {self._times.origin / 1000:.3f} s, not at 0, which "
                "libvlc cannot time: convert it with `casebook media normalize`"
            )
            return
        self._video = None
        self._exact = bool(self._times.starts)
        self._tap.source = video_track(path).size
        self._visible = None
        self._show_paused(0)

    def close(self) -> None:
        self._pause_point.take()
        if self._path is None:
            if self._state is State.FAILED:
                self._enter(State.IDLE)
            return
        self._new_generation(stop=True)
        self._drop_grab()
        self._path = None
        self._last_image = None
        self._enter(State.IDLE)
        if self._duration:
            self._duration = 0
            self.duration_changed.emit(0)
        self._position = 0
        self._report(0)

    def play(self) -> None:
        if self._state not in (State.PAUSED, State.ENDED):
            return
        self._drop_grab()
        if self._state is State.ENDED or (self._duration and self._position >= self._duration):
            self._start_playing_at(0)
        elif self._input_at is None or abs(self._position - self._input_at) > RESUME_SLACK_MS:
            self._start_playing_at(self._position)
        else:
            self._tap.one_picture = False
            self._tap.closed = False
            self._mp.set_pause(0)
            self._rebase(self._position)
        self._played_from = (self._position, time.monotonic())
        self._enter(State.PLAYING)
        self._sync_limit()
        self._pause_point.update(self._position)

    def pause(self) -> None:
        if self._state is not State.PLAYING:
            return
        ms = self.position()
        self._pause_in_place(ms)
        if self._exact:
            self._show_file_frame(ms)

    def seek(self, ms: int) -> None:
        if self._path is None:
            return
        ms = self._clamp(ms)
        self._pause_point.moved(ms)
        if self._state is State.PLAYING:
            # A fresh input here too: set_time on the running one leaves stale TimeChanged
            # events in the queue that would pull the position back.
            self._start_playing_at(ms)
            return
        if self._state is State.ENDED:
            self._enter(State.PAUSED)  # nothing on screen to keep, no input to resume
        self._position = ms
        if self._has_video():
            index = self._frames().at(ms)
            if self._shown == index and self._last_image is not None:
                # Already on screen (e.g. seeking to a pause point just landed on).
                self.frame_ready.emit(self._last_image)
            elif self._grab is None or self._grab[1] != index:
                self._show_paused(ms)
        # Audio-only needs no input while paused: play() starts one at the position.
        self._report(ms)

    def step(self, frames: int) -> None:
        if self._path is None:
            return
        target = self._frames().step(self.position(), frames, self._duration)
        if self._state is State.PLAYING:
            # Still first (audio-only media has no paused picture to start an input for);
            # seek() below then shows the paused picture.
            self._tap.closed = True
            self._mp.set_pause(1)
            self._enter(State.PAUSED)
        self.seek(target)

    def pause_at(self, ms: int | None) -> None:
        aim = None
        if ms is not None:
            if self._has_video():
                times = self._frames()
                index = times.at(ms)
                aim = times.start(index) + round(FRAME_AIM * times.length(index))
                if self._duration > 0:
                    aim = min(aim, self._duration - LAST_FRAME_AIM_MS)  # no frame after it
            else:
                aim = ms - AUDIO_LEAD_MS
        self._pause_point.arm(ms, self.position(), aim)
        self._sync_limit()
        if self._state is State.PLAYING:
            self._pause_point.update(self.position())

    def position(self) -> int:
        if self._state is not State.PLAYING:
            return self._position
        # Never behind what was already reported: a TimeChanged may pull the estimate back a
        # little, and the playhead must not step backwards. Seeks reset _last_reported.
        return max(self._estimate(), self._last_reported)

    def duration(self) -> int:
        return self._duration

    def is_playing(self) -> bool:
        return self._state is State.PLAYING

    def set_loop(self, loop: bool) -> None:
        self._loop = loop

    def set_volume(self, volume: float) -> None:
        if self._audio:
            self._mp.audio_set_volume(round(clamp_volume(volume) * 100))

    def set_view_size(self, width: int, height: int) -> None:
        # Pictures at the view's size rather than the video's: a 1080p narration shown in a
        # 960-pixel view needs a quarter of the memory per picture in libvlc's pools.
        self._tap.fit = (width, height) if width > 0 and height > 0 else None

    # -- playback control -------------------------------------------------------------------

    def _new_generation(self, *, stop: bool) -> None:
        """Drop everything the current input still delivers; optionally stop it."""
        self._generation += 1
        self._tap.generation = -1  # stamps sent while stopping are dropped too
        if stop:
            if self._clock is not None:
                self._clock.interrupt()  # stop() joins the audio thread; do not let it wait
            self._mp.stop()
            if self._clock is not None:
                self._clock.resume_waiting()
        self._tap.generation = self._generation

    def _start(self, ms: int, *, paused: bool, picture: bool = True) -> None:
        """A fresh input for the open file, at `ms`, playing, or paused showing its own
        picture (`picture`) or none."""
        assert self._path is not None
        self._new_generation(stop=True)
        self._tap.one_picture = paused
        self._tap.closed = paused and not picture
        self._tap.limit = None
        media = self._instance.media_new_path(str(self._path))
        if paused:
            media.add_option(":start-paused")
        self._mp.set_media(media)
        media.release()  # the player holds its own reference
        self._mp.play()
        if paused or ms > 0:
            # On a fresh input this shows the frame at ms (exactly where frames are keyframes).
            self._mp.set_time(int(ms))

    def _show_paused(self, ms: int) -> None:
        """Pause at ms on a fresh paused input, showing the file's own frame there."""
        self._position = ms
        # libvlc's own paused picture may be a frame off, or a GOP, except at 0 (the first
        # frame, a keyframe: measured exact, and it comes sooner than a decoded one).
        decode = self._exact and ms > 0
        self._start(ms, paused=True, picture=not decode)
        if decode:
            self._enter(State.PAUSED, input_at=ms)
            self._show_file_frame(ms)
        else:
            self._enter(State.PAUSED, input_at=ms, shown=self._frames().at(ms))

    def _show_file_frame(self, ms: int) -> None:
        """Decode the frame at ms from the file; `_on_grabbed` shows it if still wanted."""
        assert self._path is not None
        index = self._times.at(ms)
        source, fit = self._tap.source, self._tap.fit
        number = self._grabber.request(
            self._path, index, self._times, lambda w, h: picture_size((w, h), source, fit)
        )
        self._grab = (number, index)

    def _drop_grab(self) -> None:
        """Whatever is still being decoded is no longer wanted."""
        self._grab = None
        self._grabber.cancel()

    def _start_playing_at(self, ms: int) -> None:
        self._start(ms, paused=False)
        self._played_from = (ms, time.monotonic())
        self._pause_point.moved(ms)
        self._rebase(ms)
        self._sync_limit()
        self._report(ms)

    def _pause_in_place(self, ms: int, *, resumable: bool = True) -> None:
        """Pause the running input; the last picture sent stays on screen until replaced.

        `resumable=False`: the input has ended, so play() must start a new one.
        """
        self._tap.closed = True  # libvlc still shows a frame or two after pause()
        self._tap.limit = None
        self._mp.set_pause(1)
        self._position = ms
        # libvlc's last picture is the frame at ms only as far as its labels go.
        shown = None if self._exact else self._frames().at(ms)
        self._enter(State.PAUSED, input_at=ms if resumable else None, shown=shown)
        self._report(ms)

    def _rebase(self, ms: int, at: float | None = None) -> None:
        """The clock reads `ms` at monotonic time `at` (a TimeChanged), or now (a start)."""
        self._base_ms = ms
        self._base_time = time.monotonic() if at is None else at
        self._tap.clock = (float(ms), self._base_time, at is not None)

    def _sync_limit(self) -> None:
        """Let the tap hold back pictures near an armed pause point's frame."""
        playing = self._state is State.PLAYING
        key = self._pause_point.ahead
        if playing and key is not None and self._has_video():
            times = self._tap.frames = self._frames()
            index = times.at(key)
            self._tap.limit = index
            # Exact: held back from CLOCK_ERROR_MS before the key frame (the file's frame is
            # shown on landing). Else only past the key frame: libvlc's is the last picture.
            margin = times.length(index) + CLOCK_ERROR_MS if self._exact else LABEL_MARGIN_MS
            self._tap.margin_ms = margin
        else:
            self._tap.limit = None
        if playing:
            self._tap.closed = False  # a limit that tripped before is void now

    def _enter(
        self, state: State, *, input_at: int | None = None, shown: int | None = None
    ) -> None:
        """Go to `state`: the one place where the playback state changes (GUI thread only).

        `input_at` and `shown` belong to PAUSED (see __init__); every other state clears
        them. Entering or leaving PLAYING starts or stops the position reports and emits
        `playing_changed`.
        """
        assert state is State.PAUSED or (input_at is None and shown is None), state
        assert (self._path is not None) == (state not in (State.IDLE, State.FAILED)), state
        was_playing = self._state is State.PLAYING
        self._state = state
        self._input_at = input_at
        self._shown = shown
        if state is State.PLAYING:
            self._tick.start()
        else:
            self._tick.stop()
            self._pause_point.halted()  # nothing can be due until playback resumes
        if (state is State.PLAYING) != was_playing:
            self.playing_changed.emit(not was_playing)

    def _land(self, *, input_ended: bool = False) -> None:
        key = self._pause_point.take()
        if key is None or self._state is not State.PLAYING:
            return
        if self._exact:
            self._show_paused(key)  # resumes from the key frame, whatever libvlc had shown
            self._report(key)
        else:
            self._pause_in_place(key, resumable=not input_ended)
        self.paused_at.emit(key)

    def _finish(self) -> None:
        """The input reached the end of the media."""
        if self._ran_without_sound_card():
            self._use_silent_clock()
            self._start_playing_at(self._played_from[0])
            return
        if self._pause_point.ahead is not None:
            self._land(input_ended=True)  # a key point in the very last moments: reached
            return
        if self._loop:
            self._start_playing_at(0)
            return
        self._position = self._duration
        self._enter(State.ENDED)
        self._report(self._duration)
        self.ended.emit()

    # -- libvlc deliveries (GUI thread) -----------------------------------------------------

    def _on_frame(self, generation: int, image: QImage) -> None:
        if generation != self._generation or self._path is None:
            return
        visible = self._visible_size()
        if visible is not None and (image.width(), image.height()) != visible:
            w, h = visible
            if w <= image.width() and h <= image.height():
                image = image.copy(0, 0, w, h)  # drop the decoder's padding rows/columns
        self._video = True
        self._last_image = image
        self.frame_ready.emit(image)

    def _on_event(self, generation: int, kind: int, value: int) -> None:
        if generation != self._generation or self._path is None:
            return
        if kind == self._kind_length:
            if value > 0 and value != self._duration:
                self._duration = value
                self.duration_changed.emit(value)
        elif kind == self._kind_paused:
            self._check_decodable()
        elif kind == self._kind_end:
            if self._state is State.PLAYING:
                self._finish()
        elif kind == self._kind_error:
            self._fail("libvlc could not open or decode it")
        elif kind == PAST_LIMIT and self._state is State.PLAYING:
            key = self._pause_point.ahead
            if key is not None and self._frames().at(key) < value:
                self._land()  # before the timer; the tap keeps later pictures off screen
            else:
                self._sync_limit()  # the point moved meanwhile: show pictures again

    def _on_time(self, generation: int, ms: int, sent_at: float) -> None:
        # TimeChanged is the time of the picture on screen when libvlc sends it (measured).
        current = generation == self._generation and self._path is not None
        if current and self._state is State.PLAYING and ms > 0:
            self._rebase(ms, sent_at)

    def _on_grabbed(self, number: int, image: QImage) -> None:
        if self._grab is None or self._grab[0] != number or self._state is not State.PAUSED:
            return  # overtaken (played, seeked elsewhere, closed)
        index, self._grab = self._grab[1], None
        self._video = True
        self._last_image = image
        self._enter(State.PAUSED, input_at=self._input_at, shown=index)
        self.frame_ready.emit(image)

    def _on_grab_failed(self, number: int, reason: str) -> None:
        if self._grab is None or self._grab[0] != number:
            return
        # FFmpeg read the frame times but cannot decode this frame: libvlc's own picture,
        # redisplayed while paused, is the best there is.
        self._grab = None
        self._tap.one_picture = True
        self._tap.closed = False

    def _on_tick(self) -> None:
        estimate = self._estimate()
        self._report(max(estimate, self._last_reported))
        self._pause_point.update(estimate)

    # -- helpers ----------------------------------------------------------------------------

    def _use_silent_clock(self) -> None:
        """Send audio to a silent real-time clock instead of a sound card (next input on)."""
        clock = SilentClock(self._vlc)
        self._keep_alive.append(clock)
        self._clock = clock
        self._mp.audio_set_callbacks(
            clock.play, clock.pause, clock.resume, clock.flush, clock.drain, None
        )
        self._mp.audio_set_format("S16N", 44100, 2)

    def _ran_without_sound_card(self) -> bool:
        """Audio-only media ended far too soon: libvlc found no sound card to pace it.

        Without one, libvlc decodes audio-only media to the end at once (measured: 1 s in
        11 ms). Video is paced by its pictures, so only audio-only media is affected.
        """
        if self._clock is not None or self._has_video():
            return False
        start, started_at = self._played_from
        expected_ms = self._duration - start
        elapsed_ms = (time.monotonic() - started_at) * 1000
        return expected_ms > 200 and elapsed_ms < expected_ms / 2

    def _check_decodable(self) -> None:
        """libvlc plays an undecodable file as empty media without an error: detect that."""
        if self._checked:
            return
        self._checked = True
        video = self._mp.video_get_track_count()
        audio = self._mp.audio_get_track_count()
        if video <= 0 and audio <= 0:
            self._fail("no audio or video that can be decoded")
        else:
            self._video = video > 0

    def _fail(self, reason: str) -> None:
        name = self._path.name if self._path is not None else "media"
        self.close()
        self._enter(State.FAILED)
        self.error.emit(f"Cannot play {name}: {reason}")

    def _estimate(self) -> int:
        """Playback position from the last clock reading (may step back a little)."""
        elapsed = int((time.monotonic() - self._base_time) * 1000)
        return self._clamp(self._base_ms + elapsed)

    def _report(self, ms: int) -> None:
        if ms != self._last_reported:
            self._last_reported = ms
            self.position_changed.emit(ms)

    def _clamp(self, ms: int) -> int:
        ms = max(0, int(ms))
        return min(ms, self._duration) if self._duration > 0 else ms

    def _frames(self) -> FrameTimes:
        """The file's frame times, else the grid of the rate libvlc reports once playing."""
        if not self._times.starts and self._path is not None:
            fps = float(self._mp.get_fps() or 0.0)
            if fps > 0:
                self._times = FrameTimes(fps)
        return self._times

    def _has_video(self) -> bool:
        if self._video is None and self._path is not None:
            if self._mp.video_get_track_count() > 0:
                self._video = True
            else:
                return is_video_path(self._path)  # tracks not known yet: trust the name
        return bool(self._video)

    def _visible_size(self) -> tuple[int, int] | None:
        if self._visible is None:
            size = self._mp.video_get_size(0)
            if size and size[0] > 0 and size[1] > 0:
                self._visible = (int(size[0]), int(size[1]))
        return self._visible


def _release(mp: Any, tap: VideoTap, keep_alive: list[object]) -> None:
    """Stop and free the libvlc player; holds the callbacks alive until it has stopped."""
    tap.generation = -1
    for callbacks in keep_alive:
        if isinstance(callbacks, SilentClock):
            callbacks.interrupt()
    mp.stop()
    mp.release()


_: type[MediaPlayer] = VlcPlayer  # mypy checks VlcPlayer against the MediaPlayer protocol
