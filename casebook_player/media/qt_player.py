"""Qt Multimedia backend: QMediaPlayer + QAudioOutput + QVideoSink.

What Qt Multimedia does, as measured (Qt 6.11, bundled FFmpeg), and what this module does:
- `QMediaPlayer.stop()` can deadlock against a Qt playback thread that waits for the GIL, and
  so can a create → stop → delete cycle of players. One QMediaPlayer lives as long as this
  object and is reused for every file; a source is released with `setSource(QUrl())`.
- `positionChanged` fires every ~40-50 ms, so an exact pause uses a precise timer armed from
  the last report (see pause_point.py), then `pause()` + `setPosition(key)`.
- In long-GOP video with B-frames, `setPosition(t)` shows the frame that starts before t, so
  at a frame's first millisecond it shows the frame before (all-intra video shows the frame
  at t). Seeks go 1 ms further inside the frame; the position reads as asked.
"""

from __future__ import annotations

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

from casebook_player.media.frames import DEFAULT_FPS, frame_at, frame_start, step_target
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
        self._loaded = False  # LoadedMedia seen for the current source
        self._prime = False  # pause() on load so the first frame is shown
        self._pending_seek: int | None = None  # seek() before the media had loaded
        self._held: int | None = None  # the position asked for while paused (see _show)
        self._playing = False
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
        self._prime = True
        self._player.setSource(QUrl.fromLocalFile(str(path.resolve())))

    def close(self) -> None:
        self._pause_point.take()
        self._no_picture.stop()
        self._path = None
        self._loaded = False
        self._prime = False
        self._pending_seek = None
        self._held = None
        self._error_sent = False
        if not self._player.source().isEmpty():
            # Never stop(): it can deadlock (module docstring).
            self._player.setSource(QUrl())
        self._set_playing(False)

    def play(self) -> None:
        if self._path is None:
            return
        self._prime = False
        self._player.play()

    def pause(self) -> None:
        if self._path is None:
            return
        self._prime = False
        self._player.pause()

    def seek(self, ms: int) -> None:
        if self._path is None:
            return
        ms = self._clamp(ms)
        self._pause_point.moved(ms)
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
        self.seek(step_target(self.position(), frames, self._fps(), self.duration()))

    def pause_at(self, ms: int | None) -> None:
        aim = None
        if ms is not None and self._player.hasVideo():
            aim = frame_start(frame_at(ms, self._fps()), self._fps())
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
        self._show(key)  # paused: repaints exactly the frame at key
        self._set_playing(False)
        self.paused_at.emit(key)

    def _on_position(self, ms: int) -> None:
        ms = int(ms)
        if self._playing:
            self._held = None
        elif self._held is not None and 0 <= ms - self._held <= 1:
            ms = self._held  # the 1 ms nudge of _show
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
        key = self._pause_point.ahead
        start = frame.startTime() // 1000
        # The timer was late: never show a frame that starts after the key point. (A frame
        # far beyond the position is a leftover from before a backward seek: let it pass.)
        if key is not None and self._playing and key < start <= self.position() + 200:
            self._land()
            return
        image = frame.toImage()
        if not image.isNull():
            self._no_picture.stop()
            self.frame_ready.emit(image)

    # -- helpers ----------------------------------------------------------------------------

    def _show(self, ms: int) -> None:
        """setPosition(ms), nudged 1 ms into the frame so that its own picture is shown."""
        self._held = ms
        if self._player.hasVideo() and self._duration_allows(ms + 1):
            fps = self._fps()
            if frame_at(ms + 1, fps) == frame_at(ms, fps):
                ms += 1
        self._player.setPosition(ms)

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

    def _fps(self) -> float:
        rate = self._player.metaData().value(QMediaMetaData.Key.VideoFrameRate)
        try:
            fps = float(rate)
        except (TypeError, ValueError):
            return DEFAULT_FPS
        return fps if fps > 0 else DEFAULT_FPS


_: type[MediaPlayer] = QtPlayer  # mypy checks QtPlayer against the MediaPlayer protocol
