"""The kiosk under a real window manager (openbox on Xvfb): Alt+Tab does not leave it, and
focus taken away, minimising, unmapping or a close request each cover the screen, pause the
attempt with the clock stopped and are journaled, until the proctor's PIN resumes it."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from casefactory import case_data, write_case
from PySide6.QtGui import QImage
from xsession import XSession, openbox_session, wait_for

CHILD = Path(__file__).with_name("kiosk_child.py")
ROOT = Path(__file__).parents[2]

# Stands in for the terminal a candidate reached behind the kiosk: it prints what is typed.
BYSTANDER = """
from PySide6.QtWidgets import QApplication, QLineEdit
app = QApplication([])
edit = QLineEdit()
edit.setWindowTitle("bystander")
edit.textChanged.connect(lambda text: print(text, flush=True))
edit.show()
app.exec()
"""

pytestmark = pytest.mark.slow


class Kiosk:
    """The kiosk player process, asked for its state over a pipe."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        self.process = process

    def ask(self, command: str = "state") -> dict[str, Any]:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        assert line, f"the kiosk process ended ({self.process.wait()})"
        state: dict[str, Any] = json.loads(line)
        return state

    def wait(self, condition: str, check: Any, timeout: float = 10.0) -> dict[str, Any]:
        seen: dict[str, Any] = {}

        def met() -> bool:
            seen.update(self.ask())
            return bool(check(seen))

        try:
            wait_for(met, condition, timeout)
        except AssertionError as exc:
            raise AssertionError(f"{exc}; the last state: {seen}") from None
        return seen


@pytest.fixture
def x11() -> Iterator[XSession]:
    with openbox_session() as session:
        yield session


@dataclass
class Bystander:
    window: int
    process: subprocess.Popen[str]

    def typed(self) -> list[str]:
        """Every text it showed, once it has ended."""
        assert self.process.stdout is not None
        self.process.terminate()
        self.process.wait(timeout=10)
        return self.process.stdout.read().splitlines()


@pytest.fixture
def bystander(x11: XSession) -> Iterator[Bystander]:
    command = [sys.executable, "-c", BYSTANDER]
    process = subprocess.Popen(command, env=x11.env, text=True, stdout=subprocess.PIPE)
    try:
        window = int(x11.run("xdotool", "search", "--sync", "--onlyvisible", "--name", "bystander"))
        x11.run("xdotool", "windowactivate", "--sync", str(window))
        x11.run("xdotool", "type", "ok")  # it does show what is typed to it
        assert process.stdout is not None and process.stdout.readline().strip() == "o"
        yield Bystander(window, process)
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stdout is not None:
            process.stdout.close()


@pytest.fixture
def kiosk(x11: XSession, bystander: object, tmp_path: Path) -> Iterator[Kiosk]:
    data = case_data()
    data["time_limit_minutes"] = 30
    write_case(tmp_path / "case", data)
    env = {**x11.env, "PYTHONPATH": str(ROOT)}  # this checkout's casebook_player
    process = subprocess.Popen(
        [sys.executable, str(CHILD), str(tmp_path / "case"), str(tmp_path)],
        env=env,
        cwd=ROOT,
        text=True,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )
    kiosk = Kiosk(process)
    try:
        kiosk.wait("the kiosk to hold the screen", lambda s: s["holds_the_screen"] and s["grabbed"])
        yield kiosk
    finally:
        assert process.stdin is not None and process.stdout is not None
        if process.poll() is None:
            process.stdin.write("quit\n")
        process.stdin.close()
        process.wait(timeout=10)
        process.stdout.close()


def is_covered(state: dict[str, Any], kind: str) -> bool:
    return state["breach"] == kind and state["cover"] and state["paused"]


