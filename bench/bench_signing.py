"""How many result files per second can be signed and verified, in one run on this machine.

    .venv/bin/python bench/bench_signing.py [--items N] [--seconds S] [--verify-count N]

Not a test: numbers depend on the machine. Sign and verify run in alternating rounds, so
both rates (and their ratio) are measured under the same conditions. Then --verify-count
distinct signed results (one per candidate) are verified in one go, as a certification body
checks a batch (target: 10,000 in under 10 s).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from casebook_player.core.crypto.signing import sign_document, verify_document


def result_document(items: int) -> dict[str, Any]:
    """A result document shaped like a real one, with `items` answered items."""
    return {
        "format": "casebook-result/1",
        "case": {"id": "fast-ruq-04", "title": "Hypotension after a fall", "sha256": "ab" * 32},
        "candidate": {"name": "Zoë Ångström-Nakamura", "id": "C-0042"},
        "started": "2025-03-01T09:00:00Z",
        "finished": "2025-03-01T09:41:12Z",
        "items": [
            {
                "id": f"q{i}",
                "domain": ("acquisition", "interpretation", "management")[i % 3],
                "response": {"choice": ["b", "d"], "at_s": 12.5 + i, "replays": i % 2},
                "score": 1.0 if i % 4 else 0.5,
                "max": 1,
            }
            for i in range(items)
        ],
        "domains": {"acquisition": 0.75, "interpretation": 0.5, "management": 0.9},
        "total": items * 0.8,
        "cut_score": items * 0.6,
        "passed": True,
    }


def real_result_document() -> dict[str, Any]:
    """What `casebook simulate` writes for the test fixture case (tests/casefactory.py)."""
    import benchlib  # puts tests/ on sys.path
    from casefactory import write_case

    from casebook_player.core.case.loader import load_case
    from casebook_player.core.session.results import Attempt, Candidate
    from casebook_player.core.session.simulate import correct_answers, simulate

    assert benchlib.ROOT
    with tempfile.TemporaryDirectory() as tmp:
        case = load_case(write_case(Path(tmp)))
    return simulate(case, correct_answers(case), attempt=Attempt(Candidate("C-0"))).result()


def _rate(action: Callable[[], object], seconds: float) -> tuple[int, float]:
    count, start = 0, time.perf_counter()
    while (elapsed := time.perf_counter() - start) < seconds:
        action()
        count += 1
    return count, elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=40, help="items in the document")
    parser.add_argument("--seconds", type=float, default=3.0, help="total time per operation")
    parser.add_argument("--rounds", type=int, default=6, help="alternating rounds")
    parser.add_argument("--verify-count", type=int, default=10_000, help="results in the batch")
    parser.add_argument(
        "--no-cli", dest="cli", action="store_false", help="skip timing `casebook verify`"
    )
    args = parser.parse_args()

    key = Ed25519PrivateKey.generate()
    public_key = key.public_key()
    document = result_document(args.items)
    signed = sign_document(document, key)
    assert verify_document(signed, public_key) == document

    counts = {"sign": 0, "verify": 0}
    times = {"sign": 0.0, "verify": 0.0}
    actions: dict[str, Callable[[], object]] = {
        "sign": lambda: sign_document(document, key),
        "verify": lambda: verify_document(signed, public_key),
    }
    slice_s = args.seconds / args.rounds
    for _ in range(args.rounds):
        for name, action in actions.items():
            count, elapsed = _rate(action, slice_s)
            counts[name] += count
            times[name] += elapsed

    sign_rate = counts["sign"] / times["sign"]
    verify_rate = counts["verify"] / times["verify"]
    print(f"result file: {len(signed):,} bytes ({args.items} items)")
    print(f"signed:   {sign_rate:10,.0f} results/s  ({1e6 / sign_rate:7.1f} µs each)")
    print(f"verified: {verify_rate:10,.0f} results/s  ({1e6 / verify_rate:7.1f} µs each)")
    print(f"verify/sign ratio: {verify_rate / sign_rate:.2f}")

    real = real_result_document()
    batch = []
    for n in range(args.verify_count):
        real["candidate"]["id"] = f"C-{n:05d}"
        batch.append(sign_document(real, key))
    print(f"batch: real result documents of the test case, {len(batch[0]):,} bytes each")
    started = time.perf_counter()
    verified = sum(1 for result in batch if verify_document(result, public_key))
    elapsed = time.perf_counter() - started
    verdict = "met" if elapsed < 10 else "MISSED"
    print(
        f"verify {verified:,} distinct results in one go: {elapsed:.2f} s "
        f"(target < 10 s for 10,000: {verdict})"
    )
    with tempfile.TemporaryDirectory(prefix="casebook-sign-") as tmp:
        _from_files(batch, public_key, tmp, args.cli)


def _from_files(batch: list[str], public_key: Ed25519PublicKey, tmp: str, cli: bool) -> None:
    """The same batch as files on disk: read + verify in one process, and `casebook verify`."""
    folder = Path(tmp)
    files = []
    for n, result in enumerate(batch):
        files.append(folder / f"result-{n:05d}.jws.json")
        files[-1].write_text(result, encoding="utf-8")
    started = time.perf_counter()
    for file in files:
        verify_document(file.read_bytes(), public_key)
    elapsed = time.perf_counter() - started
    print(f"read + verify the {len(files):,} files in one process: {elapsed:.2f} s")
    if not cli:
        return
    key_file = folder / "key.pub"
    key_file.write_bytes(
        public_key.public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    verify = [sys.executable, "-m", "casebook_player.cli", "verify", "--key", str(key_file)]
    started = time.perf_counter()
    one = subprocess.run([*verify, str(files[0])], capture_output=True, text=True, check=False)
    single = time.perf_counter() - started
    started = time.perf_counter()
    done = subprocess.run([*verify, str(folder)], capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    if one.returncode != 0 or done.returncode != 0:
        print(f"`casebook verify` failed: {one.stdout[-300:]!r} {done.stdout[-300:]!r}")
        return
    summary = done.stdout.splitlines()[-1]
    print(
        f"`casebook verify FOLDER` ({len(files):,} files, one process): {elapsed:.2f} s: {summary}"
    )
    print(f"`casebook verify FILE` (one file, the command's start-up included): {single:.2f} s")


if __name__ == "__main__":
    main()
