"""The player opens signed packages: checked first, passphrase in a password dialog, media
removed when the window closes; a plain case folder plays as practice and says so."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from packagetools import data_offset, flip_byte, write_secret_case
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QInputDialog, QLineEdit, QProgressDialog, QPushButton
from pytestqt.qtbot import QtBot

from casebook_player.core.crypto.keys import public_jwk
from casebook_player.core.delivery import encryption as package_crypto
from casebook_player.core.delivery import packages
from casebook_player.core.delivery.packages import pack_case
from casebook_player.core.delivery.private_temp import private_root
from casebook_player.media.fake_player import FakePlayer
from casebook_player.ui import app as app_module
from casebook_player.ui import background, package_open
from casebook_player.ui.app import PlayerOptions, run_player
from casebook_player.ui.main_window import PlayerWindow
from casebook_player.ui.package_open import PRACTICE_NOTE, open_package_for_play

PASSPHRASE = "correct horse battery staple"


@pytest.fixture(autouse=True)
def private_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    runtime = tmp_path / "run"
    runtime.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))
    monkeypatch.setattr(package_crypto, "SCRYPT_N", 2**12)


@pytest.fixture
def author() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


@pytest.fixture
def trusted_dir(tmp_path: Path, author: Ed25519PrivateKey) -> Path:
    folder = tmp_path / "trusted"
    folder.mkdir()
    (folder / "author.pub").write_text(json.dumps(public_jwk(author.public_key())))
    return folder


@pytest.fixture
def encrypted(tmp_path: Path, author: Ed25519PrivateKey) -> Path:
    write_secret_case(tmp_path / "case")
    out = tmp_path / "case.cbk"
    pack_case(tmp_path / "case", out, author, passphrase=PASSPHRASE.encode())
    return out


class Typist:
    """Answers the passphrase dialog with the given texts (None: Cancel) and notes it all."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, *answers: str | None) -> None:
        self.answers = list(answers)
        self.prompts: list[str] = []
        self.echo: list[QLineEdit.EchoMode] = []
        monkeypatch.setattr(QInputDialog, "getText", self.get_text)

    def get_text(
        self, parent: object, title: str, label: str, echo: QLineEdit.EchoMode, *args: Any
    ) -> tuple[str, bool]:
        self.prompts.append(label)
        self.echo.append(echo)
        answer = self.answers.pop(0)
        return (answer or "", answer is not None)


