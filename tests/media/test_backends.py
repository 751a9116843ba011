"""Choosing a backend: auto prefers qt, falls back to vlc, and failures say what to install."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

import pytest

from casebook_player.media import backends
from casebook_player.media.backends import available_backends, create_player
from casebook_player.media.player import BackendUnavailable, MediaPlayer
from casebook_player.media.vlc_callbacks import load_vlc


def test_auto_prefers_qt(qapp: Any) -> None:
    player = create_player(audio=False)
    assert player.name == "qt"
    player.close()


@pytest.mark.parametrize("name", ["qt", "vlc", "fake"])
def test_each_backend_by_name(qapp: Any, name: str) -> None:
    if name == "vlc" and "vlc" not in available_backends():
        pytest.skip(f"libvlc unavailable: {backends.unavailable_reason('vlc')}")
    player = create_player(name, audio=False)
    assert isinstance(player, MediaPlayer)
    assert player.name == name
    player.close()


def test_available_backends_lists_qt_and_vlc_here(qapp: Any) -> None:
    # CI installs libvlc, so both must work there; "fake" is for tests and never listed.
    assert available_backends() == ["qt", "vlc"]


def test_auto_falls_back_to_vlc_when_qt_cannot_start(
    qapp: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(parent: Any, audio: bool) -> MediaPlayer:
        raise BackendUnavailable("Qt Multimedia cannot be imported (test)")

    monkeypatch.setattr(backends, "_qt_player", broken)
    player = create_player("auto", audio=False)
    assert player.name == "vlc"
    player.close()


def test_auto_explains_when_nothing_works(qapp: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(parent: Any, audio: bool) -> MediaPlayer:
        raise BackendUnavailable("no Qt (test)")

    monkeypatch.setattr(backends, "_qt_player", broken)
    monkeypatch.setitem(sys.modules, "vlc", None)  # as if python-vlc were not installed
    with pytest.raises(BackendUnavailable) as info:
        create_player("auto")
    message = str(info.value)
    assert "qt: no Qt (test)" in message
    assert "apt-get install libvlc5" in message


def test_missing_python_vlc_is_reported_with_the_fix(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "vlc", None)
    with pytest.raises(BackendUnavailable, match=r"python-vlc is not installed.*libvlc"):
        load_vlc()


def test_unknown_backend_is_refused_clearly() -> None:
    with pytest.raises(BackendUnavailable, match="Unknown media backend 'gstreamer'"):
        create_player("gstreamer")


def test_package_works_without_python_vlc() -> None:
    script = (
        "import sys; sys.modules['vlc'] = None\n"
        "from casebook_player.media import BackendUnavailable, create_player\n"
        "import casebook_player.media.vlc_player\n"
        "assert create_player('fake').name == 'fake'\n"
        "try:\n"
        "    create_player('vlc')\n"
        "except BackendUnavailable as exc:\n"
        "    print(exc)\n"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, env=env
    )
    assert done.returncode == 0, done.stderr
    assert "python-vlc is not installed" in done.stdout
