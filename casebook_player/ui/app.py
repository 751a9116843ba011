"""Starting the player: the Qt application, the media backend, the window, and the journal."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from casebook_player.core.case.loader import load_case
from casebook_player.core.case.model import Case
from casebook_player.core.case.problems import CaseError
from casebook_player.core.crypto.pin import PinHash
from casebook_player.core.delivery.packages import is_package_path
from casebook_player.core.paths import results_dir
from casebook_player.core.session.attempt import AttemptUnavailable, ResultOutput, open_attempt
from casebook_player.core.session.custody import Decide, custody_for
from casebook_player.core.session.journal import JournalError, JournalKind
from casebook_player.core.session.results import Attempt
from casebook_player.media.backends import BackendUnavailable, create_player
from casebook_player.media.player import MediaPlayer
from casebook_player.ui.journal_finding import ask_journal_decision
from casebook_player.ui.main_window import PREFERRED_SIZE, PlayerWindow
from casebook_player.ui.package_open import PRACTICE_NOTE, open_package_for_play
from casebook_player.ui.proctor import NewPinDialog, ProctorControls
from casebook_player.ui.screen_fit import show_fitted
from casebook_player.ui.session import PlayerSession
from casebook_player.ui.theme import apply_theme

UNPROTECTED_NOTE = (
    "the journal of this attempt is not tamper-proof: without a centre signing key (--sign) "
    "anyone using this account can edit it"
)


@dataclass
class PlayerOptions:
    backend: str = "auto"
    journal_dir: Path | None = None
    results_dir: Path | None = None
    signing_key: Any = None  # an Ed25519PrivateKey, or None for an unsigned result
    high_contrast: bool = False
    proctor: bool = False
    proctor_pin: PinHash | None = None  # the centre's (a PIN file); None: set at start
    trusted_dir: Path | None = None  # trusted author keys for packages; None: the default
    delivery_passphrase: bytes | None = None  # of an encrypted package; None: asked
    delivery_key_file: Path | None = None
    journal_kind: JournalKind = JournalKind.PRACTICE  # packaged when the case is a package


def application() -> QApplication:
    app = QApplication.instance()
    if isinstance(app, QApplication):
        return app
    # Every picture is painted from a QImage, so OpenGL buys nothing; without a GPU it costs
    # ~60 MiB of software rendering (bench/README.md, memory while playing). A user can still
    # ask for it by setting the variable.
    os.environ.setdefault("QT_XCB_GL_INTEGRATION", "none")
    app = QApplication(sys.argv[:1])
    app.setApplicationName("casebook")
    app.setApplicationDisplayName("casebook")
    return app


def run_player(case_path: Path, options: PlayerOptions) -> int:
    """Open the case in the player window and run until it closes; the exit status."""
    app = application()
    apply_theme(app, options.high_contrast)
    package = None
    if is_package_path(case_path):  # checked before anything is shown; media decrypted
        package = open_package_for_play(
            case_path, options.trusted_dir, options.delivery_passphrase, options.delivery_key_file
        )
        if package is None:
            return 1
        options = replace(options, journal_kind=JournalKind.PACKAGED)
    else:
        print(f"casebook: {PRACTICE_NOTE}", file=sys.stderr)
    if options.signing_key is None:
        print(f"casebook: {UNPROTECTED_NOTE}", file=sys.stderr)
    try:
        case = package.load_case() if package is not None else load_case(case_path)
    except CaseError as exc:
        print(exc, file=sys.stderr)
        shown = "\n".join(str(p) for p in exc.problems[:12])
        QMessageBox.critical(None, "This case cannot be opened", shown)
        return 1
    try:
        narration = create_player(options.backend)
        clips = create_player(options.backend, audio=False)
        second_clips = create_player(options.backend, audio=False)
    except BackendUnavailable as exc:
        print(f"casebook: {exc}", file=sys.stderr)
        QMessageBox.critical(None, "No media backend", str(exc))
        return 1
    print(f"casebook: playing {case.id} with the {narration.name} media backend", flush=True)
    window = build_window(case, narration, clips, options, second_clips)
    if package is None:
        window.setWindowTitle(f"{window.windowTitle()} (practice)")
    if options.proctor:
        pin = options.proctor_pin
        if pin is None:
            pin_dialog = NewPinDialog()
            if not pin_dialog.exec() or pin_dialog.pin is None:
                return 1
            pin = pin_dialog.pin
        ProctorControls(window, pin)
        window.showFullScreen()
    else:
        show_fitted(window, PREFERRED_SIZE)
    try:
        return app.exec()
    finally:
        if package is not None:
            package.close()  # the decrypted media go (also at exit, or at next start)


def build_window(
    case: Case,
    narration: MediaPlayer,
    clips: MediaPlayer,
    options: PlayerOptions,
    second_clips: MediaPlayer | None = None,
) -> PlayerWindow:
    """The player window; ``second_clips`` plays a second clip beside the first."""
    window = PlayerWindow(
        case,
        narration,
        clips,
        high_contrast=options.high_contrast,
        proctor=options.proctor,
        second_clip_player=second_clips,
    )
    window.make_session = lambda c, a: open_session(c, a, narration, options, window)
    return window


def open_session(
    case: Case, attempt: Attempt, narration: MediaPlayer, options: PlayerOptions, parent: QWidget
) -> PlayerSession | None:
    """A session for this attempt: new, or resumed from its journal. None when the journal
    cannot be used (the candidate is told why, and nothing is started over silently)."""
    output = ResultOutput(
        folder=options.results_dir or results_dir(), signing_key=options.signing_key
    )
    try:
        custody = custody_for(options.journal_kind, options.journal_dir, options.signing_key)
        opened = open_attempt(
            case, attempt, custody, output=output, decide=_decider(parent, custody.key.tamper_proof)
        )
    except JournalError as exc:
        QMessageBox.critical(parent, "This attempt cannot be opened", str(exc))
        return None
    except AttemptUnavailable as exc:
        QMessageBox.critical(parent, exc.title, str(exc))
        return None
    who = f"candidate {attempt.candidate.id}"
    if opened.resumed:
        QMessageBox.information(
            parent,
            "Resuming your attempt",
            f"An earlier attempt of {who} at this case was interrupted. It continues where it "
            "stopped, with every answer you gave.",
        )
    elif opened.attempt_number > 1:
        QMessageBox.information(
            parent,
            f"Attempt {opened.attempt_number} on this machine",
            f"This is attempt {opened.attempt_number} of {who} at this case on this machine. "
            "The result says so.",
        )
    return PlayerSession(opened.session, narration, parent=parent)


def _decider(parent: QWidget, tamper_proof: bool) -> Decide | None:
    """Who decides about an altered journal: the proctor (PIN) when the window is a kiosk;
    else the user of a journal that was not tamper-proof anyway; else nobody (refused)."""
    if isinstance(parent, PlayerWindow) and parent.decide_journal is not None:
        return parent.decide_journal
    if tamper_proof:
        return None
    return lambda finding: ask_journal_decision(parent, finding)
