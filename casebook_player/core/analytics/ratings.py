"""A standard-setting panel's ratings file (YAML), read safely with every problem located.

case: ../cases/lung-pneumothorax      # the case folder or case.yaml, relative to this file
rounds:                               # one or more; the last gives the recommendation
  - judge-a: {q-first-site: 0.6, q-settings: 0.5, ...}   # every item, 0..1
    judge-b: {...}
hofstee:                              # optional: per judge, percent
  judge-a: {min_cut: 55, max_cut: 75, min_fail: 5, max_fail: 30}
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from casebook_player.core.analytics.hofstee import HofsteeBounds
from casebook_player.core.case.problems import (
    Problem,
    ProblemsError,
    format_path,
    parse_yaml,
    read_limited,
)
from casebook_player.core.case.yamlsource import JsonPath, YamlDocument

_ROOT = "(ratings)"
_BOUNDS = ("min_cut", "max_cut", "min_fail", "max_fail")


class RatingsError(ProblemsError):
    """The ratings file cannot be used."""


@dataclass(frozen=True)
class Panel:
    case: Path
    rounds: list[dict[str, dict[str, float]]]
    hofstee: dict[str, HofsteeBounds]

    def hofstee_bounds(self) -> HofsteeBounds | None:
        """The judges' mean bounds, or None when the panel gave none."""
        if not self.hofstee:
            return None
        means = [
            sum(getattr(b, f) for b in self.hofstee.values()) / len(self.hofstee) for f in _BOUNDS
        ]
        return HofsteeBounds(*means)


def load_panel(file: Path, items: list[str] | None = None) -> Panel:
    """The panel in ``file``; ``items`` (once the case is known) must each be rated."""
    doc = parse_yaml(read_limited(file, _ROOT, RatingsError), file, _ROOT, RatingsError)
    reader = _Reader(doc, file)
    panel = reader.panel(items)
    if reader.problems:
        raise RatingsError(sorted(reader.problems))
    return panel


class _Reader:
    def __init__(self, doc: YamlDocument, file: Path) -> None:
        self.doc, self.file, self.problems = doc, file, list[Problem]()

    def problem(self, path: JsonPath, message: str) -> None:
        line, col = self.doc.position(path)
        self.problems.append(Problem(self.file, line, col, format_path(path, _ROOT), message))

    def panel(self, items: list[str] | None) -> Panel:
        data = self.doc.data
        if not isinstance(data, dict):
            self.problem((), "expected a mapping with case and rounds")
            return Panel(self.file, [], {})
        case = data.get("case")
        if not isinstance(case, str) or not case:
            self.problem(("case",), "expected the case folder, relative to this file")
            case = "."
        for key in set(data) - {"case", "rounds", "hofstee"}:
            self.problem((key,), f"unknown key {key!r} (case, rounds, hofstee)")
        rounds = data.get("rounds")
        if not isinstance(rounds, list) or not rounds:
            self.problem(("rounds",), "expected a list of rounds, each judges' ratings")
            rounds = []
        return Panel(
            (self.file.parent / case).resolve(),
            [self.round(r, ("rounds", n), items) for n, r in enumerate(rounds)],
            self.bounds(data.get("hofstee", {})),
        )

    def round(
        self, data: Any, path: JsonPath, items: list[str] | None
    ) -> dict[str, dict[str, float]]:
        if not isinstance(data, dict) or not data:
            self.problem(path, "expected judges, each with their ratings per item")
            return {}
        judges = {}
        for judge, given in data.items():
            where = (*path, judge)
            if not isinstance(given, dict):
                self.problem(where, "expected item: probability (0 to 1) for each item")
                continue
            ratings = {}
            for item, value in given.items():
                if (
                    isinstance(value, bool)
                    or not isinstance(value, int | float)
                    or not 0 <= value <= 1
                ):
                    self.problem(
                        (*where, item), f"expected a probability from 0 to 1, not {value!r}"
                    )
                elif items is not None and item not in items:
                    self.problem((*where, item), f"the case has no item {item!r}")
                else:
                    ratings[item] = float(value)
            missing = [i for i in items or [] if i not in given]
            if missing:
                self.problem(where, f"no rating for {', '.join(missing)}")
            judges[str(judge)] = ratings
        return judges

    def bounds(self, data: Any) -> dict[str, HofsteeBounds]:
        if not isinstance(data, dict):
            self.problem(
                ("hofstee",), "expected judges, each with min_cut, max_cut, min_fail, max_fail"
            )
            return {}
        bounds = {}
        for judge, given in data.items():
            where = ("hofstee", judge)
            values = given if isinstance(given, dict) else {}
            numbers = [values.get(f) for f in _BOUNDS]
            if set(values) != set(_BOUNDS) or not all(
                isinstance(v, int | float) and not isinstance(v, bool) and 0 <= v <= 100
                for v in numbers
            ):
                self.problem(where, "expected min_cut, max_cut, min_fail, max_fail, each 0 to 100")
                continue
            low_cut, high_cut, low_fail, high_fail = (float(v) for v in numbers)  # type: ignore[arg-type]
            if low_cut > high_cut or low_fail > high_fail:
                self.problem(where, "a minimum is above its maximum")
                continue
            bounds[str(judge)] = HofsteeBounds(low_cut, high_cut, low_fail, high_fail)
        return bounds
