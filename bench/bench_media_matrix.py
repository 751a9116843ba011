"""The format matrix: for each kind of file item writers bring, what validate says of it and
what `casebook media normalize` makes of it.

    .venv/bin/python bench/bench_media_matrix.py [--seconds 4]

Each kind is made with PyAV (see tests/clipmatrix.py), stretched to --seconds, every frame
carrying its index as a code in the picture. Printed per kind: validate's verdict (accepted,
or the first problem), and after normalizing, the frames whose picture is the source frame
due (exact N/N: the nearest among those due within half a frame), frames duplicated and
dropped, the largest timing change and how fast normalizing ran (media s per wall s). A
kind that validates and is then anything but exact is the defect this bench shows.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import av
from benchlib import header
from clipmatrix import MATRIX, make_clip, shown, shown_as_due, stretched

from casebook_player.core.case.normalize import normalize
from casebook_player.core.case.probe import presentation_problems, probe_media


def exact(times: list[float], target: Path, rate: float) -> tuple[int, int]:
    frames = shown(target)
    return sum(shown_as_due(times, at, index, rate) for at, index in frames), len(frames)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=4.0)
    args = parser.parse_args()
    av.logging.set_level(av.logging.ERROR)
    header("format matrix: validate, then normalize")
    columns = ("exact", 9), ("dup", 4), ("drop", 4), ("shift", 8), ("speed", 7)
    print(f"   {'kind':<16} {'validate':<44} " + " ".join(f"{n:>{w}}" for n, w in columns))
    with tempfile.TemporaryDirectory() as folder:
        for name, (arguments, _expected) in sorted(MATRIX.items()):
            made = stretched(arguments, args.seconds)
            times = sorted(made["times"])
            source = make_clip(Path(folder) / name, **made)
            problems = presentation_problems(probe_media(source), name, True)
            verdict = "accepted" if not problems else problems[0].split(": ", 1)[1][:44]
            began = time.perf_counter()
            report = normalize(source, Path(folder) / "out")
            spent = time.perf_counter() - began
            assert report.frame_rate is not None
            good, total = exact(times, report.target, float(report.frame_rate))
            media_s = times[-1] - times[0]
            print(
                f"   {name:<16} {verdict:<44} {good:>4}/{total:<4} {report.duplicated:>4} "
                f"{report.dropped:>4} {report.largest_shift_ms:>6.1f}ms {media_s / spent:>6.0f}x"
            )


if __name__ == "__main__":
    main()
