"""Load a case script: read safely, validate (schema, then semantics), build the model."""

from __future__ import annotations

import hashlib
from pathlib import Path, PurePosixPath
from typing import Any

from casebook_player.core.case.checks import Checker
from casebook_player.core.case.model import (
    AnyItem,
    Branch,
    Case,
    Choice,
    Domain,
    HotspotItem,
    ItemType,
    KeyPoint,
    MeasurementItem,
    Media,
    MediaKind,
    MultipleItem,
    OrderingItem,
    Overlay,
    Point,
    Region,
    Segment,
    SingleItem,
)
from casebook_player.core.case.problems import CaseError, parse_yaml, read_limited
from casebook_player.core.case.schema import schema_problems

CASE_FILE = "case.yaml"
_ROOT = "(case)"


def case_file(path: Path) -> Path:
    """A case folder names its ``case.yaml``; a file names itself."""
    return path / CASE_FILE if path.is_dir() else path


def load_case(path: Path) -> Case:
    """The validated case at ``path`` (a case folder or its YAML file); raises CaseError."""
    file = case_file(path)
    return parse_case(read_limited(file, _ROOT, CaseError), file)


def parse_case(raw: bytes, file: Path) -> Case:
    """The validated case from the bytes of its script; ``file`` names it and locates its media.

    A case package keeps the script (answer keys, rationales) in memory: only its media are
    written to disk.
    """
    doc = parse_yaml(raw, file, _ROOT, CaseError)
    problems = schema_problems(doc, file)
    if problems:
        raise CaseError(problems)
    checker = Checker(doc, file)
    problems = checker.run()
    if problems:
        raise CaseError(problems)
    return _build_case(doc.data, file, hashlib.sha256(raw).hexdigest(), checker.durations)


def _build_case(data: dict[str, Any], file: Path, sha256: str, durations: dict[str, float]) -> Case:
    folder = file.parent.resolve()

    def local(name: str) -> Path:
        return folder / PurePosixPath(name)

    segments = tuple(
        Segment(
            id=s["id"],
            media=local(s["media"]),
            captions=local(s["captions"]),
            transcript=local(s["transcript"]),
            duration=durations[s["id"]],
            key_points=tuple(_key_point(kp, local) for kp in s.get("key_points", [])),
            poster=local(s["poster"]) if "poster" in s else None,
            caption_position=s.get("caption_position", "auto"),
            next=s.get("next"),
        )
        for s in data["segments"]
    )
    return Case(
        id=data["id"],
        title=data["title"],
        clinical_area=data["clinical_area"],
        version=data["version"],
        authors=tuple(data["authors"]),
        language=data["language"],
        cut_score=float(data["cut_score"]),
        show_results=data["show_results"],
        domains=tuple(Domain(d["id"], d["name"], d.get("weight")) for d in data["domains"]),
        segments=segments,
        folder=folder,
        script=file.resolve(),
        sha256=sha256,
        time_limit_minutes=data.get("time_limit_minutes"),
        summary=data.get("summary", ""),
    )


def _key_point(kp: dict[str, Any], local: Any) -> KeyPoint:
    return KeyPoint(
        id=kp["id"],
        at=float(kp["at"]),
        title=kp["title"],
        prompt=kp.get("prompt", ""),
        layout=kp.get("layout", "sequential"),
        media=tuple(_media(m, local) for m in kp.get("media", [])),
        clinical_info=tuple(
            (group, tuple((name, str(value)) for name, value in values.items()))
            for group, values in kp.get("clinical_info", {}).items()
        ),
        items=tuple(_item(i) for i in kp["items"]),
        branches=tuple(
            Branch(
                to=b["to"],
                item=b.get("item"),
                equals=_equals(b.get("equals")),
            )
            for b in kp.get("branches", [])
        ),
    )


def _equals(value: str | list[str] | None) -> str | tuple[str, ...] | None:
    return tuple(value) if isinstance(value, list) else value


def _media(m: dict[str, Any], local: Any) -> Media:
    return Media(
        id=m["id"],
        kind=MediaKind(m["kind"]),
        path=local(m["file"]),
        loop=m.get("loop", True),
        size=tuple(m["size"]) if "size" in m else None,
        label=m.get("label", ""),
        description=m.get("description", ""),
        pixel_spacing_mm=m.get("pixel_spacing_mm"),
        calibrated_regions=tuple((r[0], r[1], r[2], r[3]) for r in m.get("calibrated_regions", [])),
        overlays=tuple(
            Overlay(tuple(o["from"]), tuple(o["to"]), o.get("label", ""))
            for o in m.get("overlays", [])
        ),
    )


def _choices(entries: list[dict[str, str]]) -> tuple[Choice, ...]:
    return tuple(Choice(c["id"], c["text"]) for c in entries)


def _item(i: dict[str, Any]) -> AnyItem:
    common: dict[str, Any] = {
        "id": i["id"],
        "stem": i["stem"],
        "points": float(i["points"]),
        "domains": tuple(i["domains"]),
        "rationale": i.get("rationale", ""),
    }
    kind = ItemType(i["type"])
    if kind is ItemType.SINGLE:
        return SingleItem(
            **common,
            choices=_choices(i["choices"]),
            answer=i["answer"],
            not_possible=i.get("not_possible", False),
        )
    if kind is ItemType.MULTIPLE:
        return MultipleItem(
            **common,
            choices=_choices(i["choices"]),
            answer=frozenset(i["answer"]),
            select=i.get("select"),
            scoring=i.get("scoring", "partial"),
            not_possible=i.get("not_possible", False),
        )
    if kind is ItemType.HOTSPOT:
        return HotspotItem(
            **common,
            target=i["target"],
            answer=frozenset(i["answer"]),
            regions=tuple(_region(r) for r in i["regions"]),
        )
    if kind is ItemType.ORDERING:
        return OrderingItem(
            **common,
            options=_choices(i["options"]),
            answer=tuple(i["answer"]),
            scoring=i.get("scoring", "partial"),
        )
    return MeasurementItem(
        **common,
        target=i["target"],
        value_mm=float(i["answer"]["value_mm"]),
        tolerance_mm=float(i["answer"]["tolerance_mm"]),
        calipers=_calipers(i["answer"].get("calipers")),
        frame_at=i.get("frame_at"),
    )


def _calipers(calipers: dict[str, list[float]] | None) -> tuple[Point, Point] | None:
    if calipers is None:
        return None
    (x1, y1), (x2, y2) = calipers["from"], calipers["to"]
    return (x1, y1), (x2, y2)


def _region(r: dict[str, Any]) -> Region:
    if "circle" in r:
        center = r["circle"]["center"]
        return Region(r["id"], center=(center[0], center[1]), radius=r["circle"]["radius"])
    return Region(r["id"], polygon=tuple((p[0], p[1]) for p in r["polygon"]))
