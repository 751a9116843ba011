"""Qt Multimedia backend: QMediaPlayer + QAudioOutput + QVideoSink.

What Qt Multimedia does, as measured (Qt 6.11, bundled FFmpeg), and what this module does:
- `QMediaPlayer.stop()` can deadlock against a Qt playback thread that waits for the GIL, and
  so can a create → stop → delete cycle of players. One QMediaPlayer lives as long as this
  object and is reused for every file; a source is released with `setSource(QUrl())`.
- `positionChanged` fires every ~40-50 ms, so an exact pause uses a precise timer armed from
  the last report (see pause_point.py), then `pause()` + `setPosition(key)`.
- `setPosition(t)` shows the first frame whose end lies after t, where Qt's frame end is its
  start plus one average frame length (or one tick of some timescales), not the next frame's
  start. At variable rates or odd timescales that is often a neighbour of the frame due.
  Seeks aim where Qt shows the frame due by the file's own timestamps (`seek_time`,
  frames.py), check the frame Qt delivers and aim once more if it is another; the position
  reads as asked.
"""

from __future__ import annotations

import math
import time
from pathlib import Path
from typing import ClassVar

from PySide6.QtCore import QObject, QTimer, QUrl
from PySide6.QtMultimedia import (
    QAudioOutput,
    QMediaMetaData,
    QMediaPlayer,
    QVideoFrame,
    QVideoSink,
)

from casebook_player.media.frames import FrameTimes, read_frame_times
from casebook_player.media.pause_point import PausePoint
from casebook_player.media.player import (
    BackendUnavailable,
    MediaPlayer,
    PlayerSignals,
    clamp_volume,
    missing_file_message,
)

# Fire this much before the key point's frame starts: position reports lag the picture by
# ~10 ms and pausing takes effect ~10-20 ms later. Landing early is invisible because the
# seek to the key point follows at once.
LEAD_MS = 15

# A video that has shown no picture this long after loading is one Qt cannot decode here (an
# AV1 file without a decoder loads, plays and shows nothing, with no error from Qt).
FIRST_FRAME_MS = 3000

_Status = QMediaPlayer.MediaStatus
_State = QMediaPlayer.PlaybackState


