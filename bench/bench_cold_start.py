"""Cold start (process start to the first narration frame) and resident memory while playing a
1080p narration, in a real X window.

    .venv/bin/python bench/bench_cold_start.py [--runs 5] [--backends qt vlc] [--play 5]

Needs ffmpeg (the 1080p narration is made at bench time) and, without a display, xvfb-run
(the bench restarts itself under one Xvfb, so its start-up is not counted). Each run starts
`casebook play` through bench/coldstart_child.py, which fills in the check-in and clicks
Start as soon as the window is up, and prints when the first narration frame arrives. The
time counts from just before the process is spawned. Resident memory (VmRSS) is sampled every
100 ms for --play seconds while the narration plays; VmHWM is the peak over the whole run.
Runs alternate between backends; the first run of all is the coldest (files not yet in the
page cache); --drop-caches (root) empties the page cache before every run.
Targets: first frame < 1.0 s, memory < 250 MB.
"""

from __future__ import annotations

import argparse
import os
import select
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchlib import format_distribution, header, require

CHILD = Path(__file__).resolve().parent / "coldstart_child.py"
NARRATION_S = 20


def make_case(folder: Path) -> Path:
    """The test fixture case with one segment: a 20 s 1080p narration with sound."""
    from casefactory import case_data, write_case

    ffmpeg = require("ffmpeg")
    media = folder / "media"
    media.mkdir(parents=True)
    # fmt: off
    subprocess.run([
        ffmpeg, "-v", "error", "-y",
        "-f", "lavfi", "-i", f"testsrc2=size=1920x1080:rate=25:duration={NARRATION_S}",
        "-f", "lavfi", "-i", f"sine=frequency=330:duration={NARRATION_S}",
        "-c:v", "libx264", "-preset", "veryfast", "-crf", "23", "-g", "50",
        "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "96k", "-movflags", "+faststart",
        str(media / "narration.mp4"),
    ], check=True)
    # fmt: on
    data = case_data()
    intro = data["segments"][0]
    intro.update(media="media/narration.mp4")
    intro.pop("next")
    kp = intro["key_points"][0]
    kp["at"] = NARRATION_S - 2.0
    kp.pop("branches")
    data["segments"] = [intro]
    return write_case(folder, data).parent


def rss_kib(pid: int) -> tuple[int, int]:
    """(VmRSS, VmHWM) of `pid` in KiB, or (0, 0) once it is gone."""
    values = {"VmRSS:": 0, "VmHWM:": 0}
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            parts = line.split()
            if parts and parts[0] in values:
                values[parts[0]] = int(parts[1])
    except (OSError, ValueError):
        pass
    return values["VmRSS:"], values["VmHWM:"]


def one_run(
    case: Path, backend: str, tmp: Path, play_s: float, extra_env: dict[str, str]
) -> dict[str, float]:
    """Start the player, wait for its first narration frame, sample memory while it plays."""
    journal = tempfile.mkdtemp(dir=tmp)
    args = [sys.executable, str(CHILD), str(case), "--backend", backend]
    args += ["--journal-dir", journal, "--results-dir", journal]
    env = {**os.environ, "PYTHONUNBUFFERED": "1", **extra_env}
    started = time.monotonic()
    process = subprocess.Popen(
        args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env
    )
    assert process.stdout is not None
    events: dict[str, float] = {}
    deadline = started + 30
    while "frame" not in events and time.monotonic() < deadline and process.poll() is None:
        ready, _, _ = select.select([process.stdout], [], [], 0.5)
        if ready:
            line = process.stdout.readline()
            if line.startswith("bench "):
                _, event, at = line.split()
                events[event] = float(at) - started
                if event == "loop":  # the window is up, nothing is playing yet
                    events["rss_window_mib"] = rss_kib(process.pid)[0] / 1024
    samples = []
    if "frame" in events:
        end = time.monotonic() + play_s
        while time.monotonic() < end and process.poll() is None:
            samples.append(rss_kib(process.pid)[0])
            time.sleep(0.1)
    peak = rss_kib(process.pid)[1]
    process.terminate()
    try:
        process.wait(5)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    return {
        **events,
        "rss_max_mib": max(samples, default=0) / 1024,
        "rss_end_mib": (samples[-1] if samples else 0) / 1024,
        "hwm_mib": peak / 1024,
    }


