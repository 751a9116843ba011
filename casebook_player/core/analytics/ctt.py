"""Classical test theory over the SQL's rows: what SQL cannot do cleanly, and the flags.

The SQL (stats_sql.py) gives item statistics, options, reliability and each form's score
distribution; here they become one ``FormStats`` per form, with decision consistency at the
cut score (Subkoviak's single-administration agreement), impact data and the items' flags.
Rows come as dicts from any engine (DuckDB here, Spark in the bench).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import duckdb

from casebook_player.core.analytics.stats_sql import QUERIES, STAGES

Rows = list[dict[str, Any]]

HARD_P, EASY_P = 0.20, 0.95
NEAR_ZERO_R = 0.10
_EPSILON = 1e-9


@dataclass(frozen=True)
class Consistency:
    """Subkoviak's agreement: the chance a candidate gets the same pass/fail decision on a
    parallel form, P_A, and kappa (P_A beyond the agreement chance alone gives, P_C)."""

    agreement: float
    chance: float
    kappa: float | None


@dataclass
class FormStats:
    form: str
    items: Rows
    options: Rows
    reliability: Rows
    distribution: Rows
    click_map: Rows
    measurement_errors: Rows
    consistency: Consistency | None = None
    flags: dict[str, list[str]] = field(default_factory=dict)

    @property
    def overall(self) -> dict[str, Any]:
        return next(r for r in self.reliability if r["domain_id"] == "")

    @property
    def candidates(self) -> int:
        return int(sum(r["candidates"] for r in self.distribution))

    @property
    def cut_score(self) -> float:
        """The cut score (percent) the results were judged against (the most common one)."""
        counts: dict[float, int] = defaultdict(int)
        for row in self.distribution:
            counts[float(row["cut_score"])] += int(row["candidates"])
        return max(counts, key=lambda cut: counts[cut])


def query_archive(connection: duckdb.DuckDBPyConnection) -> dict[str, Rows]:
    """Every statistics query's rows from the archive (its shared stages made first)."""
    for name, sql in STAGES.items():
        connection.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS {sql}")
    rows = {name: _dicts(connection.execute(sql)) for name, sql in QUERIES.items()}
    for name in reversed(STAGES):
        connection.execute(f"DROP TABLE {name}")
    return rows


def _dicts(cursor: duckdb.DuckDBPyConnection) -> Rows:
    names = [d[0] for d in cursor.description or ()]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def form_statistics(rows: Mapping[str, Rows]) -> dict[str, FormStats]:
    """The statistics of each form found in the queries' rows."""
    by_form: dict[str, dict[str, Rows]] = defaultdict(lambda: defaultdict(list))
    for name, table in rows.items():
        for row in table:
            by_form[row["form"]][name].append(_plain(row))
    forms = {}
    for form, tables in by_form.items():
        stats = FormStats(
            form,
            tables["item_stats"],
            tables["distractors"],
            tables["reliability"],
            tables["score_distribution"],
            tables["click_map"],
            tables["measurement_errors"],
        )
        if stats.reliability:
            stats.consistency = decision_consistency(stats)
        stats.flags = item_flags(stats.items, stats.options)
        forms[form] = stats
    return forms


def _plain(row: Mapping[str, Any]) -> dict[str, Any]:
    """NaN (a correlation with no variance, in some engines) as None, as others give it, and
    decimals (a sum of 0.0/1.0 literals) as floats."""
    plain = {k: float(v) if isinstance(v, Decimal) else v for k, v in row.items()}
    return {k: None if isinstance(v, float) and math.isnan(v) else v for k, v in plain.items()}


def decision_consistency(stats: FormStats) -> Consistency:
    """Subkoviak (1976): each candidate's true proportion is estimated by Kelley's regression
    towards the mean with the form's reliability (alpha), and a binomial over the form's k
    items gives the chance P of passing a parallel form; P_A = mean(P^2 + (1-P)^2)."""
    overall = stats.overall
    k = int(overall["k"])
    alpha = min(1.0, max(0.0, overall["alpha"] or 0.0))
    needed = math.ceil(stats.cut_score / 100.0 * k - _EPSILON)
    total_n = stats.candidates
    mean = sum(r["total"] / r["max_total"] * r["candidates"] for r in stats.distribution) / total_n
    agreement = passing = 0.0
    for row in stats.distribution:
        proportion = row["total"] / row["max_total"]
        true = min(1.0, max(0.0, alpha * proportion + (1.0 - alpha) * mean))
        p_pass = _binomial_tail(k, true, needed)
        agreement += (p_pass**2 + (1.0 - p_pass) ** 2) * row["candidates"]
        passing += p_pass * row["candidates"]
    agreement /= total_n
    passing /= total_n
    chance = passing**2 + (1.0 - passing) ** 2
    kappa = (agreement - chance) / (1.0 - chance) if chance < 1.0 - _EPSILON else None
    return Consistency(agreement, chance, kappa)


def _binomial_tail(k: int, p: float, at_least: int) -> float:
    """P(X >= at_least) for X ~ Binomial(k, p)."""
    return sum(
        math.comb(k, j) * p**j * (1.0 - p) ** (k - j) for j in range(max(at_least, 0), k + 1)
    )


def item_flags(items: Rows, options: Rows) -> dict[str, list[str]]:
    """What is wrong with each item, in words (items with nothing wrong are left out)."""
    flags: dict[str, list[str]] = {}
    for item in items:
        said = []
        p, r = item["p"], item["r_rest"]
        if p < HARD_P:
            said.append(f"hard: p = {p:.2f} < {HARD_P:.2f}")
        if p > EASY_P:
            said.append(f"easy: p = {p:.2f} > {EASY_P:.2f}")
        if r is None:
            said.append("no discrimination: every candidate scored the same")
        elif r < 0:
            said.append(f"negative discrimination: r = {r:.2f}")
        elif r < NEAR_ZERO_R:
            said.append(f"near-zero discrimination: r = {r:.2f} < {NEAR_ZERO_R:.2f}")
        said.extend(_distractor_flags([o for o in options if o["item_id"] == item["item_id"]]))
        if said:
            flags[item["item_id"]] = said
    return flags


def _distractor_flags(options: Rows) -> list[str]:
    """A distractor the upper 27 % chose more often than they chose the key (the least chosen
    key of a multiple-answer item): the sign of a mis-keyed or ambiguous item."""
    keyed = [o["share_upper"] for o in options if o["is_key"] and o["share_upper"] is not None]
    if not keyed:
        return []
    return [
        f"distractor {o['option_id']} chosen more by the upper group than the key "
        f"({o['share_upper']:.2f} vs {min(keyed):.2f})"
        for o in options
        if not o["is_key"] and o["share_upper"] is not None and o["share_upper"] > min(keyed)
    ]


def pass_rates(distribution: Rows, cuts: list[float] | None = None) -> list[tuple[float, float]]:
    """Impact data: the share of candidates who would pass at each cut (percent score >= cut)."""
    total = sum(r["candidates"] for r in distribution)
    points = cuts if cuts is not None else [float(c) for c in range(101)]
    return [
        (cut, sum(r["candidates"] for r in distribution if r["percent"] + _EPSILON >= cut) / total)
        for cut in points
    ]
