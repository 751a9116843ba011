"""A real X display for tests: Xvfb with the openbox window manager, and the tools to act as
the window system does (xdotool, wmctrl). Used where offscreen Qt cannot show the behaviour.

`tools/setup.sh --test` installs them, so a missing tool or a server that does not start
fails the test, saying what is missing, rather than skipping what the kiosk must prove.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pytest

TOOLS = ("Xvfb", "openbox", "xdotool", "wmctrl")
SCREEN = "1024x768x24"


def unavailable(reason: str) -> None:
    pytest.fail(f"{reason} (bash tools/setup.sh --test installs what is needed)", pytrace=False)


@dataclass
class XSession:
    display: str

    @property
    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("QT_QPA", "WAYLAND"))}
        return {**env, "DISPLAY": self.display, "QT_QPA_PLATFORM": "xcb"}

    def run(self, *command: str) -> str:
        """A tool's output; a failure fails the test with what it said."""
        done = subprocess.run(command, env=self.env, capture_output=True, text=True, timeout=20)
        assert done.returncode == 0, f"{' '.join(command)}: {done.stderr.strip()}"
        return done.stdout.strip()

    def active_window(self) -> int:
        return int(self.run("xdotool", "getactivewindow"))


def wait_for(condition: Callable[[], bool], what: str, timeout: float = 10.0) -> None:
    end = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > end:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


@contextmanager
def openbox_session() -> Iterator[XSession]:
    """Xvfb on a free display with openbox managing its windows, for the block's length."""
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if missing:
        unavailable(f"{', '.join(missing)} not installed")
    read, write = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-screen", "0", SCREEN, "-nolisten", "tcp"],
        pass_fds=(write,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    os.close(write)
    with os.fdopen(read) as numbers:
        number = numbers.readline().strip()
    processes = [server]
    try:
        if not number:
            server.wait(timeout=10)
            stderr = server.stderr.read().decode(errors="replace") if server.stderr else ""
            unavailable(f"Xvfb could not start: {stderr.strip()[-300:]}")
        session = XSession(f":{number}")
        manager = subprocess.Popen(
            ["openbox", "--sm-disable"],
            env=session.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        processes.append(manager)
        try:
            wait_for(lambda: _manager_running(session), "openbox to manage the display")
        except AssertionError:
            unavailable("openbox could not run on Xvfb")
        yield session
    finally:
        for process in reversed(processes):
            process.terminate()
            process.wait(timeout=10)
        if server.stderr:
            server.stderr.close()


def _manager_running(session: XSession) -> bool:
    done = subprocess.run(["wmctrl", "-m"], env=session.env, capture_output=True, text=True)
    return done.returncode == 0 and "Openbox" in done.stdout
