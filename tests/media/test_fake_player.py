"""FakePlayer meets the player contract, and its test-only controls work as documented."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from contract import PlayerContract, Recorder
from framecode import CLIP, CLIP_MS, GOP_CLIP, TONE, TONE_MS

from casebook_player.media.fake_player import DEFAULT_DURATION_MS, FakePlayer
from casebook_player.media.player import MediaPlayer

DURATIONS = {CLIP: CLIP_MS, GOP_CLIP: CLIP_MS, TONE: TONE_MS}


def clip_durations(path: Path) -> int:
    return DURATIONS.get(path, DEFAULT_DURATION_MS)


class TestFakePlayer(PlayerContract):
    backend = "fake"
    real_pixels = False

    def make_player(self) -> MediaPlayer:
        return FakePlayer(clip_durations)

    def wait_until(
        self,
        qtbot: Any,
        player: MediaPlayer,
        condition: Callable[[], object],
        timeout_ms: int = 4000,
    ) -> None:
        assert isinstance(player, FakePlayer)
        for _ in range(timeout_ms // 10):
            if condition():
                return
            player.advance(10)
        assert condition(), f"not reached within {timeout_ms} ms of fake time"

    def settle(self, qtbot: Any, player: MediaPlayer, ms: int) -> None:
        assert isinstance(player, FakePlayer)
        player.advance(ms)

    def mark_undecodable(self, player: MediaPlayer, path: Path) -> None:
        assert isinstance(player, FakePlayer)
        player.fail_paths.add(path)


@pytest.fixture
def fake(qapp: Any) -> FakePlayer:
    return FakePlayer()


def test_default_duration_is_one_minute_for_any_existing_file(
    fake: FakePlayer, tmp_path: Path
) -> None:
    path = tmp_path / "narration.wav"
    path.write_bytes(b"")
    fake.open(path)
    assert fake.duration() == DEFAULT_DURATION_MS
    assert fake.path == path


def test_advance_moves_only_while_playing_and_lands_pause_points_exactly(
    fake: FakePlayer,
) -> None:
    rec = Recorder(fake, read_frames=False)
    fake.open(CLIP)
    fake.advance(500)
    assert fake.position() == 0
    fake.pause_at(1234)
    fake.play()
    fake.advance(1000)
    assert fake.position() == 1000
    assert rec.position_values[-3:] == [920, 960, 1000]  # reported every tick_ms (40)
    fake.advance(5000)  # lands at the key point and stops there
    assert fake.position() == 1234
    assert rec.paused_at == [1234]
    assert not fake.is_playing()
    assert rec.playing == [True, False]


def test_calls_are_recorded_with_their_arguments(fake: FakePlayer) -> None:
    fake.open(CLIP)
    fake.set_loop(True)
    fake.set_volume(0.25)
    fake.seek(1200)
    fake.pause_at(1500)
    fake.play()
    fake.pause()
    fake.step(-1)
    fake.close()
    assert fake.calls == [
        ("open", CLIP),
        ("set_loop", True),
        ("set_volume", 0.25),
        ("seek", 1200),
        ("pause_at", 1500),
        ("play",),
        ("pause",),
        ("step", -1),
        ("close",),
    ]
    assert fake.call_names()[:2] == ["open", "set_loop"]
    assert fake.volume == 0.25
    assert fake.loop is True


def test_video_files_get_a_grey_frame_and_audio_files_none(qapp: Any) -> None:
    fake = FakePlayer(clip_durations)
    rec = Recorder(fake, read_frames=False)
    fake.open(TONE)
    fake.seek(300)
    assert rec.frames == []
    fake.open(CLIP)
    assert len(rec.frames) == 1
    fake.seek(300)
    assert len(rec.frames) == 2


def test_fail_paths_emit_an_error_on_open(fake: FakePlayer) -> None:
    rec = Recorder(fake, read_frames=False)
    fake.fail_paths.add(CLIP)
    fake.open(CLIP)
    assert len(rec.errors) == 1
    assert "frames.mp4" in rec.errors[0]
    assert fake.duration() == 0
    assert fake.path is None
