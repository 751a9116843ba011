"""Hofstee's compromise: judges give the lowest and highest acceptable cut score and the lowest
and highest acceptable fail rate; the line from (lowest cut, highest fail rate) to (highest
cut, lowest fail rate) meets the archive's observed fail-rate curve at the cut.

The fail rate at cut c is the share of first attempts scoring below c percent (a score of
exactly c passes, as the player decides). It rises in steps; the cut is the lowest c in the
acceptable range where the curve reaches the line.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

_EPSILON = 1e-9


@dataclass(frozen=True)
class HofsteeBounds:
    """Percent scores and percent fail rates (the judges' means)."""

    min_cut: float
    max_cut: float
    min_fail: float
    max_fail: float


@dataclass(frozen=True)
class HofsteeCut:
    cut: float
    fail_rate: float  # percent, at the cut


def fail_rate(scores: Sequence[tuple[float, int]], cut: float) -> float:
    """Percent of candidates (percent score, how many) below ``cut``."""
    total = sum(n for _, n in scores)
    return 100.0 * sum(n for s, n in scores if s + _EPSILON < cut) / total


def hofstee_cut(bounds: HofsteeBounds, scores: Sequence[tuple[float, int]]) -> HofsteeCut | None:
    """Where the line meets the fail-rate curve, or None when it does not within the range.

    Between two neighbouring scores a < b the curve is flat at the fail rate of b (those
    below b are those at or below a); on that step the line reaches it at one c.
    """
    lo, hi = bounds.min_cut, bounds.max_cut
    fall = bounds.max_fail - bounds.min_fail
    edges = [lo, *sorted({s for s, _ in scores if lo < s < hi}), hi]
    for a, b in pairwise(edges):
        rate = fail_rate(scores, b)
        if fall > 0 and hi > lo:
            c = lo + (bounds.max_fail - rate) * (hi - lo) / fall
        else:
            c = lo if rate + _EPSILON >= bounds.max_fail else float("inf")
        if c <= b + _EPSILON:
            return HofsteeCut(max(c, a), rate)
    return None
