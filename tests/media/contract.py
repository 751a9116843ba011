"""The behaviour every MediaPlayer backend must show: one test class, subclassed per backend.

A subclass sets `backend` and implements `make_player`; a backend driven by hand (the fake)
also overrides `wait_until`/`settle` to move its clock, `mark_undecodable`, and sets
`real_pixels = False` because its frames do not show the clip's frame numbers.
"""

from __future__ import annotations

import itertools
import random
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest
from framecode import (
    CLIP,
    CLIP_FRAMES,
    CLIP_MS,
    FRAME_MS,
    GOP_CLIP,
    TONE,
    TONE_MS,
    frame_at,
    frame_number,
)
from PySide6.QtGui import QImage

from casebook_player.media.player import BackendUnavailable, MediaPlayer
from casebook_player.media.vlc_callbacks import vlc_instance
from casebook_player.media.vlc_player import player_args

DURATION_SLACK_MS = 50  # audio durations are rounded to codec frames


def vlc_missing() -> str | None:
    """Why libvlc/python-vlc cannot run here, or None when the vlc backend can."""
    try:
        vlc_instance(player_args(audio=False))
    except BackendUnavailable as exc:
        return str(exc)
    return None


class Recorder:
    """Connects to every signal of a player; frame numbers are read from the pixels."""

    def __init__(self, player: MediaPlayer, *, read_frames: bool = True) -> None:
        self._read_frames = read_frames
        self.frames: list[int] = []  # frame numbers (-1 when not read), in arrival order
        self.positions: list[tuple[float, int]] = []  # (monotonic seconds, ms)
        self.durations: list[int] = []
        self.playing: list[bool] = []
        self.paused_at: list[int] = []
        self.errors: list[str] = []
        self.ended = 0
        player.frame_ready.connect(self._on_frame)
        player.position_changed.connect(self._on_position)
        player.duration_changed.connect(self.durations.append)
        player.playing_changed.connect(self.playing.append)
        player.paused_at.connect(self.paused_at.append)
        player.error.connect(self.errors.append)
        player.ended.connect(self._on_ended)

    def clear(self) -> None:
        """Forget everything recorded so far."""
        for log in (
            self.frames,
            self.positions,
            self.durations,
            self.playing,
            self.paused_at,
            self.errors,
        ):
            log.clear()
        self.ended = 0

    @property
    def last_frame(self) -> int | None:
        """The latest frame's number, or None if no frame came."""
        return self.frames[-1] if self.frames else None

    @property
    def position_values(self) -> list[int]:
        """Reported positions in ms, in order."""
        return [ms for _, ms in self.positions]

    def _on_frame(self, image: QImage) -> None:
        self.frames.append(frame_number(image) if self._read_frames else -1)

    def _on_position(self, ms: int) -> None:
        self.positions.append((time.monotonic(), ms))

    def _on_ended(self) -> None:
        self.ended += 1


