"""Every statistic of the archive as plain SQL, one string each, in one place.

The same strings run on DuckDB (the archive) and on Spark SQL (bench/bench_archive.py), so a
programme whose archive outgrows one machine runs them on a cluster unchanged
(docs/analytics.md). They use only what both engines share: CTEs, GROUP BY, window functions
(ROW_NUMBER, COUNT OVER), CASE, AVG, SUM, COUNT, VAR_POP, CORR, SQRT, FLOOR, GREATEST, and
no engine's own functions.

Tables read: ``results``, ``responses``, ``selections`` (archive.py) and the case tables
``case_items``, ``item_options``, ``item_domains`` (case_tables.py). A *form* is one exact case
script, named by its SHA-256: two scripts that both call themselves version 1.0.0 are two
forms and are never mixed. Variances are population variances (divisor n) throughout, as
KR-20 is defined; a score is an item's points, 0 for an item shown and not answered.
"""

from __future__ import annotations

# One attempt per candidate and case version: the first by the attempt ledger's count, then
# by start time (results without a ledger), then by hash, so the choice is deterministic.
FIRST_ATTEMPTS_VIEW = """
SELECT * FROM (
    SELECT r.*, ROW_NUMBER() OVER (
        PARTITION BY candidate_id, case_id, case_version
        ORDER BY attempt, started_at, result_hash) AS attempt_rank
    FROM results r
) ranked WHERE attempt_rank = 1
"""

UPPER_LOWER_SHARE = 0.27
# A bare 1.0 is a DECIMAL in Spark SQL (and in DuckDB), and an average of decimals keeps only
# a few digits there: every constant that enters an average or a ratio is a double.
_ONE, _ZERO = "CAST(1 AS DOUBLE)", "CAST(0 AS DOUBLE)"

# Shared stages, each materialised once (a temporary table in DuckDB, a cached view on Spark)
# before the queries read them: each first attempt's item scores on a known form, its total
# over those items, and its band: the upper and lower 27 % by total (ties broken by hash, so
# the bands are disjoint and always the same size, round(0.27 n), at least 1). Computed once,
# not once per query: over a million results that is most of the time and the memory.
SCORED = """
SELECT f.case_sha256 AS form, s.result_hash, s.item_id, s.points, s.max_points,
       s.answered, f.percent, f.cut_score
FROM first_attempts f
JOIN responses s ON s.result_hash = f.result_hash
JOIN case_items ci ON ci.case_sha256 = f.case_sha256 AND ci.item_id = s.item_id
"""
TOTALS = """
SELECT form, result_hash, SUM(points) AS total, SUM(max_points) AS max_total,
       MAX(percent) AS percent, MAX(cut_score) AS cut_score
FROM scored GROUP BY form, result_hash
"""
BANDED = f"""
SELECT form, result_hash, total,
       CASE WHEN from_top <= GREATEST(1, FLOOR({UPPER_LOWER_SHARE} * n + 0.5)) THEN 'upper'
            WHEN from_bottom <= GREATEST(1, FLOOR({UPPER_LOWER_SHARE} * n + 0.5)) THEN 'lower'
            ELSE 'middle' END AS band
FROM (
    SELECT form, result_hash, total,
           ROW_NUMBER() OVER (PARTITION BY form ORDER BY total DESC, result_hash) AS from_top,
           ROW_NUMBER() OVER (PARTITION BY form ORDER BY total, result_hash DESC) AS from_bottom,
           COUNT(*) OVER (PARTITION BY form) AS n
    FROM totals
) ranked
"""
STAGES = {"scored": SCORED, "totals": TOTALS, "banded": BANDED}

