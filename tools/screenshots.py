"""Screenshots of every screen, from real windows (run it under Xvfb), into docs/screenshots.

    xvfb-run -a -s "-screen 0 1024x768x16" .venv/bin/python tools/screenshots.py [CASE] [OUT_DIR]

The screen is the smallest candidates have (1024x768, 16-bit colour); the window fits it. At
200 %: QT_SCALE_FACTOR=2 on a "-screen 0 2048x1536x24" server, into another OUT_DIR.

Clips play through the real Qt Multimedia backend; the narration's clock is moved by a fake
player so the tour does not wait for minutes of speech. Answers are the key's, so the tour
takes the case's normal path to the result screen.
"""

from __future__ import annotations

import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox

from casebook_player.core.case.loader import load_case
from casebook_player.core.case.mediainfo import media_duration
from casebook_player.core.crypto.pin import PinHash
from casebook_player.core.peer.forms import NOT_APPLICABLE, load_form
from casebook_player.core.session.responses import key_response
from casebook_player.core.session.scoring import measurement_spacing
from casebook_player.core.session.timeline import Phase
from casebook_player.media.backends import create_player
from casebook_player.media.fake_player import FakePlayer
from casebook_player.media.player import MediaPlayer
from casebook_player.ui.app import PlayerOptions, application, build_window
from casebook_player.ui.evaluation import EVALUATION_SIZE, EvaluationWindow
from casebook_player.ui.main_window import PREFERRED_SIZE
from casebook_player.ui.preview import PREVIEW_SIZE, PreviewWindow
from casebook_player.ui.proctor import ProctorControls, ProctorMenu
from casebook_player.ui.screen_fit import show_fitted
from casebook_player.ui.theme import apply_theme


def pump(seconds: float) -> None:
    """Let Qt run (decode frames, repaint) for a while."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        QCoreApplication.processEvents()
        time.sleep(0.01)


def main() -> None:
    case_dir = Path(sys.argv[1] if len(sys.argv) > 1 else "cases/lung-pneumothorax")
    out = Path(sys.argv[2] if len(sys.argv) > 2 else "docs/screenshots")
    out.mkdir(parents=True, exist_ok=True)
    app = application()
    apply_theme(app, high_contrast=False)
    QMessageBox.question = lambda *a, **k: QMessageBox.StandardButton.Yes  # type: ignore[method-assign]
    QMessageBox.information = lambda *a, **k: None  # type: ignore[method-assign]
    case = load_case(case_dir)
    narration = FakePlayer(duration_for=lambda p: round((media_duration(p) or 30) * 1000))
    clips = create_player("qt", audio=False)
    second_clips = create_player("qt", audio=False)
    scratch = Path(tempfile.mkdtemp())
    options = PlayerOptions(journal_dir=scratch / "journal", results_dir=scratch / "results")
    window = build_window(case, narration, clips, options, second_clips)
    show_fitted(window, PREFERRED_SIZE)
    pump(0.5)

    def shot(name: str) -> None:
        pump(0.8)
        window.grab().save(str(out / f"{name}.png"))
        print(f"saved {out / name}.png")

    window.checkin.candidate_id.setText("C-1024")
    window.checkin.candidate_name.setText("Dr A. Candidate")
    shot("1-check-in")
    window.checkin.start_button.click()
    narration.advance(9000)
    shot("2-encounter")
    apply_theme(app, high_contrast=True)
    shot("2-encounter-high-contrast")
    apply_theme(app, high_contrast=False)
    session = window.session
    assert session is not None
    shown = 0
    while session.core.timeline.phase is not Phase.ENDED:
        if session.core.timeline.phase is Phase.NARRATION:
            narration.advance(1000)
            QCoreApplication.processEvents()
            continue
        if session.core.timeline.phase is Phase.REVIEW:
            shot("6-review")
            window.review.finish_button.click()
            continue
        kp = session.core.timeline.key_point
        assert kp is not None
        index = session.core.timeline.state.item_index
        for item in kp.items if kp.layout == "together" else kp.items[index : index + 1]:
            session.respond(item.id, key_response(item, measurement_spacing(case, item)))
        shown += 1
        if shown in (2, 3, 4):
            shot(f"{shown + 1}-key-point-{kp.id}")
        window.key_point_screen.go_next()
    shot("7-result")
    apply_theme(app, high_contrast=True)
    shot("8-result-high-contrast")
    apply_theme(app, high_contrast=False)
    window.close()
    preview_shots(case_dir, clips, out)
    proctor_shots(case_dir, clips, options, out)
    evaluation_shot(out)


def preview_shots(case_dir: Path, clips: MediaPlayer, out: Path) -> None:
    """The item writers' preview on a key point with a hotspot, then with a broken script."""
    narration = FakePlayer(duration_for=lambda p: round((media_duration(p) or 30) * 1000))
    window = PreviewWindow(case_dir, narration, clips)
    show_fitted(window, PREVIEW_SIZE)
    pump(0.5)
    assert window.player is not None and window.player.session is not None
    case = window.player.session.case
    hotspot_kp = next(
        kp for _, kp in case.key_points() if any(i.type == "hotspot" for i in kp.items)
    )
    window.player.session.jump_to_key_point(hotspot_kp.id)
    pump(1.0)
    window.grab().save(str(out / "preview.png"))
    print(f"saved {out / 'preview.png'}")
    window.close()


def proctor_shots(case_dir: Path, clips: MediaPlayer, options: PlayerOptions, out: Path) -> None:
    """Proctor check-in, the proctor menu over a running attempt, and the pause cover."""
    narration = FakePlayer(duration_for=lambda p: round((media_duration(p) or 30) * 1000))
    case = load_case(case_dir)
    window = build_window(case, narration, clips, replace(options, proctor=True))
    controls = ProctorControls(window, PinHash.create("2468"), ask=lambda *a: "2468", kiosk=False)
    show_fitted(window, PREFERRED_SIZE)
    pump(0.5)
    window.checkin.candidate_id.setText("C-2048")
    window.checkin.extra_time.setCurrentIndex(2)
    window.checkin.caption_size.setCurrentIndex(1)
    pump(0.5)
    window.grab().save(str(out / "proctor-check-in.png"))
    window.checkin.start_button.click()
    narration.advance(12000)
    assert window.session is not None
    menu = ProctorMenu(window.session, window)
    menu.note.setPlainText("Candidate asked for water at 10:05.")
    menu.show()
    pump(0.8)
    menu.grab().save(str(out / "proctor-menu.png"))
    menu.pause_button.click()
    pump(0.8)
    window.grab().save(str(out / "proctor-paused.png"))
    print(f"saved {out}/proctor-*.png")
    menu.close()
    controls.window.close_guard = None
    window.close()


def evaluation_shot(out: Path) -> None:
    """The peer evaluation window, part filled in."""
    window = EvaluationWindow(load_form(Path("forms/peer-lung.yaml")), "C-0042", "E-17")
    show_fitted(window, EVALUATION_SIZE)
    for criterion, value in (("image_quality", 4), ("gain", 3), ("depth", 4)):
        window.rows[criterion].choose(value)
    window.rows["measurement_technique"].choose(NOT_APPLICABLE)
    window.rows["transducer_placement"].first_button().setFocus()
    pump(0.8)
    window.grab().save(str(out / "evaluation.png"))
    print(f"saved {out / 'evaluation.png'}")
    window.saved_path = window.saved_path or Path("(screenshot)")  # closes without asking
    window.close()


if __name__ == "__main__":
    main()