class PlayerContract:
    """Contract tests; pytest collects them through each backend's `Test...` subclass."""

    backend: ClassVar[str]
    real_pixels: ClassVar[bool] = True

    # -- hooks for subclasses ---------------------------------------------------------------

    def make_player(self) -> MediaPlayer:
        """A new player of this backend, silent."""
        raise NotImplementedError

    def wait_until(
        self,
        qtbot: Any,
        player: MediaPlayer,
        condition: Callable[[], object],
        timeout_ms: int = 4000,
    ) -> None:
        """Let playback run until `condition()` is true; fail after `timeout_ms`."""
        qtbot.waitUntil(lambda: bool(condition()), timeout=timeout_ms)

    def settle(self, qtbot: Any, player: MediaPlayer, ms: int) -> None:
        """Let `ms` pass (the picture and the clock settle)."""
        qtbot.wait(ms)

    def mark_undecodable(self, player: MediaPlayer, path: Path) -> None:
        """Tell a backend that cannot look inside files that `path` is undecodable."""

    # -- fixtures ---------------------------------------------------------------------------

    @pytest.fixture
    def player(self, qapp: Any) -> Iterator[MediaPlayer]:
        player = self.make_player()
        assert player.name == self.backend
        yield player
        player.close()

    @pytest.fixture
    def rec(self, player: MediaPlayer) -> Recorder:
        return Recorder(player, read_frames=self.real_pixels)

    # -- helpers ----------------------------------------------------------------------------

    def open_clip(self, qtbot: Any, player: MediaPlayer, rec: Recorder) -> None:
        player.open(CLIP)
        self.wait_until(qtbot, player, lambda: player.duration() > 0 and rec.frames)

    def expect_frame(self, qtbot: Any, player: MediaPlayer, rec: Recorder, ms: int) -> None:
        """The picture settles on the clip's frame at `ms` (any frame for the fake)."""
        if self.real_pixels:
            self.wait_until(qtbot, player, lambda: rec.last_frame == frame_at(ms), 2000)
        else:
            assert rec.frames, "no frame emitted"

    def expect_landing(self, qtbot: Any, player: MediaPlayer, rec: Recorder, key: int) -> None:
        """The picture settles on the key point's frame, and no later frame was ever shown."""
        if not self.real_pixels:
            assert rec.frames, "no frame emitted"
            return
        last = frame_at(key)
        self.wait_until(qtbot, player, lambda: rec.last_frame == last, 2000)
        self.settle(qtbot, player, 150)
        assert max(rec.frames) <= last, f"a frame past the key point: {rec.frames}"
        assert rec.last_frame == last, rec.frames

    # -- opening ----------------------------------------------------------------------------

    def test_open_video_reports_duration_and_shows_first_frame(
        self, qtbot: Any, player: MediaPlayer, rec: Recorder
    ) -> None:
        self.open_clip(qtbot, player, rec)
        assert player.duration() == CLIP_MS
        assert rec.durations[-1] == CLIP_MS
        assert player.position() == 0
        assert not player.is_playing()
        self.expect_frame(qtbot, player, rec, 0)
        assert rec.errors == []

    def test_audio_only_plays_to_the_end_without_frames(
        self, qtbot: Any, player: MediaPlayer, rec: Recorder
    ) -> None:
        player.open(TONE)
        self.wait_until(qtbot, player, lambda: player.duration() > 0)
        assert abs(player.duration() - TONE_MS) <= DURATION_SLACK_MS
        player.play()
        self.wait_until(qtbot, player, lambda: rec.ended, 3000)
        assert rec.frames == []
        assert rec.position_values[-1] >= TONE_MS - DURATION_SLACK_MS
        assert rec.errors == []

    # -- playing ----------------------------------------------------------------------------

    def test_play_advances_position_then_ends(
        self, qtbot: Any, player: MediaPlayer, rec: Recorder
    ) -> None:
        self.open_clip(qtbot, player, rec)
        rec.clear()
        player.play()
        assert player.is_playing()
        self.wait_until(qtbot, player, lambda: rec.ended, 4000)
        assert rec.playing == [True, False]
        assert rec.ended == 1
        assert not player.is_playing()
        assert player.position() == CLIP_MS
        values = rec.position_values
        assert values == sorted(values), "position went backwards while playing"
        # "At least every ~50 ms": judged on the median gap, which load on CI cannot skew.
        assert len(values) >= CLIP_MS // 100
        if self.real_pixels:
            times = [t for t, _ in rec.positions]
            gaps = sorted(b - a for a, b in itertools.pairwise(times))
            assert gaps[len(gaps) // 2] <= 0.060
            assert rec.frames == sorted(rec.frames)
            assert rec.last_frame == CLIP_FRAMES - 1

    def test_play_after_the_end_starts_over(
        self, qtbot: Any, player: MediaPlayer, rec: Recorder
    ) -> None:
        self.open_clip(qtbot, player, rec)
        player.seek(CLIP_MS - 200)
        player.play()
        self.wait_until(qtbot, player, lambda: rec.ended)
        rec.clear()
        player.play()
        self.wait_until(qtbot, player, lambda: 0 < player.position() < CLIP_MS // 2)
        assert player.is_playing()
        player.pause()
        assert not player.is_playing()

    def test_loop_goes_round_without_ending(
        self, qtbot: Any, player: MediaPlayer, rec: Recorder
    ) -> None:
        self.open_clip(qtbot, player, rec)
        player.set_loop(True)
        player.seek(CLIP_MS - 300)
        rec.clear()
        player.play()
        wrapped = lambda: any(ms < 500 for ms in rec.position_values)  # noqa: E731
        self.wait_until(qtbot, player, wrapped, 3000)
        self.wait_until(qtbot, player, lambda: rec.position_values[-1] >= 200)
        assert rec.ended == 0
        assert player.is_playing()
        player.pause()

    def test_pause_holds_position_and_resumes_from_it(
        self, qtbot: Any, player: MediaPlayer, rec: Recorder
    ) -> None:
        self.open_clip(qtbot, player, rec)
        player.play()
        self.wait_until(qtbot, player, lambda: player.position() >= 400)
        player.pause()
        held = player.position()
        self.settle(qtbot, player, 200)
        assert not player.is_playing()
        assert player.position() == held
        if self.real_pixels:
            assert rec.last_frame is not None
            assert abs(rec.last_frame - frame_at(held)) <= 1
        player.play()
        self.wait_until(qtbot, player, lambda: player.position() >= held + 200)
        player.pause()

    # -- seeking ----------------------------------------------------------------------------

    @pytest.mark.parametrize("targets", [(1240, 400, 1279, 0, CLIP_MS - 1, 655)])
    def test_seek_while_paused_shows_the_frame_at_that_time(
        self, qtbot: Any, player: MediaPlayer, rec: Recorder, targets: tuple[int, ...]
    ) -> None:
        self.open_clip(qtbot, player, rec)
        for ms in targets:
            rec.clear()
            player.seek(ms)
            self.expect_frame(qtbot, player, rec, ms)
            assert player.position() == ms
            assert not player.is_playing()

    def test_seek_to_the_same_frame_twice_still_shows_it(
        self, qtbot: Any, player: MediaPlayer, rec: Recorder
    ) -> None:
        self.open_clip(qtbot, player, rec)
        for ms in (1000, 1010, 1039, 600):
            rec.clear()
            player.seek(ms)
            self.expect_frame(qtbot, player, rec, ms)

    def test_step_moves_by_frames(self, qtbot: Any, player: MediaPlayer, rec: Recorder) -> None:
        self.open_clip(qtbot, player, rec)
        player.seek(400)
        self.expect_frame(qtbot, player, rec, 400)
        player.step(1)
        assert player.position() == 440
        self.expect_frame(qtbot, player, rec, 440)
        player.step(-3)
        assert player.position() == 320
        self.expect_frame(qtbot, player, rec, 320)
        player.step(-100)
        assert player.position() == 0
        self.expect_frame(qtbot, player, rec, 0)
        player.step(1000)
        assert player.position() == CLIP_MS - FRAME_MS
        self.expect_frame(qtbot, player, rec, CLIP_MS - FRAME_MS)

    # -- pause points -----------------------------------------------------------------------

    # A frame start, the last ms of a frame, and mid-frame.
    @pytest.mark.parametrize("key", [1240, 1279, 655])
    def test_pause_at_lands_exactly_on_the_key_frame(
        self, qtbot: Any, player: MediaPlayer, rec: Recorder, key: int
    ) -> None:
        self.open_clip(qtbot, player, rec)
        player.seek(key - 320)
        player.pause_at(key)
        rec.clear()
        player.play()
        self.wait_until(qtbot, player, lambda: rec.paused_at)
        assert rec.paused_at == [key]
        assert player.position() == key
        assert not player.is_playing()
        assert rec.playing == [True, False]
        self.expect_landing(qtbot, player, rec, key)
        # One-shot: playing on does not pause at the same point again.
        player.play()
        self.wait_until(qtbot, player, lambda: player.position() >= key + 200)
        assert rec.paused_at == [key]
        player.pause()

    # Clips are usually long-GOP with B-frames: landing must not depend on seeking exactly.
    def test_pause_at_lands_exactly_in_long_gop_video(
        self, qtbot: Any, player: MediaPlayer, rec: Recorder
    ) -> None:
        key = 680  # a frame start: where Qt needs its 1 ms nudge
        player.open(GOP_CLIP)
        self.wait_until(qtbot, player, lambda: player.duration() > 0 and rec.frames)
        player.pause_at(key)
        player.play()  # from 0: no seek involved before the key point
        self.wait_until(qtbot, player, lambda: rec.paused_at, 4000)
        assert rec.paused_at == [key]
        assert player.position() == key
        self.expect_landing(qtbot, player, rec, key)
        # What the session does next: seek to the key point it is already showing.
        shown = rec.last_frame
        rec.clear()
        player.seek(key)
        if self.real_pixels:
            self.wait_until(qtbot, player, lambda: bool(rec.frames), 2000)
            self.settle(qtbot, player, 150)
            assert set(rec.frames) == {shown}, "the picture changed"

    def test_open_seek_pause_at_and_play_in_one_go(
        self, qtbot: Any, player: MediaPlayer, rec: Recorder
    ) -> None:
        # How the narration is driven: nothing waits for the file to load.
        player.open(CLIP)
        player.seek(900)
        player.pause_at(1279)
        player.play()
        self.wait_until(qtbot, player, lambda: rec.paused_at)
        assert rec.paused_at == [1279]
        assert player.position() == 1279
        self.expect_landing(qtbot, player, rec, 1279)
        if self.real_pixels:
            assert min(rec.frames) >= frame_at(900), "playback did not start at the seek"

    def test_pause_at_in_audio_only_media(
        self, qtbot: Any, player: MediaPlayer, rec: Recorder
    ) -> None:
        player.open(TONE)
        self.wait_until(qtbot, player, lambda: player.duration() > 0)
        player.pause_at(600)
        player.play()
        self.wait_until(qtbot, player, lambda: rec.paused_at, 3000)
        assert rec.paused_at == [600]
        assert player.position() == 600
        assert not player.is_playing()
        assert rec.frames == []

    def test_pause_at_none_disarms(self, qtbot: Any, player: MediaPlayer, rec: Recorder) -> None:
        self.open_clip(qtbot, player, rec)
        player.seek(500)
        player.pause_at(800)
        player.pause_at(None)
        player.play()
        self.wait_until(qtbot, player, lambda: player.position() >= 1100)
        assert rec.paused_at == []
        assert player.is_playing()
        player.pause()

    def test_pause_at_behind_the_playhead_waits_for_a_crossing(
        self, qtbot: Any, player: MediaPlayer, rec: Recorder
    ) -> None:
        self.open_clip(qtbot, player, rec)
        player.seek(1000)
        player.pause_at(800)  # already passed: must not pause at once
        player.play()
        self.wait_until(qtbot, player, lambda: player.position() >= 1300)
        assert rec.paused_at == []
        rec.clear()
        player.seek(200)  # now the point is ahead again
        key_frame = frame_at(800)
        self.wait_until(qtbot, player, lambda: any(n < key_frame for n in rec.frames))
        # A picture decoded before the seek may still arrive after it; it was on screen
        # already and is no part of the landing.
        del rec.frames[: next(i for i, n in enumerate(rec.frames) if n < key_frame)]
        self.wait_until(qtbot, player, lambda: rec.paused_at)
        assert rec.paused_at == [800]
        self.expect_landing(qtbot, player, rec, 800)
        if self.real_pixels:
            # It played from 200 up to 800; pictures left over from before the seek did not
            # count as a crossing.
            assert any(frame_at(200) < n < key_frame for n in rec.frames), rec.frames

    # -- failures ---------------------------------------------------------------------------

    def test_missing_file_emits_error_and_player_still_works(
        self, qtbot: Any, player: MediaPlayer, rec: Recorder, tmp_path: Path
    ) -> None:
        player.open(tmp_path / "missing.mp4")
        self.wait_until(qtbot, player, lambda: rec.errors)
        assert "missing.mp4" in rec.errors[0]
        assert "not found" in rec.errors[0]
        assert not player.is_playing()
        self.open_clip(qtbot, player, rec)
        self.expect_frame(qtbot, player, rec, 0)

    def test_undecodable_file_emits_error_and_player_still_works(
        self, qtbot: Any, player: MediaPlayer, rec: Recorder, tmp_path: Path
    ) -> None:
        junk = tmp_path / "junk.mp4"
        # Seeded, so that a run can never draw bytes that happen to probe as some format.
        junk.write_bytes(random.Random(7).randbytes(64 * 1024))
        self.mark_undecodable(player, junk)
        player.open(junk)
        self.wait_until(qtbot, player, lambda: rec.errors, 5000)
        assert "junk.mp4" in rec.errors[0]
        player.play()  # harmless after a failure
        assert not player.is_playing() or player.duration() == 0
        rec.clear()
        self.open_clip(qtbot, player, rec)
        self.expect_frame(qtbot, player, rec, 0)
        assert rec.errors == []

    # -- reuse ------------------------------------------------------------------------------

    def test_close_then_open_another_file(
        self, qtbot: Any, player: MediaPlayer, rec: Recorder
    ) -> None:
        self.open_clip(qtbot, player, rec)
        player.play()
        self.wait_until(qtbot, player, lambda: player.position() >= 200)
        player.close()
        assert not player.is_playing()
        rec.clear()
        player.open(TONE)
        self.wait_until(qtbot, player, lambda: player.duration() > 0)
        assert abs(player.duration() - TONE_MS) <= DURATION_SLACK_MS
        assert rec.frames == []
        rec.clear()
        self.open_clip(qtbot, player, rec)  # and back, without close()
        assert player.duration() == CLIP_MS
        self.expect_frame(qtbot, player, rec, 0)
        player.play()
        self.wait_until(qtbot, player, lambda: player.position() >= 200)
        player.pause()
        assert rec.errors == []

    def test_volume_and_loop_settings_are_accepted_any_time(self, player: MediaPlayer) -> None:
        for volume in (0.0, 0.5, 1.0, -1.0, 2.0):
            player.set_volume(volume)
        player.set_loop(True)
        player.set_loop(False)
        player.pause_at(None)
        # Commands with nothing open are ignored, not errors.
        player.play()
        player.pause()
        player.seek(100)
        player.step(1)
        player.close()
        assert not player.is_playing()