# Per item: difficulty (p: the mean fraction of its points; mean score for partial credit),
# the corrected item-total correlation (with the total of the other items: point-biserial for
# a right/wrong item, point-polyserial for partial credit), upper-lower discrimination
# D = p(upper 27 %) - p(lower 27 %), the share that did not answer, and the score's variance.
ITEM_STATS = f"""
SELECT s.form, s.item_id,
       COUNT(*) AS n,
       AVG(s.points / s.max_points) AS p,
       AVG(s.points) AS mean_score,
       MAX(s.max_points) AS max_points,
       CORR(s.points, b.total - s.points) AS r_rest,
       AVG(CASE WHEN b.band = 'upper' THEN s.points / s.max_points END)
         - AVG(CASE WHEN b.band = 'lower' THEN s.points / s.max_points END) AS d_upper_lower,
       AVG(CASE WHEN s.answered THEN {_ZERO} ELSE {_ONE} END) AS omitted,
       VAR_POP(s.points) AS variance
FROM scored s JOIN banded b ON b.result_hash = s.result_hash AND b.form = s.form
GROUP BY s.form, s.item_id
ORDER BY s.form, s.item_id
"""

# Per option of each choice item: the share of those shown the item who chose it, their mean
# total, and the share choosing it in the upper and in the lower 27 %.
DISTRACTORS = """
WITH shown AS (
    SELECT s.form, s.item_id,
           COUNT(*) AS n,
           SUM(CASE WHEN b.band = 'upper' THEN 1 ELSE 0 END) AS n_upper,
           SUM(CASE WHEN b.band = 'lower' THEN 1 ELSE 0 END) AS n_lower
    FROM scored s JOIN banded b ON b.result_hash = s.result_hash AND b.form = s.form
    JOIN (SELECT DISTINCT case_sha256, item_id FROM item_options) choice
      ON choice.case_sha256 = s.form AND choice.item_id = s.item_id
    GROUP BY s.form, s.item_id
),
chosen AS (
    SELECT b.form, c.item_id, c.option_id,
           COUNT(*) AS k,
           AVG(b.total) AS mean_total,
           SUM(CASE WHEN b.band = 'upper' THEN 1 ELSE 0 END) AS k_upper,
           SUM(CASE WHEN b.band = 'lower' THEN 1 ELSE 0 END) AS k_lower
    FROM selections c JOIN banded b ON b.result_hash = c.result_hash
    GROUP BY b.form, c.item_id, c.option_id
)
SELECT o.case_sha256 AS form, o.item_id, o.option_id, o.is_key,
       COALESCE(c.k, 0) / CAST(w.n AS DOUBLE) AS share,
       CAST(COALESCE(c.k, 0) AS DOUBLE) AS chosen_by,
       c.mean_total,
       COALESCE(c.k_upper, 0) / CAST(NULLIF(w.n_upper, 0) AS DOUBLE) AS share_upper,
       COALESCE(c.k_lower, 0) / CAST(NULLIF(w.n_lower, 0) AS DOUBLE) AS share_lower
FROM item_options o
JOIN shown w ON w.form = o.case_sha256 AND w.item_id = o.item_id
LEFT JOIN chosen c ON c.form = o.case_sha256 AND c.item_id = o.item_id
                  AND c.option_id = o.option_id
ORDER BY form, o.item_id, o.option_id
"""

