"""What the benchmarks share: distributions, histograms, the machine, and case folders.

Imported by the bench scripts beside it (`python bench/bench_x.py` puts bench/ on sys.path).
"""

from __future__ import annotations

import math
import os
import platform
import shutil
import subprocess
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
CASEBOOK = [PYTHON, "-m", "casebook_player.cli"]

# The test fixture builder (tiny real media, a script as plain data) is the bench's too.
sys.path.insert(0, str(ROOT / "tests"))


def percentile(sorted_values: Sequence[float], q: float) -> float:
    """The q-th percentile (0-100) of already sorted values, by linear interpolation."""
    if not sorted_values:
        return math.nan
    rank = (len(sorted_values) - 1) * q / 100
    low, high = math.floor(rank), math.ceil(rank)
    return sorted_values[low] + (sorted_values[high] - sorted_values[low]) * (rank - low)


def distribution(values: Iterable[float]) -> dict[str, float]:
    """min, p50, p90, p99, max and mean of `values`."""
    data = sorted(values)
    stats = {name: percentile(data, q) for name, q in (("p50", 50), ("p90", 90), ("p99", 99))}
    return {
        "n": len(data),
        "min": data[0] if data else math.nan,
        **stats,
        "max": data[-1] if data else math.nan,
        "mean": sum(data) / len(data) if data else math.nan,
    }


def format_distribution(label: str, values: Iterable[float], unit: str, scale: float = 1) -> str:
    """One line: `label  n=… min … p50 … p90 … p99 … max … unit` (values × `scale`)."""
    d = distribution(values)
    parts = [f"{name} {d[name] * scale:8.2f}" for name in ("min", "p50", "p90", "p99", "max")]
    return f"{label:<28} n={d['n']:<6} " + "  ".join(parts) + f"  {unit}"


def histogram(values: Iterable[int], label: str = "") -> str:
    """A text histogram of integer values (e.g. frame offsets), one row per value."""
    counts = Counter(values)
    if not counts:
        return f"{label}: no values"
    total = sum(counts.values())
    width = max(len(str(v)) for v in counts)
    rows = [label] if label else []
    for value in range(min(counts), max(counts) + 1):
        n = counts.get(value, 0)
        bar = "#" * math.ceil(50 * n / total) if n else ""
        rows.append(f"  {value:>+{width + 1}d} | {n:5d} {bar}")
    return "\n".join(rows)


def machine() -> str:
    """One paragraph describing this machine and the versions that matter."""
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = "?"
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        ram = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    versions = [f"Python {platform.python_version()}"]
    try:
        import PySide6

        versions.append(f"PySide6 {PySide6.__version__}")
    except ImportError:
        pass
    try:
        import vlc  # type: ignore[import-untyped]

        versions.append(f"libvlc {vlc.libvlc_get_version().decode()}")
    except Exception:  # python-vlc raises all sorts when libvlc is missing
        pass
    return (
        f"{os.cpu_count()} cores, {cpu}, {ram} RAM, {platform.platform(terse=True)}; "
        f"{', '.join(versions)}; {datetime.now(UTC):%Y-%m-%d %H:%M} UTC"
    )


def header(title: str) -> None:
    print(f"== {title}")
    print(f"   {machine()}")


def require(program: str) -> str:
    """The path of `program`, or exit with a message saying it is needed."""
    path = shutil.which(program)
    if path is None:
        raise SystemExit(f"{program} is needed for this benchmark (apt-get install {program})")
    return path


def run_quiet(args: Sequence[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    """Run a command, capturing its output as text (never raises on a non-zero exit)."""
    return subprocess.run(list(args), capture_output=True, text=True, check=False, **kwargs)  # type: ignore[call-overload, no-any-return]


def link_tree(source: Path, target: Path) -> None:
    """Hard-link every file under `source` into `target` (same tree), copying if links fail."""
    for path in source.rglob("*"):
        dest = target / path.relative_to(source)
        if path.is_dir():
            dest.mkdir(parents=True, exist_ok=True)
            continue
        dest.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(path, dest)
        except OSError:
            shutil.copy2(path, dest)