def drop_caches() -> None:
    subprocess.run(["sync"], check=False)
    Path("/proc/sys/vm/drop_caches").write_text("3\n")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=5, help="runs per backend (5)")
    parser.add_argument("--backends", nargs="+", default=["qt", "vlc"], choices=["qt", "vlc"])
    parser.add_argument("--play", type=float, default=5.0, help="seconds of playing sampled")
    parser.add_argument("--drop-caches", action="store_true", help="cold page cache (root)")
    parser.add_argument(
        "--env", nargs="*", default=[], metavar="NAME=VALUE", help="extra environment (tuning)"
    )
    args = parser.parse_args()
    if not os.environ.get("DISPLAY"):
        xvfb = shutil.which("xvfb-run")
        if xvfb is None:
            raise SystemExit("no DISPLAY and no xvfb-run: apt-get install xvfb xauth")
        command = [xvfb, "-a", "-s", "-screen 0 1920x1080x24", sys.executable, *sys.argv]
        return subprocess.call(command)

    header(f"cold start and memory: 1080p narration, {args.runs} runs per backend")
    platform = os.environ.get("QT_QPA_PLATFORM", "xcb (default)")
    print(f"   display {os.environ.get('DISPLAY')}; Qt platform {platform}")
    results: dict[str, list[dict[str, float]]] = {b: [] for b in args.backends}
    extra_env = dict(item.split("=", 1) for item in args.env)
    if extra_env:
        print(f"   extra environment: {extra_env}")
    with tempfile.TemporaryDirectory(prefix="casebook-cold-") as tmp:
        case = make_case(Path(tmp) / "case")
        size = (case / "media" / "narration.mp4").stat().st_size
        print(f"   narration: 1920x1080 25 fps H.264 + AAC, {NARRATION_S} s, {size // 1024} KiB")
        baseline = []
        for run in range(args.runs):
            for backend in args.backends:
                if args.drop_caches:
                    drop_caches()
                result = one_run(case, backend, Path(tmp), args.play, extra_env)
                results[backend].append(result)
                first = "frame" in result
                note = (
                    " (the first run of all: coldest)"
                    if run == 0 and backend == args.backends[0]
                    else ""
                )
                print(
                    f"   run {run + 1} {backend}: "
                    + (f"first frame {result['frame']:.3f} s" if first else "NO FRAME within 30 s")
                    + f", RSS max {result['rss_max_mib']:.0f} MiB{note}"
                )
            started = time.monotonic()
            subprocess.run([sys.executable, "-c", "import PySide6.QtWidgets"], check=True)
            baseline.append(time.monotonic() - started)
    print()
    print(format_distribution("python + import QtWidgets", baseline, "s"))
    for backend, runs in results.items():
        ok = [r for r in runs if "frame" in r]
        print(f"\n{backend}: {len(ok)}/{len(runs)} runs showed a narration frame")
        for key, label in (
            ("main", "interpreter up"),
            ("loop", "window shown, Start clicked"),
            ("frame", "first narration frame"),
        ):
            print(format_distribution(f"  {label}", [r[key] for r in ok if key in r], "s"))
        window = [r["rss_window_mib"] for r in ok if "rss_window_mib" in r]
        playing = [r["rss_max_mib"] for r in ok]
        print(format_distribution("  RSS, window up (check-in)", window, "MiB"))
        print(format_distribution("  RSS while playing (max)", playing, "MiB"))
        print(format_distribution("  peak RSS (VmHWM)", [r["hwm_mib"] for r in ok], "MiB"))
        if ok:
            frame_p50 = sorted(r["frame"] for r in ok)[len(ok) // 2]
            rss_max = max(r["hwm_mib"] for r in ok) * 1.048576  # MiB -> MB
            frame_verdict = "met" if frame_p50 < 1.0 else "MISSED"
            memory_verdict = "met" if rss_max < 250 else "MISSED"
            print(f"  target first frame < 1.0 s: {frame_verdict} (median {frame_p50:.2f} s)")
            print(f"  target memory < 250 MB: {memory_verdict} (peak {rss_max:.0f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