def lose_and_resume(
    x11: XSession, kiosk: Kiosk, action: list[str], kind: str, tmp_path: Path | None = None
) -> dict[str, Any]:
    """Take the screen from the kiosk with ``action``; check the cover, the pause and the
    journal; check that it takes the screen back; resume it with the PIN."""
    x11.run(*action)
    state = kiosk.wait(f"{kind}: the cover and the pause", lambda s: is_covered(s, kind))
    assert not state["timer_running"] and state["journaled"][-1] == kind
    state = kiosk.wait("the kiosk to take the screen back", lambda s: s["holds_the_screen"])
    assert x11.active_window() == state["window"]
    left = state["time_left"]
    time.sleep(1.2)
    assert kiosk.ask()["time_left"] == left  # the clock is stopped
    if tmp_path is not None:
        kiosk.ask(f"screenshot {tmp_path / 'cover.png'}")
    assert is_covered(kiosk.ask("pin 1111"), kind)  # a wrong PIN leaves it covered
    resumed = kiosk.ask("pin 2468")
    assert resumed["breach"] is None and not resumed["cover"] and not resumed["paused"]
    assert resumed["timer_running"] and resumed["phase"] != "ENDED"
    assert resumed["journaled"][-3:] == ["wrong_pin", "pin_accepted", "proctor_resume"]
    return state


def test_alt_tab_does_not_leave_the_kiosk_and_typing_stays_in_it(
    x11: XSession, kiosk: Kiosk, bystander: Bystander
) -> None:
    window = kiosk.ask()["window"]
    assert x11.active_window() == window
    x11.run("xdotool", "key", "alt+Tab")
    x11.run("xdotool", "type", "echo typed-behind-the-kiosk")
    time.sleep(1.0)
    state = kiosk.ask()
    assert x11.active_window() == window
    assert state["breach"] is None and state["holds_the_screen"] and state["journaled"] == []
    assert bystander.typed() == ["ok"]  # the rest of what it was typed before the kiosk


def test_focus_moved_away_by_the_window_manager_covers_and_pauses(
    x11: XSession, kiosk: Kiosk, bystander: Bystander, tmp_path: Path
) -> None:
    action = ["xdotool", "windowactivate", str(bystander.window)]
    lose_and_resume(x11, kiosk, action, "kiosk_focus_lost", tmp_path)
    shot = QImage(str(tmp_path / "cover.png"))
    assert shot.width() == 1024 and shot.height() == 768
    black = sum(
        shot.pixelColor(x, y).lightness() < 16
        for x in range(0, 1024, 32)
        for y in range(0, 768, 32)
    )
    assert black > 0.9 * (1024 // 32) * (768 // 32)  # the case is hidden under the cover


def test_the_pin_typed_in_the_dialog_over_the_kiosk_resumes(
    x11: XSession, kiosk: Kiosk, bystander: Bystander
) -> None:
    x11.run("xdotool", "windowactivate", str(bystander.window))
    kiosk.wait("the cover", lambda s: is_covered(s, "kiosk_focus_lost") and s["holds_the_screen"])
    kiosk.ask("press-resume")
    dialog = x11.run("xdotool", "search", "--sync", "--onlyvisible", "--name", "Proctor PIN")
    wait_for(lambda: x11.active_window() == int(dialog.split()[0]), "the PIN dialog in front")
    x11.run("xdotool", "type", "2468")
    x11.run("xdotool", "key", "Return")
    state = kiosk.wait("the attempt to resume", lambda s: not s["paused"])
    assert state["breach"] is None and not state["cover"]
    assert state["journaled"] == ["kiosk_focus_lost", "proctor_resume"]


def test_minimised_unmapped_or_closed_by_the_window_system_covers_and_pauses(
    x11: XSession, kiosk: Kiosk
) -> None:
    window = str(kiosk.ask()["window"])
    lose_and_resume(x11, kiosk, ["xdotool", "windowminimize", window], "kiosk_hidden")
    lose_and_resume(x11, kiosk, ["xdotool", "windowunmap", window], "kiosk_hidden")
    lose_and_resume(x11, kiosk, ["wmctrl", "-i", "-c", window], "kiosk_close_request")
    assert kiosk.process.poll() is None  # still running: closing needs the PIN
