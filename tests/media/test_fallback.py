"""`auto` at run time: a file the first backend cannot decode plays on the next one."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from casebook_player.media.fake_player import FakePlayer
from casebook_player.media.fallback import FallbackPlayer
from casebook_player.media.player import BackendUnavailable, MediaPlayer


class Second(FakePlayer):
    name = "second"


@pytest.fixture
def clip(tmp_path: Path) -> Path:
    path = tmp_path / "clip.mp4"
    path.write_bytes(b"not read by the fake")
    return path


def players(qapp: Any) -> tuple[FallbackPlayer, FakePlayer, list[Second]]:
    first, made = FakePlayer(), []

    def make() -> MediaPlayer:
        made.append(Second())
        return made[-1]

    return FallbackPlayer(first, [make]), first, made


def test_a_file_the_first_cannot_open_plays_on_the_next(qapp: Any, clip: Path) -> None:
    player, first, made = players(qapp)
    errors: list[str] = []
    durations: list[int] = []
    player.error.connect(errors.append)
    player.duration_changed.connect(durations.append)
    first.fail_paths.add(clip)
    player.set_loop(True)
    player.set_volume(0.3)
    player.open(clip)
    assert errors == [] and player.name == "second"
    second = made[0]
    assert second.path == clip and second.loop and second.volume == 0.3
    assert durations, "the next backend's signals reach the player's listeners"


def test_a_failure_while_playing_resumes_where_it_was(qapp: Any, clip: Path) -> None:
    player, first, made = players(qapp)
    landed: list[int] = []
    player.paused_at.connect(landed.append)
    player.open(clip)
    player.seek(1200)
    player.pause_at(2000)
    player.play()
    first.error.emit("Cannot play clip.mp4: no picture was decoded within 3 s")
    second = made[0]
    assert second.call_names()[-4:] == ["open", "seek", "pause_at", "play"]
    assert second.position() == 1200 and second.is_playing()
    second.advance(1000)
    assert landed == [2000], "the pause point armed before the failure still lands"


def test_the_next_file_tries_the_first_backend_again(qapp: Any, clip: Path) -> None:
    player, first, made = players(qapp)
    first.fail_paths.add(clip)
    player.open(clip)
    other = clip.with_name("other.mp4")
    other.write_bytes(b"x")
    player.open(other)
    assert player.name == "fake" and first.path == other and made[0].path is None


def test_every_backend_failing_is_one_error_naming_each(qapp: Any, clip: Path) -> None:
    player, first, _ = players(qapp)
    errors: list[str] = []
    player.error.connect(errors.append)
    first.fail_paths.add(clip)
    player.open(clip)
    made_second = player._players[1]
    assert isinstance(made_second, Second)
    made_second.error.emit("Cannot play clip.mp4: second says no")
    assert len(errors) == 1
    assert errors[0].startswith("fake: Cannot play clip.mp4: the file cannot be decoded")
    assert errors[0].endswith("second says no")


def test_a_missing_file_is_reported_at_once(qapp: Any, tmp_path: Path) -> None:
    player, _, made = players(qapp)
    errors: list[str] = []
    player.error.connect(errors.append)
    player.open(tmp_path / "gone.mp4")
    assert errors == [f"Media file not found: {tmp_path / 'gone.mp4'}"] and made == []


def test_a_next_backend_that_cannot_start_says_so(qapp: Any, clip: Path) -> None:
    def broken() -> MediaPlayer:
        raise BackendUnavailable("libvlc is not installed")

    first = FakePlayer()
    player = FallbackPlayer(first, [broken])
    errors: list[str] = []
    player.error.connect(errors.append)
    first.fail_paths.add(clip)
    player.open(clip)
    assert player.name == "fake" and len(errors) == 1 and "libvlc is not installed" in errors[0]


@pytest.mark.slow
def test_auto_plays_a_clip_qt_shows_nothing_of_on_libvlc(qtbot: Any, tmp_path: Path) -> None:
    """AV1: Qt Multimedia here loads it and decodes no picture; libvlc shows it."""
    from clipmatrix import MATRIX, make_clip
    from contract import vlc_missing

    from casebook_player.media.backends import create_player

    if vlc_missing() is not None:
        pytest.skip(f"libvlc unavailable: {vlc_missing()}")
    path = make_clip(tmp_path / "av1.mp4", **MATRIX["av1.mp4"][0])
    player = create_player("auto", audio=False)
    frames: list[object] = []
    errors: list[str] = []
    player.frame_ready.connect(frames.append)
    player.error.connect(errors.append)
    player.open(path)
    qtbot.waitUntil(lambda: bool(frames) or bool(errors), timeout=8000)
    assert errors == [] and frames and player.name == "vlc"
    player.close()
