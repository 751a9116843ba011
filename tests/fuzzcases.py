"""Hypothesis strategies for case scripts that are broken in every way we can think of, and
the check that the loader answers each one clearly.

Shared by tests/test_fuzz_loader.py (a few hundred inputs, in the suite) and
bench/bench_fuzz_loader.py (10,000 and more, with a watchdog for hangs).
"""

from __future__ import annotations

import math
import re
import signal
import time
from collections.abc import Iterator
from contextlib import contextmanager
from copy import deepcopy
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from casefactory import case_data, write_media
from hypothesis import strategies as st

from casebook_player.core.case.loader import load_case
from casebook_player.core.case.problems import CaseError

TIME_LIMIT_S = 2.0
MALFORMED = Path(__file__).resolve().parent / "data" / "malformed"

Path_ = tuple[str | int, ...]


def _encoded(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


# -- values that break assumptions -----------------------------------------------------------

_CONTROL = "".join(chr(c) for c in (*range(0, 32), 127, 0x85, 0x2028, 0x2029, 0xFEFF))

weird_text = st.one_of(
    st.text(max_size=30),
    st.text(alphabet=_CONTROL + "ab/.:\\", max_size=12),
    st.sampled_from(
        [
            "",
            " ",
            "../outside.wav",
            "/etc/passwd",
            "C:\\media\\a.wav",
            "media/intro.wav/",
            "media/./intro.wav",
            "media//intro.wav",
            "media",
            ".",
            "media/still.png",
            "media/intro.vtt",
            "media/clip.mp4",
            "not_possible",
            "ЖЖЖ-ключ",
            "🩺",
            "a" * 300,
            "yes",
            "null",
        ]
    ),
)

weird_number = st.one_of(
    st.integers(min_value=-(10**6), max_value=10**6),
    st.integers(),
    st.sampled_from([0, -1, 1, 2**53, 2**63, -(2**63), 10**300, 10**400, 2**1024]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0.0, -0.0, 1e-320, 1e308, math.inf, -math.inf, math.nan]),
)

scalar = st.one_of(st.none(), st.booleans(), weird_number, weird_text)

weird_value: st.SearchStrategy[Any] = st.recursive(
    scalar,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(weird_text, children, max_size=4),
    ),
    max_leaves=12,
)


def nested(depth: int) -> Any:
    value: Any = "x"
    for i in range(depth):
        value = [value] if i % 2 else {"k": value}
    return value


# -- mutations of the valid test case --------------------------------------------------------


def all_paths(data: Any, prefix: Path_ = ()) -> list[Path_]:
    """Every path to a value inside `data` (the root excluded)."""
    paths: list[Path_] = []
    children: list[tuple[str | int, Any]] = []
    if isinstance(data, dict):
        children = list(data.items())
    elif isinstance(data, list):
        children = list(enumerate(data))
    for key, value in children:
        path = (*prefix, key)
        paths.append(path)
        paths.extend(all_paths(value, path))
    return paths


def _parent(data: Any, path: Path_) -> Any:
    for part in path[:-1]:
        data = data[part]
    return data


def mutate_data(draw: st.DrawFn, data: dict[str, Any]) -> None:
    """Delete, replace, duplicate, swap or add one value somewhere in `data`, in place."""
    paths = all_paths(data)
    path = draw(st.sampled_from(paths))
    parent, last = _parent(data, path), path[-1]
    kind = draw(
        st.sampled_from(["delete", "replace", "replace", "duplicate", "unknown", "deep", "swap"])
    )
    if kind == "delete":
        del parent[last]
    elif kind == "replace":
        parent[last] = draw(weird_value)
    elif kind == "duplicate" and isinstance(parent, list):
        parent.insert(draw(st.integers(0, len(parent))), deepcopy(parent[last]))
    elif kind == "unknown" and isinstance(parent, dict):
        parent[draw(weird_text)] = draw(weird_value)
    elif kind == "deep":
        parent[last] = nested(draw(st.integers(1, 120)))
    elif kind == "swap":
        other = draw(st.sampled_from(paths))
        if other[: len(path)] != path and path[: len(other)] != other:
            try:
                value = _parent(data, other)[other[-1]]
                parent[last], _parent(data, other)[other[-1]] = value, parent[last]
            except (KeyError, IndexError, TypeError):
                pass  # an earlier swap moved it


_TEXT_SNIPPETS = [
    "!!python/object/apply:os.system [echo hacked] ",
    "!!binary aGVsbG8= ",
    "!!set {a, b} ",
    "!custom ",
    "!!str ",
    "!!int ",
    "!!float ",
    "!!map ",
    "!!seq ",
    "&anchor ",
    "*anchor",
    "*undefined",
    "<<: *anchor",
    "? [a, b]\n: x\n",
    "---\n",
    "...\n",
    "%YAML 1.1\n",
    "%TAG ! tag:example.com,2000:\n",
    "\t",
    "\ufeff",
    "\x00",
    "\x1b[31m",
    "\u2028",
    "'unclosed",
    '"unclosed',
    '"\\x00 \\uD800 \\U0010FFFF \\N"',
    "|\n",
    ">-\n",
    "{",
    "}",
    "[",
    "]",
    ": ",
    "- ",
    "#",
    "1" * 5000,
    "0x" + "f" * 300,
    "1:2:3:4:5",
    "1.0e+400",
    ".nan",
    "-.inf",
    "0o777",
    "2026-13-45",
    "~",
]


