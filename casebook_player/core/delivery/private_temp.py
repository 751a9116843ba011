"""Private temporary folders for decrypted media: mode 0700, removed on exit or at next start.

Each folder lives under one root (the XDG runtime folder on Linux, which is memory-backed and
private to the user, else the user cache folder) and holds a marker naming the process that
owns it and its host. The owner removes it when done and again at exit; a folder whose owner
died (a crash, a power cut) is removed by the next process that makes one.
"""

from __future__ import annotations

import atexit
import json
import os
import shutil
import socket
import stat
import sys
import tempfile
import time
from pathlib import Path

from casebook_player.core.files import Closing
from casebook_player.core.paths import APP_NAME, private_cache_dir

MARKER = ".owner"
_PREFIX = "open-"
# A folder without a readable marker this old was left by a process that died while making it.
_UNMARKED_GRACE_S = 600.0


def private_root() -> Path:
    """Where private folders are made (created 0700 and checked to be the user's own)."""
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    if sys.platform.startswith("linux") and runtime and Path(runtime).is_dir():
        base = Path(runtime) / APP_NAME
    else:
        base = private_cache_dir()
    return base / "packages"


class PrivateFolder(Closing):
    """A folder only this user can read, removed by ``close`` (or at exit)."""

    def __init__(self, root: Path | None = None) -> None:
        root = root or private_root()
        _make_private_root(root)
        remove_stale_folders(root)
        self.path = Path(tempfile.mkdtemp(prefix=_PREFIX, dir=root))  # mode 0700
        self._closed = False
        atexit.register(self.close)
        marker = {"pid": os.getpid(), "host": socket.gethostname(), "created": time.time()}
        write_private_file(self.path / MARKER, json.dumps(marker).encode("utf-8"))

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        atexit.unregister(self.close)
        shutil.rmtree(self.path, ignore_errors=True)


def write_private_file(path: Path, data: bytes) -> None:
    """Create ``path`` with mode 0600 (never over an existing file or through a symlink)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(path, flags | getattr(os, "O_BINARY", 0), 0o600)
    with os.fdopen(fd, "wb") as file:
        file.write(data)


def remove_stale_folders(root: Path | None = None) -> list[Path]:
    """Remove the folders under ``root`` whose owning process is gone; the ones removed."""
    root = root or private_root()
    removed = []
    try:
        entries = list(root.iterdir())
    except OSError:
        return []
    for folder in entries:
        if folder.name.startswith(_PREFIX) and _is_stale(folder):
            shutil.rmtree(folder, ignore_errors=True)
            if not os.path.lexists(folder):
                removed.append(folder)
    return removed


def _is_stale(folder: Path) -> bool:
    try:
        info = folder.lstat()
    except OSError:
        return False
    if not stat.S_ISDIR(info.st_mode):
        return False
    try:
        marker = json.loads((folder / MARKER).read_bytes())
        pid, host = int(marker["pid"]), str(marker["host"])
    except (OSError, ValueError, KeyError, TypeError):
        return time.time() - info.st_mtime > _UNMARKED_GRACE_S
    if host != socket.gethostname():
        return False  # a home folder shared between machines: not ours to judge
    return pid != os.getpid() and not _pid_alive(pid)


def _pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
        import ctypes

        kernel32 = ctypes.windll.kernel32
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        code = ctypes.c_ulong()
        ok = kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
        kernel32.CloseHandle(handle)
        return bool(ok) and code.value == 259  # STILL_ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # alive, another user's
    return True


def _make_private_root(root: Path) -> None:
    """Create ``root`` (0700) and refuse one that is a symlink or another user's."""
    root.mkdir(mode=0o700, parents=True, exist_ok=True)
    info = root.lstat()
    if not stat.S_ISDIR(info.st_mode):
        raise OSError(f"{root} is not a folder: cannot keep decrypted files there")
    if hasattr(os, "getuid") and info.st_uid != os.getuid():
        raise OSError(f"{root} belongs to another user: cannot keep decrypted files there")
    if stat.S_IMODE(info.st_mode) & 0o077:
        os.chmod(root, 0o700)