# Per domain and overall ('' is the whole form): candidates, items, mean and SD of the score,
# the sum of the item variances, and coefficient alpha = k/(k-1) (1 - sum var_i / var_X)
# (KR-20 when every item is right/wrong, as it then equals it), and its SEM = SD sqrt(1 - alpha).
RELIABILITY = """
WITH grouped AS (
    SELECT s.form, d.domain_id, s.result_hash, s.item_id, s.points, s.max_points
    FROM scored s JOIN item_domains d ON d.case_sha256 = s.form AND d.item_id = s.item_id
    UNION ALL
    SELECT form, '' AS domain_id, result_hash, item_id, points, max_points FROM scored
),
person AS (
    SELECT form, domain_id, result_hash, SUM(points) AS score
    FROM grouped GROUP BY form, domain_id, result_hash
),
item_var AS (
    SELECT form, domain_id, item_id, VAR_POP(points) AS v, MAX(max_points) AS max_points,
           MAX(CASE WHEN points > 0 AND points < max_points THEN 1 ELSE 0 END) AS partial
    FROM grouped GROUP BY form, domain_id, item_id
),
items AS (
    SELECT form, domain_id, COUNT(*) AS k, SUM(v) AS sum_var, SUM(max_points) AS max_score,
           MAX(partial) AS partial
    FROM item_var GROUP BY form, domain_id
),
spread AS (
    SELECT form, domain_id, COUNT(*) AS n, AVG(score) AS mean, VAR_POP(score) AS var_x
    FROM person GROUP BY form, domain_id
),
alphas AS (
    SELECT s.form, s.domain_id, s.n, i.k, i.max_score, s.mean, SQRT(s.var_x) AS sd,
           i.partial = 0 AS dichotomous,
           CASE WHEN i.k > 1 AND s.var_x > 0
                THEN (CAST(i.k AS DOUBLE) / (i.k - 1)) * (1 - i.sum_var / s.var_x) END AS alpha
    FROM spread s JOIN items i ON i.form = s.form AND i.domain_id = s.domain_id
)
SELECT form, domain_id, n, k, max_score, mean, sd, dichotomous, alpha,
       sd * SQRT(1 - alpha) AS sem
FROM alphas
ORDER BY form, domain_id
"""

# The score distribution of each form: how many first attempts had each total (and percent),
# for decision consistency, impact data, Hofstee and the histogram.
SCORE_DISTRIBUTION = """
SELECT form, total, max_total, percent, cut_score, COUNT(*) AS candidates
FROM totals
GROUP BY form, total, max_total, percent, cut_score
ORDER BY form, total, percent
"""

CLICK_BIN_PX = 4
# Where candidates clicked on each hotspot item's image, in bins of CLICK_BIN_PX pixels, and
# how many of those clicks earned the item's points.
CLICK_MAP = f"""
SELECT s.form, s.item_id,
       FLOOR(r.x / {CLICK_BIN_PX}) * {CLICK_BIN_PX} AS x,
       FLOOR(r.y / {CLICK_BIN_PX}) * {CLICK_BIN_PX} AS y,
       COUNT(*) AS clicks,
       SUM(CASE WHEN s.points > 0 THEN 1 ELSE 0 END) AS hits
FROM scored s JOIN responses r ON r.result_hash = s.result_hash AND r.item_id = s.item_id
WHERE r.type = 'hotspot' AND r.x IS NOT NULL
GROUP BY s.form, s.item_id, FLOOR(r.x / {CLICK_BIN_PX}), FLOOR(r.y / {CLICK_BIN_PX})
ORDER BY s.form, s.item_id, x, y
"""

ERROR_BIN_MM = 0.5
# Each measurement item's error (measured minus the key, in mm) in bins of ERROR_BIN_MM.
MEASUREMENT_ERRORS = f"""
WITH errors AS (
    SELECT s.form, s.item_id,
           SQRT((r.to_x - r.from_x) * (r.to_x - r.from_x)
                + (r.to_y - r.from_y) * (r.to_y - r.from_y)) * ci.spacing_mm
             - ci.value_mm AS error_mm
    FROM scored s
    JOIN responses r ON r.result_hash = s.result_hash AND r.item_id = s.item_id
    JOIN case_items ci ON ci.case_sha256 = s.form AND ci.item_id = s.item_id
    WHERE r.type = 'measurement' AND r.from_x IS NOT NULL
)
SELECT form, item_id, FLOOR(error_mm / {ERROR_BIN_MM}) * {ERROR_BIN_MM} AS error_mm,
       COUNT(*) AS candidates
FROM errors
GROUP BY form, item_id, FLOOR(error_mm / {ERROR_BIN_MM})
ORDER BY form, item_id, error_mm
"""

QUERIES = {
    "item_stats": ITEM_STATS,
    "distractors": DISTRACTORS,
    "reliability": RELIABILITY,
    "score_distribution": SCORE_DISTRIBUTION,
    "click_map": CLICK_MAP,
    "measurement_errors": MEASUREMENT_ERRORS,
}