class QtPlayer(PlayerSignals):
    """MediaPlayer on Qt Multimedia. `audio=False` plays silently (a muted output)."""

    name: ClassVar[str] = "qt"

    def __init__(self, parent: QObject | None = None, *, audio: bool = True) -> None:
        super().__init__(parent)
        self._player = QMediaPlayer(self)
        if not self._player.isAvailable():
            raise BackendUnavailable(
                "Qt Multimedia has no working media backend here (the FFmpeg plugin of "
                "PySide6-Addons did not load); install libpulse0 or use the vlc backend"
            )
        # Always an audio output, muted when no audio is wanted: without one, audio-only media
        # never reaches EndOfMedia (Qt 6.11). With no device Qt falls back to the system clock.
        self._audio = QAudioOutput(self)
        self._audio.setMuted(not audio)
        self._player.setAudioOutput(self._audio)
        self._sink = QVideoSink(self)
        self._player.setVideoSink(self._sink)

        self._path: Path | None = None
        self._times = FrameTimes()  # the file's own frame times, or unknown (a grid)
        self._loaded = False  # LoadedMedia seen for the current source
        self._prime = False  # pause() on load so the first frame is shown
        self._pending_seek: int | None = None  # seek() before the media had loaded
        self._held: int | None = None  # the position asked for while paused (see _show)
        self._aimed: int | None = None  # where _show really seeked for it
        self._retried = False  # _show re-aimed once for the frame Qt showed instead
        self._span_ms: float | None = None  # how long Qt holds each frame (see seek_time)
        self._playing = False
        # play() asked and not yet paused: frames flow before Qt reports the state (or a new
        # position) under load. Where and when it was asked bounds how far playback can be.
        self._play_asked: tuple[int, float] | None = None
        self._error_sent = False
        self._pause_point = PausePoint(LEAD_MS, self)
        self._no_picture = QTimer(self)
        self._no_picture.setSingleShot(True)
        self._no_picture.setInterval(FIRST_FRAME_MS)
        self._no_picture.timeout.connect(
            lambda: self._send_error(
                f"no picture was decoded within {FIRST_FRAME_MS / 1000:g} s "
                "(its video codec cannot be played here)"
            )
        )

        self._pause_point.due.connect(self._land)
        self._player.positionChanged.connect(self._on_position)
        self._player.durationChanged.connect(self._on_duration)
        self._player.playbackStateChanged.connect(self._on_state)
        self._player.mediaStatusChanged.connect(self._on_status)
        self._player.errorOccurred.connect(self._on_error)
        self._sink.videoFrameChanged.connect(self._on_frame)

    # -- commands ---------------------------------------------------------------------------

    def open(self, path: Path) -> None:
        self.close()
        message = missing_file_message(path)
        if message is not None:
            self.error.emit(message)
            return
        self._path = path
        self._times = read_frame_times(path)
        self._prime = True
        self._player.setSource(QUrl.fromLocalFile(str(path.resolve())))

    def close(self) -> None:
        self._pause_point.take()
        self._no_picture.stop()
        self._path = None
        self._loaded = False
        self._prime = False
        self._pending_seek = None
        self._held = self._aimed = self._span_ms = None
        self._play_asked = None
        self._error_sent = False
        if not self._player.source().isEmpty():
            # Never stop(): it can deadlock (module docstring).
            self._player.setSource(QUrl())
        self._set_playing(False)

    def play(self) -> None:
        if self._path is None:
            return
        self._prime = False
        self._play_asked = (self.position(), time.monotonic())
        self._player.play()

    def pause(self) -> None:
        if self._path is None:
            return
        self._prime = False
        self._play_asked = None
        self._player.pause()

    def seek(self, ms: int) -> None:
        if self._path is None:
            return
        ms = self._clamp(ms)
        self._pause_point.moved(ms)
        if self._play_asked is not None:
            self._play_asked = (ms, time.monotonic())
        if not self._loaded:
            self._pending_seek = ms
            return
        self._show(ms)
        if self._player.playbackState() == _State.StoppedState:
            # Stopped (after the end) shows nothing; paused renders the frame at ms.
            self._player.pause()

    def step(self, frames: int) -> None:
        if self._path is None:
            return
        if self._playing:
            self.pause()
        self.seek(self._frames().step(self.position(), frames, self.duration()))

    def pause_at(self, ms: int | None) -> None:
        aim = None
        if ms is not None and self._player.hasVideo():
            times = self._frames()
            aim = times.start(times.at(ms))
        self._pause_point.arm(ms, self.position(), aim)
        if self._playing:
            self._pause_point.update(self.position())

    def position(self) -> int:
        if self._pending_seek is not None:
            return self._pending_seek
        if self._held is not None and not self._playing:
            return self._held
        return int(self._player.position())

    def duration(self) -> int:
        return int(self._player.duration())

    def is_playing(self) -> bool:
        return self._playing

    def set_loop(self, loop: bool) -> None:
        loops = QMediaPlayer.Loops.Infinite if loop else QMediaPlayer.Loops.Once
        self._player.setLoops(int(loops.value))

    def set_volume(self, volume: float) -> None:
        self._audio.setVolume(clamp_volume(volume))

    def set_view_size(self, width: int, height: int) -> None:
        pass  # QVideoSink hands over frames at the video's size; the view scales them

    # -- Qt signals -------------------------------------------------------------------------

    def _land(self) -> None:
        key = self._pause_point.take()
        if key is None:
            return
        self._player.pause()
        self._play_asked = None
        self._show(key)  # paused: repaints exactly the frame at key
        self._set_playing(False)
        self.paused_at.emit(key)

    def _on_position(self, ms: int) -> None:
        ms = int(ms)
        if self._playing:
            self._held = None
        elif self._held is not None and self._aimed is not None and abs(ms - self._aimed) <= 1:
            ms = self._held  # where _show aimed for it
        self.position_changed.emit(ms)
        if self._playing:
            self._pause_point.update(int(ms))

    def _on_duration(self, ms: int) -> None:
        self.duration_changed.emit(int(ms))

    def _on_state(self, state: QMediaPlayer.PlaybackState) -> None:
        self._set_playing(state == _State.PlayingState)

    def _on_status(self, status: QMediaPlayer.MediaStatus) -> None:
        if status == _Status.LoadedMedia and self._path is not None and not self._loaded:
            self._loaded = True
            if self._pending_seek is not None:
                self._show(self._pending_seek)
                self._pending_seek = None
            if self._pause_point.key is not None:
                self.pause_at(self._pause_point.key)  # now the frame rate is known
            if self._player.hasVideo():
                self._no_picture.start()
            if self._prime:
                self._prime = False
                self._player.pause()  # paused, unlike stopped, renders the first frame
        elif status == _Status.EndOfMedia:
            self._play_asked = None
            self._pause_point.halted()
            self._set_playing(False)
            self.ended.emit()
        elif status == _Status.InvalidMedia:
            self._send_error("the file cannot be decoded")

    def _on_error(self, error: QMediaPlayer.Error, text: str) -> None:
        if error != QMediaPlayer.Error.NoError:
            self._send_error(text or error.name)

    def _on_frame(self, frame: QVideoFrame) -> None:
        if not frame.isValid():
            return  # the sink clears itself at the end and on close; keep the last picture
        start_us, end_us = frame.startTime(), frame.endTime()
        if 0 <= start_us < end_us:
            self._span_ms = (end_us - start_us) / 1000
        start = start_us // 1000
        key = self._pause_point.ahead
        # The timer was late: never show a frame that starts after the key point. (A frame
        # beyond where playback can be is a leftover from before a backward seek: let it pass.)
        playing = self._playing or self._play_asked is not None
        if key is not None and playing and key < start <= self._furthest_playable():
            self._land()
            return
        held = self._held
        if not playing and held is not None and start_us >= 0:
            times = self._frames()
            # Qt's µs times are rounded: half a ms more keeps them in their own frame.
            shown, due = times.at(start_us / 1000 + 0.5), times.at(held)
            if shown != due:
                # Another frame than the one due: one still in flight from playing, or a seek
                # aimed with a guess of how long Qt holds a frame. A later one is never
                # shown; aim again if the aim moved now that Qt's span is known (the same
                # aim again would be a seek Qt ignores). An earlier one is shown once it
                # was aimed again: never keep a stale picture.
                retry, self._retried = not self._retried, True
                if retry and self._aim(held) != self._aimed:
                    self._show(held, retry=True)
                if shown > due or retry:
                    return
        image = frame.toImage()
        if not image.isNull():
            self._no_picture.stop()
            self.frame_ready.emit(image)

    # -- helpers ----------------------------------------------------------------------------

    def _furthest_playable(self) -> int:
        """The latest media time playback can have reached: the reported position, or where
        play() was asked plus the time since (the report lags under load), and a margin."""
        furthest = self.position()
        if self._play_asked is not None:
            asked_ms, asked_at = self._play_asked
            furthest = max(furthest, asked_ms + int((time.monotonic() - asked_at) * 1000))
        return furthest + 200

    def _show(self, ms: int, *, retry: bool = False) -> None:
        """setPosition where Qt shows the frame due at ms (see seek_time)."""
        self._held = ms
        self._retried = retry
        self._aimed = self._aim(ms)
        self._player.setPosition(self._aimed)

    def _aim(self, ms: int) -> int:
        if not self._player.hasVideo():
            return ms
        times = self._frames()
        span = self._span_ms if self._span_ms is not None else times.frame_ms
        aimed = seek_time(times, times.at(ms), span)
        return aimed if self._duration_allows(aimed) else ms

    def _duration_allows(self, ms: int) -> bool:
        duration = self.duration()
        return duration <= 0 or ms < duration

    def _send_error(self, reason: str) -> None:
        if self._error_sent:
            return  # Qt reports one failure as both a status and an error
        self._error_sent = True
        name = self._path.name if self._path is not None else "media"
        self.error.emit(f"Cannot play {name}: {reason}")

    def _set_playing(self, playing: bool) -> None:
        if playing != self._playing:
            self._playing = playing
            if not playing:
                self._pause_point.halted()
            self.playing_changed.emit(playing)

    def _clamp(self, ms: int) -> int:
        duration = self.duration()
        return max(0, min(int(ms), duration)) if duration > 0 else max(0, int(ms))

    def _frames(self) -> FrameTimes:
        """The file's frame times, else the grid of the rate Qt reads from it."""
        if self._times.starts:
            return self._times
        rate = self._player.metaData().value(QMediaMetaData.Key.VideoFrameRate)
        try:
            return FrameTimes(float(rate))
        except (TypeError, ValueError):
            return self._times


def seek_time(times: FrameTimes, index: int, span: float) -> int:
    """The whole ms at which a paused QMediaPlayer shows frame `index`.

    Qt holds each frame for one `span` (its frames' endTime - startTime: one frame at the
    average rate, or a single tick of some timescales), and after a seek shows the first
    frame whose end lies after the position. Frame `index` therefore shows from the previous
    frame's end to its own end; the middle of that stretch that also lies in the frame's own
    time is aimed at.
    """
    start = times.time(index)
    low = max(start, times.time(index - 1) + span) if index > 0 else 0.0
    high = max(start + span, low + 1)
    first = math.ceil(low)
    return min(max(round((low + high) / 2), first), max(first, math.ceil(high) - 1))


_: type[MediaPlayer] = QtPlayer  # mypy checks QtPlayer against the MediaPlayer protocol
