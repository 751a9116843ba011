"""Validation throughput: `casebook validate` vs `check-jsonschema` on the same 1,000 case files.

    .venv/bin/pip install check-jsonschema     # or: pip install -e '.[bench]'
    .venv/bin/python bench/bench_validate.py [--cases 1000] [--rounds 3] [--invalid 0.2]

1,000 case folders are generated from the test fixture (tests/casefactory.py) with varied
content (ids, titles, 1-12 key points, 1-4 items each) and media shared through hard links;
a fraction is made invalid in the schema, in the semantics or in the media. Each tool runs as
one process over all of them, in alternating rounds, and the ratio of their times is printed.

check-jsonschema checks the schema only. `casebook validate` also runs the semantic checks and
reads every media file's header, so "ours, schema only" (one process: read YAML safely with
positions + JSON Schema, the first half of load_case) is timed as well.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from copy import deepcopy
from pathlib import Path
from typing import Any

import yaml
from benchlib import CASEBOOK, ROOT, format_distribution, header, link_tree, require, run_quiet

SCHEMA = ROOT / "schemas" / "case.schema.json"


def varied_case(rng: random.Random, n: int) -> dict[str, Any]:
    """A valid case unlike its neighbours: more or fewer key points and items, other text."""
    from casefactory import case_data

    data = case_data()
    data["id"] = f"bench-case-{n:04d}"
    data["title"] = rng.choice(["Hypotension", "Dyspnoea", "Chest pain", "Fall"]) + f" #{n}"
    data["summary"] = " ".join(rng.choice(["An", "elderly", "man", "after", "a fall"]) * 3)
    exam = data["segments"][1]
    template = exam["key_points"][1]  # kp3: one ordering item
    extra = rng.randint(0, 10)
    for k in range(extra):
        kp = deepcopy(template)
        kp["id"] = f"kp-extra-{k}"
        kp["at"] = round(6.2 + k * 0.3, 2)
        kp["title"] = f"Extra {k}"
        items = []
        for i in range(rng.randint(1, 4)):
            item = deepcopy(template["items"][0])
            item["id"] = f"q-extra-{k}-{i}"
            item["stem"] = "Order the views " * rng.randint(1, 6)
            items.append(item)
        kp["items"] = items
        exam["key_points"].append(kp)
    return data


def break_case(rng: random.Random, data: dict[str, Any]) -> str:
    """Make one thing wrong; returns what (schema, semantic or media)."""
    kp1 = data["segments"][0]["key_points"][0]
    choice = rng.randrange(6)
    if choice == 0:
        data["cut_score"] = "sixty"
    elif choice == 1:
        data["segments"][0]["colour"] = "blue"
    elif choice == 2:
        del kp1["items"][0]["stem"]
    elif choice == 3:
        kp1["items"][0]["answer"] = "Z"
        return "semantic"
    elif choice == 4:
        kp1["at"] = 42.0
        return "semantic"
    else:
        data["segments"][0]["media"] = "media/missing.wav"
        return "media"
    return "schema"


def make_cases(
    root: Path, count: int, invalid: float, seed: int
) -> tuple[list[Path], dict[str, int]]:
    from casefactory import write_media

    rng = random.Random(seed)
    media = root / "_media"
    write_media(media)
    files, broken = [], {"schema": 0, "semantic": 0, "media": 0}
    for n in range(count):
        folder = root / "cases" / f"case-{n:04d}"
        link_tree(media, folder)
        data = varied_case(rng, n)
        if rng.random() < invalid:
            broken[break_case(rng, data)] += 1
        file = folder / "case.yaml"
        file.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), "utf-8")
        files.append(file)
    return files, broken


def schema_only(files: list[Path]) -> int:
    """Our first half of load_case on every file: safe YAML with positions, then the schema."""
    from casebook_player.core.case.schema import schema_problems
    from casebook_player.core.case.yamlsource import YamlSourceError, load_yaml

    invalid = 0
    for file in files:
        try:
            doc = load_yaml(file.read_bytes())
        except YamlSourceError:
            invalid += 1
            continue
        invalid += bool(schema_problems(doc, file))
    print(f"{invalid} invalid")
    return 0


def timed(args: list[str]) -> tuple[float, str]:
    started = time.perf_counter()
    result = run_quiet(args, cwd=ROOT)
    elapsed = time.perf_counter() - started
    if result.returncode not in (0, 1):
        raise SystemExit(f"{args[0]} failed ({result.returncode}):\n{result.stderr[-2000:]}")
    return elapsed, result.stdout


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cases", type=int, default=1000, help="case folders (1000)")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds (3)")
    parser.add_argument("--invalid", type=float, default=0.2, help="fraction made invalid")
    parser.add_argument("--seed", type=int, default=9)
    parser.add_argument("--schema-only-worker", nargs="*", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.schema_only_worker is not None:
        return schema_only(args.schema_only_worker)

    check_jsonschema = _tool("check-jsonschema")
    header(f"validation throughput: {args.cases:,} generated cases")
    with tempfile.TemporaryDirectory(prefix="casebook-validate-") as tmp:
        files, broken = make_cases(Path(tmp), args.cases, args.invalid, args.seed)
        names = [str(f) for f in files]
        size = sum(f.stat().st_size for f in files)
        print(f"   {len(files)} case.yaml ({size / len(files) / 1024:.1f} KiB each on average)")
        print(f"   made invalid: {broken} (the rest valid)")
        commands = {
            "casebook validate": [*CASEBOOK, "validate", "-q", str(Path(tmp) / "cases")],
            "ours, schema only": [sys.executable, __file__, "--schema-only-worker", *names],
            "check-jsonschema": [check_jsonschema, "--schemafile", str(SCHEMA), *names],
        }
        times: dict[str, list[float]] = {name: [] for name in commands}
        outputs: dict[str, str] = {}
        for _ in range(args.rounds):
            for name, command in commands.items():
                elapsed, outputs[name] = timed(command)
                times[name].append(elapsed)
    print()
    for name, values in times.items():
        print(format_distribution(name, values, "s"))
        print(f"{'':28} {args.cases / min(values):8,.0f} cases/s (best round)")
    print()
    print("what each found:")
    print(f"  casebook validate:  {outputs['casebook validate'].strip().splitlines()[-1]}")
    print(f"  ours, schema only:  {outputs['ours, schema only'].strip()}")
    flagged = {
        line.split("::")[0].strip()
        for line in outputs["check-jsonschema"].splitlines()
        if "::" in line
    }
    print(f"  check-jsonschema:   {len(flagged)} invalid")
    print()
    reference = times["check-jsonschema"]
    for name in ("casebook validate", "ours, schema only"):
        ratios = sorted(r / o for r, o in zip(reference, times[name], strict=True))
        each = ", ".join(f"{r:.2f}" for r in ratios)
        median = ratios[len(ratios) // 2]
        print(f"check-jsonschema / {name}: {median:5.2f}x (median of rounds; each: {each})")
    full = sorted(r / o for r, o in zip(reference, times["casebook validate"], strict=True))
    verdict = "met" if full[len(full) // 2] >= 5 else "MISSED"
    print(f"target: casebook validate >= 5x faster than check-jsonschema: {verdict}")
    return 0


def _tool(name: str) -> str:
    local = Path(sys.executable).parent / name
    return str(local) if local.exists() else require(name)


if __name__ == "__main__":
    sys.exit(main())
