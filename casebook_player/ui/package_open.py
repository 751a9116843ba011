"""Opening a signed case package for the player window.

The package is checked (signature, trusted signer, every member's hash) before anything is
shown; the delivery passphrase of an encrypted package is asked in a dialog that never shows
what is typed, again after a wrong one, unless it was given on the command line. Checking and
decrypting (up to 2 GB) run in a worker thread behind a progress dialog that can cancel them.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtWidgets import QInputDialog, QLineEdit, QMessageBox, QWidget

from casebook_player.core.delivery.encryption import passphrase_bytes
from casebook_player.core.delivery.manifest import KEY_FILE
from casebook_player.core.delivery.packages import (
    OpenedPackage,
    OpeningCancelled,
    PackageError,
    SecretNeeded,
    WrongDeliverySecret,
    open_package,
    refusal_message,
)
from casebook_player.core.delivery.trust import TrustedKeys, load_trusted_keys
from casebook_player.ui.background import BackgroundTask

PRACTICE_NOTE = "practice mode: plain case folder (not a signed package)"


def open_package_for_play(
    path: Path,
    trusted_dir: Path | None = None,
    passphrase: bytes | None = None,
    key_file: Path | None = None,
    parent: QWidget | None = None,
) -> OpenedPackage | None:
    """The opened package; None when it is refused (said on stderr and in a message box) or
    the passphrase dialog or the opening is cancelled."""
    trusted = load_trusted_keys(trusted_dir)
    for problem in trusted.problems:
        print(f"casebook: {problem}", file=sys.stderr)
    secret = passphrase
    prompt = f"{path.name} is encrypted. Delivery passphrase:"
    while True:
        try:
            return _open_with_progress(path, trusted, secret, key_file, parent)
        except SecretNeeded as exc:
            if exc.key_source == KEY_FILE:
                _refuse(path, f"{exc} (start the player with --key-file FILE)", parent)
                return None
        except WrongDeliverySecret as exc:
            if passphrase is not None or key_file is not None:
                _refuse(path, str(exc), parent)  # given on the command line: asking won't help
                return None
            prompt = f"Wrong delivery passphrase for {path.name}. Try again:"
        except PackageError as exc:
            _refuse(path, refusal_message(exc), parent)
            return None
        secret = ask_delivery_passphrase(prompt, parent)
        if secret is None:
            return None


def _open_with_progress(
    path: Path,
    trusted: TrustedKeys,
    secret: bytes | None,
    key_file: Path | None,
    parent: QWidget | None,
) -> OpenedPackage | None:
    """The package opened in a worker thread; None when Cancel was pressed."""
    task = BackgroundTask(
        lambda report: open_package(
            path, trusted, secret, key_file, progress=report.progress, cancelled=report.cancelled
        ),
        title="Opening the case package",
        label=f"Opening {path.name}…",
        parent=parent,
    )
    try:
        opened = task.run()
    except OpeningCancelled as exc:
        print(f"casebook: {path}: {exc}", file=sys.stderr)
        return None
    if task.cancel_requested:  # it finished before it noticed: keep nothing
        opened.close()
        print(f"casebook: {path}: opening was cancelled", file=sys.stderr)
        return None
    return opened


def ask_delivery_passphrase(prompt: str, parent: QWidget | None = None) -> bytes | None:
    """The passphrase typed in a password dialog; None when cancelled."""
    while True:
        text, ok = QInputDialog.getText(
            parent, "Delivery passphrase", prompt, QLineEdit.EchoMode.Password
        )
        if not ok:
            return None
        if text:
            return passphrase_bytes(text)
        prompt = "The passphrase is empty. Delivery passphrase:"


def _refuse(path: Path, message: str, parent: QWidget | None) -> None:
    print(f"casebook: {path} refused: {message}", file=sys.stderr)
    QMessageBox.critical(parent, "This case package cannot be opened", message)
