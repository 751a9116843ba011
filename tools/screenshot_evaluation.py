"""A screenshot of the peer evaluation window, from a real window (run it under Xvfb).

xvfb-run -a -s "-screen 0 1280x800x24" .venv/bin/python tools/screenshot_evaluation.py [OUT]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from PySide6.QtCore import QCoreApplication

from casebook_player.core.forms import NOT_APPLICABLE, load_form
from casebook_player.ui.app import application
from casebook_player.ui.evaluation import EvaluationWindow
from casebook_player.ui.theme import apply_theme


def pump(seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        QCoreApplication.processEvents()
        time.sleep(0.01)


def main() -> None:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots/evaluation.png")
    app = application()
    apply_theme(app, high_contrast=False)
    window = EvaluationWindow(load_form(Path("forms/peer-lung.yaml")), "C-0042", "E-17")
    window.resize(1100, 780)
    window.show()
    for criterion, value in (("image_quality", 4), ("gain", 3), ("depth", 4)):
        window.rows[criterion].choose(value)
    window.rows["measurement_technique"].choose(NOT_APPLICABLE)
    window.rows["transducer_placement"].first_button().setFocus()
    pump(0.8)
    window.grab().save(str(out))
    print(f"saved {out}")


if __name__ == "__main__":
    main()
