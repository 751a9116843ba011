"""A case script's items as archive tables: what the statistics need of the key.

``case_items`` (points, type; a measurement's key, tolerance and the image's calibration),
``item_options`` (each choice of a choice item and whether it is keyed) and ``item_domains``.
A case is known by the SHA-256 of its script, as results name it, so registering it again
replaces its rows and a changed script is another form.
"""

from __future__ import annotations

from typing import Any

import duckdb

from casebook_player.core.case.model import (
    Case,
    MeasurementItem,
    MultipleItem,
    SingleItem,
    all_choices,
)

CASE_TABLES: dict[str, str] = {
    "case_items": """
        case_sha256 VARCHAR, case_id VARCHAR, case_version VARCHAR, item_id VARCHAR,
        type VARCHAR, points DOUBLE, value_mm DOUBLE, tolerance_mm DOUBLE, spacing_mm DOUBLE""",
    "item_options": "case_sha256 VARCHAR, item_id VARCHAR, option_id VARCHAR, is_key BOOLEAN",
    "item_domains": "case_sha256 VARCHAR, item_id VARCHAR, domain_id VARCHAR",
}


def case_rows(case: Case) -> dict[str, list[tuple[Any, ...]]]:
    """The rows of each case table for ``case``."""
    rows: dict[str, list[tuple[Any, ...]]] = {table: [] for table in CASE_TABLES}
    for _, kp in case.key_points():
        for item in kp.items:
            value = tolerance = spacing = None
            if isinstance(item, MeasurementItem):
                value, tolerance = item.value_mm, item.tolerance_mm
                spacing = kp.media_by_id(item.target).pixel_spacing_mm
            rows["case_items"].append(
                (
                    case.sha256,
                    case.id,
                    case.version,
                    item.id,
                    str(item.type),
                    item.points,
                    value,
                    tolerance,
                    spacing,
                )
            )
            if isinstance(item, SingleItem | MultipleItem):
                keys = {item.answer} if isinstance(item, SingleItem) else item.answer
                rows["item_options"].extend(
                    (case.sha256, item.id, choice.id, choice.id in keys)
                    for choice in all_choices(item)
                )
            rows["item_domains"].extend((case.sha256, item.id, d) for d in item.domains)
    return rows


def register_case(connection: duckdb.DuckDBPyConnection, case: Case) -> None:
    """Put ``case``'s rows in the archive's case tables, replacing any it had."""
    rows = case_rows(case)
    for table, columns in CASE_TABLES.items():
        connection.execute(f"CREATE TABLE IF NOT EXISTS {table} ({columns})")
        connection.execute(f"DELETE FROM {table} WHERE case_sha256 = ?", [case.sha256])
        if rows[table]:
            marks = ", ".join("?" * len(rows[table][0]))
            connection.executemany(f"INSERT INTO {table} VALUES ({marks})", rows[table])
