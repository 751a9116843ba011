"""Modified Angoff: each judge says, per item, the probability a borderline candidate earns
it (the expected fraction of its points, for partial credit); a judge's cut is the expected
percent score of that candidate, and the panel's cut is the judges' mean.

The standard error of the cut is the judges' SD / sqrt(judges). Agreement among judges is the
intraclass correlation ICC(2,1) (Shrout & Fleiss 1979: two-way random effects, absolute
agreement, one rater) over the items rated, with the judges' SD of cuts beside it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

Ratings = Mapping[str, Mapping[str, float]]  # judge -> item -> probability


@dataclass(frozen=True)
class AngoffRound:
    judges: dict[str, float]  # each judge's cut, percent
    cut: float
    sd: float
    se: float
    icc: float | None


def angoff_round(ratings: Ratings, points: Mapping[str, float]) -> AngoffRound:
    """The panel's cut from one round of ratings, weighting each item by its points."""
    maximum = sum(points.values())
    cuts = {
        judge: 100.0 * sum(given[item] * points[item] for item in points) / maximum
        for judge, given in ratings.items()
    }
    values = list(cuts.values())
    mean = sum(values) / len(values)
    sd = (
        math.sqrt(sum((v - mean) ** 2 for v in values) / (len(values) - 1))
        if len(values) > 1
        else 0.0
    )
    matrix = [[ratings[judge][item] for judge in ratings] for item in points]
    return AngoffRound(cuts, mean, sd, sd / math.sqrt(len(values)), icc_2_1(matrix))


def icc_2_1(matrix: list[list[float]]) -> float | None:
    """ICC(2,1) of ``matrix`` (rows: targets, columns: raters) from the two-way ANOVA:
    (MSR - MSE) / (MSR + (k-1) MSE + k (MSC - MSE) / n). None when it is undefined."""
    n, k = len(matrix), len(matrix[0]) if matrix else 0
    if n < 2 or k < 2:
        return None
    grand = sum(map(sum, matrix)) / (n * k)
    rows = [sum(r) / k for r in matrix]
    cols = [sum(r[j] for r in matrix) / n for j in range(k)]
    ss_rows = k * sum((m - grand) ** 2 for m in rows)
    ss_cols = n * sum((m - grand) ** 2 for m in cols)
    ss_total = sum((x - grand) ** 2 for r in matrix for x in r)
    ms_rows = ss_rows / (n - 1)
    ms_cols = ss_cols / (k - 1)
    ms_error = (ss_total - ss_rows - ss_cols) / ((n - 1) * (k - 1))
    denominator = ms_rows + (k - 1) * ms_error + k * (ms_cols - ms_error) / n
    return (ms_rows - ms_error) / denominator if denominator > 0 else None
