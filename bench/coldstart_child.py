"""`casebook play CASE ...` as a user starts it, with the check-in done at once by code and the
moments that matter printed (bench/bench_cold_start.py runs this; not useful on its own).

    python bench/coldstart_child.py CASE [casebook play options]

Prints `bench <event> <time.monotonic()>` for: main (the interpreter is up), loop (the event
loop runs: the window is shown and Start is clicked), frame (the first narration frame).
Nothing else differs from `casebook play`: run_player runs unchanged; only build_window is
wrapped so the check-in can be filled in.
"""

from __future__ import annotations

import sys
import time


def say(event: str) -> None:
    print(f"bench {event} {time.monotonic():.6f}", flush=True)


def main() -> int:
    say("main")
    from PySide6.QtCore import QTimer

    from casebook_player.cli import main as casebook
    from casebook_player.ui import app

    build_window = app.build_window

    def build_and_drive(*args: object, **kwargs: object) -> object:
        window = build_window(*args, **kwargs)  # type: ignore[arg-type]
        seen: list[bool] = []

        def first_frame(*_: object) -> None:
            if not seen:
                seen.append(True)
                say("frame")

        def start() -> None:
            say("loop")
            window.narration.frame_ready.connect(first_frame)
            window.checkin.candidate_id.setText("bench")
            window.checkin.start_button.click()

        QTimer.singleShot(0, start)
        return window

    app.build_window = build_and_drive  # type: ignore[assignment]
    return casebook(["play", *sys.argv[1:]])


if __name__ == "__main__":
    sys.exit(main())
