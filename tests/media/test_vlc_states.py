"""VlcPlayer's playback state: each command and libvlc event leads where it should.

Skipped only where libvlc is absent, like the other vlc tests.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from contract import Recorder, vlc_missing
from framecode import CLIP, CLIP_MS, GOP_CLIP, TONE, frame_at

from casebook_player.media import exact_frame
from casebook_player.media.exact_frame import decode_frame
from casebook_player.media.vlc_player import State, VlcPlayer

MISSING = vlc_missing()
pytestmark = pytest.mark.skipif(MISSING is not None, reason=f"libvlc unavailable: {MISSING}")


class States:
    """Every state the player enters, in order (a repeated state is listed once)."""

    def __init__(self, player: VlcPlayer, monkeypatch: pytest.MonkeyPatch) -> None:
        self.seen: list[State] = [player.state]
        enter = player._enter

        def recording(state: State, **data: int | None) -> None:
            enter(state, **data)
            if self.seen[-1] is not state:
                self.seen.append(state)

        monkeypatch.setattr(player, "_enter", recording)

    def since(self) -> list[State]:
        """The states entered since the last call (the current one first)."""
        seen, self.seen = self.seen, self.seen[-1:]
        return seen


@pytest.fixture
def player(qapp: Any) -> Iterator[VlcPlayer]:
    player = VlcPlayer(audio=False)
    yield player
    player.close()


@pytest.fixture
def states(player: VlcPlayer, monkeypatch: pytest.MonkeyPatch) -> States:
    return States(player, monkeypatch)


def open_clip(qtbot: Any, player: VlcPlayer, rec: Recorder, clip: Path = CLIP) -> None:
    player.open(clip)
    qtbot.waitUntil(lambda: player.duration() > 0 and rec.last_frame == 0, timeout=3000)


def test_a_new_player_is_idle(player: VlcPlayer) -> None:
    assert player.state is State.IDLE
    player.play()  # ignored with nothing open
    player.step(1)
    assert player.state is State.IDLE
    assert not player.is_playing()


def test_open_play_pause_end_and_close(qtbot: Any, player: VlcPlayer, states: States) -> None:
    rec = Recorder(player)
    open_clip(qtbot, player, rec)
    assert states.since() == [State.IDLE, State.PAUSED]
    player.play()
    assert player.state is State.PLAYING and player.is_playing()
    qtbot.waitUntil(lambda: player.position() >= 200, timeout=3000)
    player.pause()
    assert player.state is State.PAUSED and not player.is_playing()
    player.seek(CLIP_MS - 200)
    assert player.state is State.PAUSED
    with qtbot.waitSignal(player.ended, timeout=3000):
        player.play()
    assert player.state is State.ENDED
    assert player.position() == CLIP_MS
    assert states.since() == [State.PAUSED, State.PLAYING, State.PAUSED, State.PLAYING, State.ENDED]
    assert rec.playing == [True, False, True, False]
    player.play()  # after the end: from 0
    assert player.state is State.PLAYING
    assert player.position() < 200
    player.close()
    assert states.since() == [State.ENDED, State.PLAYING, State.IDLE]
    assert player.position() == 0 and player.duration() == 0


def test_seek_after_the_end_is_paused(qtbot: Any, player: VlcPlayer) -> None:
    rec = Recorder(player)
    open_clip(qtbot, player, rec)
    player.seek(CLIP_MS - 100)
    with qtbot.waitSignal(player.ended, timeout=3000):
        player.play()
    player.seek(400)
    assert player.state is State.PAUSED
    qtbot.waitUntil(lambda: rec.last_frame == frame_at(400), timeout=3000)


def test_landing_on_a_pause_point_pauses(qtbot: Any, player: VlcPlayer, states: States) -> None:
    rec = Recorder(player)
    open_clip(qtbot, player, rec)
    player.pause_at(600)
    with qtbot.waitSignal(player.paused_at, timeout=3000):
        player.play()
    assert player.state is State.PAUSED
    assert player.position() == 600
    assert states.since() == [State.IDLE, State.PAUSED, State.PLAYING, State.PAUSED]


def test_a_pause_point_at_the_very_end_lands_and_play_starts_afresh(
    qtbot: Any, player: VlcPlayer
) -> None:
    rec = Recorder(player)
    open_clip(qtbot, player, rec)
    player.seek(CLIP_MS - 300)
    player.pause_at(CLIP_MS - 5)
    with qtbot.waitSignal(player.paused_at, timeout=3000):
        player.play()
    assert player.state is State.PAUSED
    assert rec.ended == 0
    player.play()
    assert player.state is State.PLAYING


def test_looping_never_ends(qtbot: Any, player: VlcPlayer, states: States) -> None:
    rec = Recorder(player)
    open_clip(qtbot, player, rec)
    player.set_loop(True)
    player.seek(CLIP_MS - 200)
    player.play()
    qtbot.waitUntil(lambda: 0 < player.position() < 1000, timeout=3000)
    assert player.state is State.PLAYING
    assert rec.ended == 0
    assert states.since() == [State.IDLE, State.PAUSED, State.PLAYING]


def test_step_while_playing_pauses(qtbot: Any, player: VlcPlayer) -> None:
    rec = Recorder(player)
    open_clip(qtbot, player, rec)
    player.play()
    qtbot.waitUntil(lambda: player.position() >= 300, timeout=3000)
    player.step(1)
    assert player.state is State.PAUSED
    assert rec.playing == [True, False]


def test_step_while_playing_audio_pauses(qtbot: Any, player: VlcPlayer) -> None:
    rec = Recorder(player)
    player.open(TONE)
    qtbot.waitUntil(lambda: player.duration() > 0, timeout=3000)
    player.play()
    qtbot.waitUntil(lambda: player.position() >= 200, timeout=3000)
    player.step(1)
    assert player.state is State.PAUSED
    at = player.position()
    qtbot.wait(300)
    assert player.position() == at
    assert rec.playing == [True, False]
    player.play()
    assert player.state is State.PLAYING


def test_long_gop_seek_while_paused_shows_only_the_files_frame(
    qtbot: Any, player: VlcPlayer, states: States
) -> None:
    # libvlc's own paused picture there is frame 6 or none (measured); the player shows the
    # frame decoded from the file, and nothing else.
    rec = Recorder(player)
    open_clip(qtbot, player, rec, GOP_CLIP)
    states.since()
    for ms in (400, 1460):
        rec.clear()
        player.seek(ms)
        assert player.state is State.PAUSED and player.position() == ms
        qtbot.waitUntil(lambda: bool(rec.frames), timeout=3000)
        qtbot.wait(300)
        assert rec.frames == [frame_at(ms)]
    assert states.since() == [State.PAUSED]
    assert rec.playing == []


def test_a_frame_decoded_too_late_never_replaces_playing_pictures(
    qtbot: Any, player: VlcPlayer, monkeypatch: pytest.MonkeyPatch
) -> None:
    rec = Recorder(player)
    open_clip(qtbot, player, rec, GOP_CLIP)

    decoding = threading.Event()

    def slow(*args: Any) -> Any:
        decoding.set()
        time.sleep(0.3)
        return decode_frame(*args)

    monkeypatch.setattr(exact_frame, "decode_frame", slow)
    player.seek(200)
    qtbot.waitUntil(decoding.is_set, timeout=2000)
    player.play()  # before the frame at 200 is decoded: it arrives while playing
    rec.clear()
    qtbot.waitUntil(lambda: player.position() >= 900, timeout=3000)
    player.pause()
    assert len(rec.frames) > 10 and rec.frames == sorted(rec.frames), rec.frames
    assert frame_at(200) not in rec.frames[3:], rec.frames


def test_play_resumes_a_long_gop_paused_seek_from_its_frame(qtbot: Any, player: VlcPlayer) -> None:
    rec = Recorder(player)
    open_clip(qtbot, player, rec, GOP_CLIP)
    player.seek(1000)
    qtbot.waitUntil(lambda: rec.last_frame == frame_at(1000), timeout=3000)
    rec.clear()
    player.play()
    assert player.state is State.PLAYING
    qtbot.waitUntil(lambda: player.position() >= 1200, timeout=3000)
    player.pause()
    assert rec.frames and min(rec.frames) >= frame_at(1000), rec.frames
    assert rec.frames[0] <= frame_at(1000) + 1, rec.frames


def test_missing_file_fails_and_close_forgets_it(
    player: VlcPlayer, states: States, tmp_path: Path
) -> None:
    errors: list[str] = []
    player.error.connect(errors.append)
    player.open(tmp_path / "missing.mp4")
    assert player.state is State.FAILED
    assert errors and "not found" in errors[0]
    player.play()  # ignored after a failure
    assert player.state is State.FAILED
    player.close()
    assert states.since() == [State.IDLE, State.FAILED, State.IDLE]


def test_undecodable_file_fails_then_another_opens(
    qtbot: Any, player: VlcPlayer, tmp_path: Path
) -> None:
    rec = Recorder(player)
    junk = tmp_path / "junk.mp4"
    junk.write_bytes(random.Random(7).randbytes(64 * 1024))
    player.open(junk)
    qtbot.waitUntil(lambda: bool(rec.errors), timeout=5000)
    assert player.state is State.FAILED
    assert not player.is_playing() and player.duration() == 0
    open_clip(qtbot, player, rec)
    assert player.state is State.PAUSED


def test_only_paused_keeps_an_input_and_a_picture(qtbot: Any, player: VlcPlayer) -> None:
    rec = Recorder(player)
    open_clip(qtbot, player, rec)
    assert (player._input_at, player._shown) == (0, 0)
    player.play()
    assert (player._input_at, player._shown) == (None, None)
    with pytest.raises(AssertionError):
        player._enter(State.PLAYING, input_at=0)