def _bomb(levels: int) -> str:
    lines = ["b0: &b0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"b{i}: &b{i} [{', '.join([f'*b{i - 1}'] * 10)}]" for i in range(1, levels)]
    return "\n".join(lines) + "\n"


def _text_mutation(draw: st.DrawFn, text: str) -> str:
    lines = text.splitlines(keepends=True)
    kind = draw(
        st.sampled_from(
            ["insert", "insert", "dup_line", "truncate", "indent", "anchor", "bomb", "drop_line"]
        )
    )
    at = draw(st.integers(0, len(text)))
    line = draw(st.integers(0, max(0, len(lines) - 1)))
    if kind == "insert":
        snippet = draw(st.one_of(st.sampled_from(_TEXT_SNIPPETS), st.text(max_size=8)))
        return text[:at] + snippet + text[at:]
    if kind == "dup_line" and lines:
        lines.insert(line, lines[line])  # duplicated keys, duplicated list entries
    elif kind == "truncate":
        return text[:at]
    elif kind == "indent" and lines:
        lines[line] = " " * draw(st.integers(0, 9)) + lines[line].lstrip(" ")
    elif kind == "anchor" and len(lines) > 1:
        first, second = sorted(
            draw(st.lists(st.integers(0, len(lines) - 1), min_size=2, max_size=2))
        )
        lines[first] = re.sub(r": (\S)", r": &x \1", lines[first], count=1)
        lines[second] = re.sub(r": (\S.*)$", r": *x", lines[second], count=1)
    elif kind == "bomb":
        return _bomb(draw(st.integers(2, 9))) + text
    elif kind == "drop_line" and lines:
        del lines[line]
    return "".join(lines)


@st.composite
def mutated_case(draw: st.DrawFn) -> bytes:
    """The valid test case with 0-3 changes to its data and 0-2 to its text."""
    data = case_data()
    for _ in range(draw(st.integers(0, 3))):
        mutate_data(draw, data)
    text = yaml.safe_dump(
        data, sort_keys=draw(st.booleans()), allow_unicode=draw(st.booleans()), width=10**6
    )
    for _ in range(draw(st.integers(0, 2))):
        text = _text_mutation(draw, text)
    return _encoded(text)


yamlish = st.lists(
    st.one_of(
        st.sampled_from(_TEXT_SNIPPETS),
        st.sampled_from(["id", "segments", "key_points", "items", "at", "media", "\n", "  "]),
        st.text(max_size=5),
    ),
    max_size=40,
).map(lambda parts: _encoded("".join(parts)))

# (family, content): the family says which kind of input it is, for the bench's counts.
tagged_case_files = st.one_of(
    mutated_case().map(lambda b: ("mutated case", b)),
    mutated_case().map(lambda b: ("mutated case", b)),
    mutated_case().map(lambda b: ("mutated case", b)),
    yamlish.map(lambda b: ("yaml-ish tokens", b)),
    st.text(max_size=500).map(lambda t: ("any text", _encoded(t))),
    st.binary(max_size=500).map(lambda b: ("any bytes", b)),
)
case_file_bytes = tagged_case_files.map(lambda tagged: tagged[1])


# -- the check -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    kind: str  # "valid" | "error" | "failure"
    seconds: float
    detail: str = ""


class _TimedOut(BaseException):
    """Not an Exception, so that no `except Exception` in the code under test can hide it."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise _TimedOut in this (main) thread after `seconds` of wall-clock time."""

    def expire(signum: int, frame: object) -> None:
        raise _TimedOut

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def prepare_folder(folder: Path) -> Path:
    """A case folder with the fixture media; returns the path of its case.yaml."""
    write_media(folder)
    return folder / "case.yaml"


def check(file: Path, content: bytes, limit_s: float = TIME_LIMIT_S) -> Outcome:
    """Write `content` as the case script and load it: a Case, or a CaseError whose every
    problem prints as one line `file:line:col: path: message`. Anything else is a failure."""
    file.write_bytes(content)
    # One line: no control character at all (a path may be an odd key, such as " ").
    printable = r"[^\x00-\x1f\x7f-\x9f\u2028\u2029]"
    line_re = re.compile(rf"{re.escape(str(file))}:[1-9]\d*:[1-9]\d*: {printable}*: {printable}+")
    started = time.perf_counter()
    try:
        with time_limit(limit_s):
            load_case(file.parent)
    except _TimedOut:
        return Outcome("failure", time.perf_counter() - started, f"took more than {limit_s} s")
    except CaseError as exc:
        seconds = time.perf_counter() - started
        if not exc.problems:
            return Outcome("failure", seconds, "CaseError without problems")
        for problem in exc.problems:
            text = str(problem)
            if problem.file != file or not problem.message.strip() or not line_re.fullmatch(text):
                return Outcome("failure", seconds, f"unclear problem: {text!r}")
        return Outcome("error", seconds)
    except Exception as exc:  # any other exception is what we look for
        seconds = time.perf_counter() - started
        return Outcome("failure", seconds, f"{type(exc).__name__}: {exc}"[:500])
    return Outcome("valid", time.perf_counter() - started)


def malformed_corpus() -> list[Path]:
    """The hand-written malformed case scripts in tests/data/malformed/."""
    return sorted(p for p in MALFORMED.iterdir() if p.is_file())
