"""The case model: frozen dataclasses built by the loader from a validated case script."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

Point = tuple[float, float]
PixelRect = tuple[int, int, int, int]  # x0, y0, x1, y1 in image pixels, x1 and y1 exclusive

NOT_POSSIBLE = "not_possible"
NOT_POSSIBLE_TEXT = "A diagnosis is not possible with the information available"


class ItemType(StrEnum):
    SINGLE = "single"
    MULTIPLE = "multiple"
    HOTSPOT = "hotspot"
    ORDERING = "ordering"
    MEASUREMENT = "measurement"


class MediaKind(StrEnum):
    CLIP = "clip"
    MMODE = "mmode"
    IMAGE = "image"


@dataclass(frozen=True)
class Domain:
    id: str
    name: str
    weight: float | None = None


@dataclass(frozen=True)
class Choice:
    id: str
    text: str


@dataclass(frozen=True)
class Overlay:
    start: Point
    end: Point
    label: str = ""


@dataclass(frozen=True)
class Media:
    id: str
    kind: MediaKind
    path: Path
    loop: bool = True
    size: tuple[int, int] | None = None
    label: str = ""
    description: str = ""  # the text alternative a screen reader gives for the picture
    pixel_spacing_mm: float | None = None
    # Where pixel_spacing_mm holds (an ultrasound machine's calibrated regions); () = everywhere.
    calibrated_regions: tuple[PixelRect, ...] = ()
    overlays: tuple[Overlay, ...] = ()

    def calibrated_between(self, start: Sequence[float], end: Sequence[float]) -> bool:
        return calibrated_between(self.calibrated_regions, start, end)


def calibrated_between(
    regions: Sequence[Sequence[int]], start: Sequence[float], end: Sequence[float]
) -> bool:
    """Both calipers lie in one of the calibrated ``regions`` (edges included; none: the
    whole picture is calibrated). A distance across two regions, or outside them, has no
    calibration: machines put different scales, or different pictures, side by side."""
    if not regions:
        return True
    return any(
        all(x0 <= p[0] <= x1 and y0 <= p[1] <= y1 for p in (start, end))
        for x0, y0, x1, y1 in regions
    )


@dataclass(frozen=True)
class Region:
    """A hotspot region: a circle (center, radius) or a polygon, in image pixels."""

    id: str
    center: Point | None = None
    radius: float = 0.0
    polygon: tuple[Point, ...] = ()

    def contains(self, x: float, y: float) -> bool:
        if self.center is not None:
            cx, cy = self.center
            return (x - cx) ** 2 + (y - cy) ** 2 <= self.radius**2
        return _in_polygon(x, y, self.polygon)

    def bounds(self) -> tuple[float, float, float, float]:
        """(left, top, right, bottom)."""
        if self.center is not None:
            cx, cy = self.center
            r = self.radius
            return cx - r, cy - r, cx + r, cy + r
        xs = [p[0] for p in self.polygon]
        ys = [p[1] for p in self.polygon]
        return min(xs), min(ys), max(xs), max(ys)


def _in_polygon(x: float, y: float, polygon: tuple[Point, ...]) -> bool:
    """Even-odd rule; points on an edge count as inside."""
    inside = False
    n = len(polygon)
    for i in range(n):
        (x1, y1), (x2, y2) = polygon[i], polygon[(i + 1) % n]
        if _on_segment(x, y, x1, y1, x2, y2):
            return True
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def _on_segment(x: float, y: float, x1: float, y1: float, x2: float, y2: float) -> bool:
    cross = (x2 - x1) * (y - y1) - (y2 - y1) * (x - x1)
    if abs(cross) > 1e-9 * max(1.0, abs(x2 - x1) + abs(y2 - y1)):
        return False
    return (
        min(x1, x2) - 1e-9 <= x <= max(x1, x2) + 1e-9
        and min(y1, y2) - 1e-9 <= y <= max(y1, y2) + 1e-9
    )


@dataclass(frozen=True, kw_only=True)
class Item:
    """Fields every item has; one subclass per item type holds its key."""

    id: str
    stem: str
    points: float
    domains: tuple[str, ...]
    rationale: str = ""

    type: ItemType = field(init=False)


@dataclass(frozen=True, kw_only=True)
class SingleItem(Item):
    choices: tuple[Choice, ...]
    answer: str
    not_possible: bool = False
    type: ItemType = field(init=False, default=ItemType.SINGLE)


@dataclass(frozen=True, kw_only=True)
class MultipleItem(Item):
    choices: tuple[Choice, ...]
    answer: frozenset[str]
    select: int | None = None
    scoring: str = "partial"  # partial | all_or_nothing
    not_possible: bool = False
    type: ItemType = field(init=False, default=ItemType.MULTIPLE)


@dataclass(frozen=True, kw_only=True)
class HotspotItem(Item):
    target: str
    regions: tuple[Region, ...]
    answer: frozenset[str]
    type: ItemType = field(init=False, default=ItemType.HOTSPOT)


@dataclass(frozen=True, kw_only=True)
class OrderingItem(Item):
    options: tuple[Choice, ...]
    answer: tuple[str, ...]
    scoring: str = "partial"  # partial | exact
    type: ItemType = field(init=False, default=ItemType.ORDERING)


@dataclass(frozen=True, kw_only=True)
class MeasurementItem(Item):
    target: str
    value_mm: float
    tolerance_mm: float
    calipers: tuple[Point, Point] | None = None  # where the key measurement lies
    frame_at: float | None = None  # on a clip: the time (s) of the frame measured on
    type: ItemType = field(init=False, default=ItemType.MEASUREMENT)


AnyItem = SingleItem | MultipleItem | HotspotItem | OrderingItem | MeasurementItem


def all_choices(item: SingleItem | MultipleItem) -> tuple[Choice, ...]:
    """The choices shown to the candidate, the 'diagnosis not possible' one last."""
    if item.not_possible:
        return (*item.choices, Choice(NOT_POSSIBLE, NOT_POSSIBLE_TEXT))
    return item.choices


@dataclass(frozen=True)
class Branch:
    to: str
    item: str | None = None
    equals: str | tuple[str, ...] | None = None


@dataclass(frozen=True)
class KeyPoint:
    id: str
    at: float
    title: str
    items: tuple[AnyItem, ...]
    prompt: str = ""
    layout: str = "sequential"  # sequential | together
    media: tuple[Media, ...] = ()
    clinical_info: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()
    branches: tuple[Branch, ...] = ()

    def media_by_id(self, media_id: str) -> Media:
        return next(m for m in self.media if m.id == media_id)

    @property
    def together(self) -> bool:
        """All items on one screen, answered in any order, submitted at once."""
        return self.layout == "together"

    def shown_items(self, item_index: int) -> tuple[AnyItem, ...]:
        """The items on screen when the candidate is at ``item_index``."""
        return self.items if self.together else self.items[item_index : item_index + 1]


@dataclass(frozen=True)
class Segment:
    id: str
    media: Path
    captions: Path
    transcript: Path
    duration: float
    key_points: tuple[KeyPoint, ...] = ()
    poster: Path | None = None
    next: str | None = None
    caption_position: str = "auto"  # below the picture, over it, or below when there is room

    @property
    def is_video(self) -> bool:
        return self.media.suffix.lower() in VIDEO_SUFFIXES


VIDEO_SUFFIXES = frozenset({".mp4", ".webm", ".mkv", ".mov"})
AUDIO_SUFFIXES = frozenset({".wav", ".mp3", ".m4a", ".ogg", ".opus"})
IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg"})


@dataclass(frozen=True)
class Case:
    id: str
    title: str
    clinical_area: str
    version: str
    authors: tuple[str, ...]
    language: str
    cut_score: float
    show_results: bool
    domains: tuple[Domain, ...]
    segments: tuple[Segment, ...]
    folder: Path
    script: Path
    sha256: str
    time_limit_minutes: float | None = None
    summary: str = ""

    def segment(self, segment_id: str) -> Segment:
        return next(s for s in self.segments if s.id == segment_id)

    def key_points(self) -> Iterator[tuple[Segment, KeyPoint]]:
        for segment in self.segments:
            for kp in segment.key_points:
                yield segment, kp

    def key_point(self, key_point_id: str) -> tuple[Segment, KeyPoint]:
        return next((s, kp) for s, kp in self.key_points() if kp.id == key_point_id)

    def items(self) -> Iterator[AnyItem]:
        for _, kp in self.key_points():
            yield from kp.items

    def item(self, item_id: str) -> AnyItem:
        return next(i for i in self.items() if i.id == item_id)

    def domain(self, domain_id: str) -> Domain:
        return next(d for d in self.domains if d.id == domain_id)
