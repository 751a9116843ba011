"""The sample case library: one module per case, each with `case(root) -> Case`."""

from __future__ import annotations

from typing import Any

from ..casedef import Case, KeyPoint, Segment

# Both blueprint domain sets of docs/domain.md: the content outline and I-AIM.
CONTENT_OUTLINE = [
    {"id": "views", "name": "Standard views"},
    {"id": "anatomy", "name": "Anatomy"},
    {"id": "artifacts", "name": "Artifacts & measurements"},
    {"id": "findings", "name": "Findings"},
    {"id": "pathologies", "name": "Pathologies"},
    {"id": "limits", "name": "Limits of the exam"},
]
I_AIM = [
    {"id": "indication", "name": "I-AIM: Indication"},
    {"id": "acquisition", "name": "I-AIM: Acquisition"},
    {"id": "interpretation", "name": "I-AIM: Interpretation"},
    {"id": "mdm", "name": "I-AIM: Medical decision-making"},
]
CONTENT_IDS = frozenset(d["id"] for d in CONTENT_OUTLINE)
I_AIM_IDS = frozenset(d["id"] for d in I_AIM)


def domains_used(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The declared domains: both sets, in blueprint order, those the case's items name."""
    used = {d for item in items for d in item["domains"]}
    for item in items:
        if not (set(item["domains"]) & CONTENT_IDS and set(item["domains"]) & I_AIM_IDS):
            raise ValueError(f"item {item['id']} must name a content area and an I-AIM step")
    return [d for d in CONTENT_OUTLINE + I_AIM if d["id"] in used]


META_DEFAULTS: dict[str, Any] = {
    "format": 1,
    "version": "1.0.0",
    "authors": ["casebook_player sample library (synthetic media)"],
    "language": "en",
}


META_ORDER = (
    "format",
    "id",
    "title",
    "clinical_area",
    "version",
    "authors",
    "language",
    "time_limit_minutes",
    "cut_score",
    "show_results",
    "summary",
)


def ordered_meta(meta: dict[str, Any]) -> dict[str, Any]:
    """The case's header fields in the order docs/case-format.md shows them."""
    return {k: meta[k] for k in META_ORDER if k in meta}


def assemble(case_id: str, source: str, segments: list[Segment], **header: Any) -> Case:
    """A case from its segments and header fields (defaults filled in, domains derived)."""
    items = [i for s in segments for p in s.script if isinstance(p, KeyPoint) for i in p.items]
    meta = ordered_meta({**META_DEFAULTS, "id": case_id, **header})
    return Case(case_id, meta, domains_used(items), segments, source)