def test_the_passphrase_is_asked_without_echo_and_again_when_wrong(
    qtbot: QtBot, encrypted: Path, trusted_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    typist = Typist(monkeypatch, "not it", "", PASSPHRASE)
    opened = open_package_for_play(encrypted, trusted_dir)
    assert opened is not None
    with opened:
        assert opened.load_case().id == "test-case"
    assert typist.echo == [QLineEdit.EchoMode.Password] * 3
    assert "is encrypted" in typist.prompts[0]
    assert typist.prompts[1].startswith("Wrong delivery passphrase")
    assert typist.prompts[2].startswith("The passphrase is empty")


def test_cancelling_the_dialog_opens_nothing(
    qtbot: QtBot, encrypted: Path, trusted_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    Typist(monkeypatch, None)
    assert open_package_for_play(encrypted, trusted_dir) is None
    assert not private_root().exists() or not list(private_root().iterdir())


def test_a_refused_package_is_explained(
    qtbot: QtBot,
    encrypted: Path,
    tmp_path: Path,
    answer_dialogs_yes: list[str],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    typist = Typist(monkeypatch)
    assert open_package_for_play(encrypted, tmp_path / "nobody") is None
    assert answer_dialogs_yes == ["This case package cannot be opened"]
    assert "which is not a trusted author key" in capsys.readouterr().err
    assert typist.prompts == []  # refused before asking for anything


def test_a_wrong_passphrase_from_the_command_line_is_not_asked_again(
    qtbot: QtBot,
    encrypted: Path,
    trusted_dir: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    typist = Typist(monkeypatch)
    assert open_package_for_play(encrypted, trusted_dir, passphrase=b"wrong one") is None
    assert capsys.readouterr().err.strip().endswith("wrong delivery passphrase or key file")
    assert typist.prompts == []


class Watcher:
    """Looks at the progress dialog from the GUI thread every few milliseconds, while the
    package opens slowly (small chunks, a pause at each report); ``act`` may press Cancel."""

    def __init__(
        self,
        monkeypatch: pytest.MonkeyPatch,
        act: Callable[[QProgressDialog], None] = lambda dialog: None,
    ) -> None:
        self.seen: list[tuple[str, int]] = []
        self.ticks = 0
        self._act = act
        self._timer = QTimer(interval=2, timeout=self._look)
        monkeypatch.setattr(background, "SHOW_AFTER_MS", 0)
        monkeypatch.setattr(packages, "_CHUNK", 4096)
        real_open = package_open.open_package

        def slow_open(*args: Any, progress: Any, **kwargs: Any) -> Any:
            def slowly(stage: str, fraction: float) -> None:
                progress(stage, fraction)
                time.sleep(0.002)

            return real_open(*args, progress=slowly, **kwargs)

        monkeypatch.setattr(package_open, "open_package", slow_open)

    def __enter__(self) -> Watcher:
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.stop()

    def _look(self) -> None:
        self.ticks += 1
        shown = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
        dialog = next((w for w in shown if isinstance(w, QProgressDialog)), None)
        if dialog is not None:
            self.seen.append((dialog.labelText(), dialog.value()))
            self._act(dialog)


def test_opening_shows_progress_and_leaves_the_window_responsive(
    qtbot: QtBot, encrypted: Path, trusted_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Watcher(monkeypatch) as watcher:
        opened = open_package_for_play(encrypted, trusted_dir, PASSPHRASE.encode())
    assert opened is not None
    opened.close()
    values = [value for _, value in watcher.seen]
    assert values == sorted(values) and len(set(values)) > 3  # it advances, never back
    stages = {stage for stage, _ in watcher.seen}
    assert {"Checking signature…", "Decrypting media…"} <= stages
    assert watcher.ticks > 10  # the GUI thread's timer kept firing while the work ran
    assert not any(
        isinstance(w, QProgressDialog) and w.isVisible() for w in QApplication.topLevelWidgets()
    )


def test_cancelling_while_decrypting_opens_nothing_and_leaves_nothing(
    qtbot: QtBot,
    encrypted: Path,
    trusted_dir: Path,
    answer_dialogs_yes: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pressed: list[int] = []

    def cancel_once_media_are_written(dialog: QProgressDialog) -> None:
        if dialog.labelText() == "Decrypting media…" and dialog.value() > 750 and not pressed:
            pressed.append(dialog.value())
            button = dialog.findChild(QPushButton)
            assert button is not None
            qtbot.mouseClick(button, Qt.MouseButton.LeftButton)

    with Watcher(monkeypatch, cancel_once_media_are_written):
        assert open_package_for_play(encrypted, trusted_dir, PASSPHRASE.encode()) is None
    assert pressed
    assert list(private_root().iterdir()) == []  # the private folder and its media are gone
    assert answer_dialogs_yes == []  # cancelling is not a refusal


def test_a_refusal_in_the_worker_is_explained_in_the_window(
    qtbot: QtBot,
    encrypted: Path,
    trusted_dir: Path,
    answer_dialogs_yes: list[str],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    offset, _ = data_offset(encrypted, "0002.enc")
    flip_byte(encrypted, offset + 3)
    typist = Typist(monkeypatch, PASSPHRASE)
    assert open_package_for_play(encrypted, trusted_dir) is None
    assert answer_dialogs_yes == ["This case package cannot be opened"]
    assert "member 0002.enc is damaged or altered" in capsys.readouterr().err
    assert typist.prompts == []  # found while checking, before the passphrase was asked


def _play(case_path: Path, options: PlayerOptions, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run the player until its window shows, then close it; the window's title.

    The player's event loop ends as the last window closes (``QApplication.quit`` would
    leave the application unable to activate the windows of later tests).
    """
    monkeypatch.setattr(app_module, "create_player", lambda *args, **kwargs: FakePlayer())
    titles: list[str] = []

    def close_window() -> None:
        shown = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
        players = [w for w in shown if isinstance(w, PlayerWindow)]
        if not players:
            QTimer.singleShot(50, close_window)
            return
        titles.append(players[0].windowTitle())
        for window in shown:
            window.close()

    QTimer.singleShot(50, close_window)
    assert run_player(case_path, options) == 0
    return titles[0]


def test_playing_a_package_removes_its_media_when_the_window_closes(
    qtbot: QtBot,
    encrypted: Path,
    trusted_dir: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    options = PlayerOptions(
        journal_dir=tmp_path / "j",
        results_dir=tmp_path / "r",
        trusted_dir=trusted_dir,
        delivery_passphrase=PASSPHRASE.encode(),
    )
    folders: list[Path] = []
    real_open = app_module.open_package_for_play

    def noting(*args: Any) -> Any:
        opened = real_open(*args)
        folders.append(opened.case_dir)
        return opened

    monkeypatch.setattr(app_module, "open_package_for_play", noting)
    title = _play(encrypted, options, monkeypatch)
    assert title == "A test case — casebook"
    assert PRACTICE_NOTE not in capsys.readouterr().err
    assert folders and not folders[0].exists()


def test_a_plain_case_folder_plays_as_practice(
    qtbot: QtBot,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    write_secret_case(tmp_path / "case")
    options = PlayerOptions(journal_dir=tmp_path / "j", results_dir=tmp_path / "r")
    title = _play(tmp_path / "case", options, monkeypatch)
    assert title == "A test case — casebook (practice)"
    assert f"casebook: {PRACTICE_NOTE}" in capsys.readouterr().err
