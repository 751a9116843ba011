"""The format matrix on the real backends: every kind, as accepted or once normalized, played
into key points on Qt Multimedia and on libvlc.

    .venv/bin/python bench/bench_matrix_playback.py [--keys 100] [--seconds 4] [--kinds K...]

Each kind of tests/clipmatrix.py is made with PyAV, stretched to --seconds, every frame
carrying its index as a code. A kind validate accepts is played as it is; a refused one is
converted by `casebook media normalize` first. Each backend then plays into --keys seeded key
points from 200 ms before each, and the frame it settles on is read from its picture: exact,
early by one frame, early by more, no picture, and past (a frame after the key point shown
at any moment, the defect never allowed).
"""

from __future__ import annotations

import argparse
import os
import tempfile
from collections import Counter
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import av
from benchlib import header
from clipmatrix import MATRIX, make_clip, stretched
from keypoints import Landing, in_media_time, play_into_key_points
from PySide6.QtWidgets import QApplication

from casebook_player.core.case.normalize import normalize
from casebook_player.media.backends import create_player


def outcome(landing: Landing) -> str:
    if landing.latest > landing.due:
        return "past"
    early = landing.frames_early
    if early is None:
        return "no picture"
    return {0: "exact", 1: "1 early"}.get(early, "2+ early")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keys", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--kinds", nargs="+", default=list(MATRIX), choices=list(MATRIX))
    parser.add_argument("--backends", nargs="+", default=["qt", "vlc"], choices=["qt", "vlc"])
    args = parser.parse_args()
    app = QApplication([])
    av.logging.set_level(av.logging.ERROR)
    header(f"format matrix on both backends: {args.keys} key points per kind and backend")
    totals: dict[str, Counter[str]] = {backend: Counter() for backend in args.backends}
    with tempfile.TemporaryDirectory() as folder:
        for kind in args.kinds:
            arguments, refused = MATRIX[kind]
            path = make_clip(Path(folder) / kind, **stretched(arguments, args.seconds))
            if refused is not None:
                path = normalize(path, Path(folder) / "normalized").target
            frames = in_media_time(path)
            cells = []
            for backend in args.backends:
                player = create_player(backend, audio=False)
                _, _, landings = play_into_key_points(player, path, frames, args.keys, kind)
                counts = Counter(outcome(landing) for landing in landings)
                for landing in landings:
                    if outcome(landing) == "past":
                        print(f"  {backend} past at {landing}", flush=True)
                totals[backend].update(counts)
                cells.append(f"{backend} " + ", ".join(f"{n} {k}" for k, n in counts.items()))
                player.deleteLater()
            form = "normalized" if refused is not None else "as it is"
            print(f"{kind:<16} {form:<10}  " + "  |  ".join(cells), flush=True)
    for backend, counts in totals.items():
        total = sum(counts.values())
        summary = ", ".join(f"{n}/{total} {k}" for k, n in sorted(counts.items()))
        print(f"{backend}: {summary}")
    app.quit()


if __name__ == "__main__":
    main()
