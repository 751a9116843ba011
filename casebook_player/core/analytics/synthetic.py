"""Synthetic result archives: candidates of varying ability answering a real case.

Each candidate has an ability theta ~ N(0, 1); each item a two-parameter logistic model
(discrimination a, difficulty b): the candidate knows the item with probability
1 / (1 + exp(-a (theta - b))). One who knows gives the answer the model believes right (the
case's key, unless the model is told an item is mis-keyed); one who does not picks a
distractor by its attractiveness, clicks somewhere on the image, measures with a wide error
or orders at random. The attempt is then taken by the real session headless (the same code as
``casebook simulate``), so scores, domains and the document are exactly a player's, and the
result is signed like a real one. Some candidates who fail retake the case (attempt 2 in the
result's ledger entry), a little abler.

The journal and ledger entries of a synthetic result say so: kind ``simulated``, ledger id
``synthetic``; nothing else tells them from real results, which is the point.
"""

from __future__ import annotations

import hashlib
import math
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from casebook_player.core.case.model import (
    AnyItem,
    Case,
    HotspotItem,
    MeasurementItem,
    MultipleItem,
    OrderingItem,
    SingleItem,
    all_choices,
)
from casebook_player.core.session.responses import Response, point_inside
from casebook_player.core.session.results import (
    Attempt,
    Candidate,
    result_file_name,
    write_result,
)
from casebook_player.core.session.scoring import measurement_spacing
from casebook_player.core.session.simulate import SIMULATED_EPOCH, FakeClock, simulate

RETAKE_SHARE = 0.3  # of those who fail
RETAKE_GAIN = 0.3  # ability gained before a retake


@dataclass(frozen=True)
class ItemModel:
    """An item's 2PL parameters, and what a candidate who knows it answers when that is not
    the case's key (``believed``: a mis-keyed item, for tests of the flags)."""

    discrimination: float = 1.0
    difficulty: float = 0.0
    believed: Response | None = None


@dataclass(frozen=True)
class Cohort:
    """Who takes the case: how many, drawn from which seed, each item's model (items not
    named get a random a ~ U(0.8, 2.0), b ~ N(0, 0.8) from the seed)."""

    candidates: int
    seed: int = 1
    models: dict[str, ItemModel] | None = None
    retake_share: float = RETAKE_SHARE


def documents(case: Case, cohort: Cohort) -> Iterator[dict[str, Any]]:
    """The result documents of the cohort's attempts, first attempts and retakes."""
    rng = random.Random(cohort.seed)
    models = _models(case, rng, cohort.models or {})
    lures = {item.id: _lures(item, rng) for item in case.items()}
    for number in range(1, cohort.candidates + 1):
        theta = rng.gauss(0.0, 1.0)
        candidate = f"cand-{cohort.seed}-{number:07d}"
        document = _attempt(case, candidate, 1, theta, models, lures, rng, number)
        yield document
        if not document["passed"] and rng.random() < cohort.retake_share:
            yield _attempt(case, candidate, 2, theta + RETAKE_GAIN, models, lures, rng, number)


def write_signed(
    case: Case,
    cohort: Cohort,
    key: Ed25519PrivateKey,
    folder: Path,
    progress: Callable[[int], None] | None = None,
) -> list[Path]:
    """Sign the cohort's results into ``folder`` (one file each, named as the player names them)."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for document in documents(case, cohort):
        name = result_file_name(document, signed=True)
        attempt = document["ledger"]["attempt"]
        path = folder / (
            name if attempt == 1 else name.replace(".signed", f".attempt{attempt}.signed")
        )
        write_result(path, document, key)
        written.append(path)
        if progress is not None:
            progress(len(written))
    return written


def _models(case: Case, rng: random.Random, given: dict[str, ItemModel]) -> dict[str, ItemModel]:
    models = {}
    for item in case.items():
        drawn = ItemModel(rng.uniform(0.8, 2.0), rng.gauss(0.0, 0.8))
        models[item.id] = given.get(item.id, drawn)
    return models


def _lures(item: AnyItem, rng: random.Random) -> list[float]:
    """How strongly each choice draws a candidate who does not know (one weight per choice)."""
    if isinstance(item, SingleItem | MultipleItem):
        return [rng.uniform(0.2, 1.0) for _ in all_choices(item)]
    return []


def _attempt(
    case: Case,
    candidate: str,
    attempt: int,
    theta: float,
    models: dict[str, ItemModel],
    lures: dict[str, list[float]],
    rng: random.Random,
    number: int,
) -> dict[str, Any]:
    answers = {}
    for item in case.items():
        model = models[item.id]
        knows = rng.random() < 1.0 / (
            1.0 + math.exp(-model.discrimination * (theta - model.difficulty))
        )
        answers[item.id] = _response(case, item, model, knows, lures[item.id], rng)
    start = SIMULATED_EPOCH + number * 60.0 + (attempt - 1) * 86_400.0 * 31
    provenance = {
        "journal": {
            "id": f"synthetic-{candidate}-{attempt}",
            "kind": "simulated",
            "key_id": "",
            "tamper_proof": False,
            "altered": [],
        },
        "ledger": {
            "ledger_id": "synthetic",
            "position": 2 * number + attempt,
            "chain": hashlib.sha256(f"{candidate}/{attempt}".encode()).hexdigest(),
            "attempt": attempt,
        },
    }
    session = simulate(
        case, answers, FakeClock(start), Attempt(Candidate(candidate), provenance=provenance)
    )
    return session.result()


def _response(
    case: Case, item: AnyItem, model: ItemModel, knows: bool, lures: list[float], rng: random.Random
) -> Response:
    if isinstance(item, SingleItem):
        believed = model.believed if model.believed is not None else item.answer
        if knows:
            return believed
        others = [
            (c.id, w) for c, w in zip(all_choices(item), lures, strict=True) if c.id != believed
        ]
        return rng.choices([c for c, _ in others], [w for _, w in others])[0]
    if isinstance(item, MultipleItem):
        if knows:
            return model.believed if model.believed is not None else sorted(item.answer)
        ids = [c.id for c in all_choices(item)]
        size = item.select or len(item.answer)
        return sorted(_weighted_sample(ids, lures, size, rng))
    if isinstance(item, OrderingItem):
        order = [o.id for o in item.options]
        if not knows:
            rng.shuffle(order)
            return order
        return list(item.answer)
    if isinstance(item, HotspotItem):
        return _click(case, item, knows, rng)
    assert isinstance(item, MeasurementItem)
    return _calipers(case, item, knows, rng)


def _weighted_sample(
    ids: list[str], weights: list[float], size: int, rng: random.Random
) -> list[str]:
    pool, chosen = list(zip(ids, weights, strict=True)), []
    for _ in range(min(size, len(pool))):
        pick = rng.choices(range(len(pool)), [w for _, w in pool])[0]
        chosen.append(pool.pop(pick)[0])
    return chosen


def _image_size(case: Case, item: HotspotItem | MeasurementItem) -> tuple[float, float]:
    for _, kp in case.key_points():
        if item in kp.items:
            size = kp.media_by_id(item.target).size
            if size:
                return float(size[0]), float(size[1])
    if isinstance(item, HotspotItem):  # no size in the script: around the regions
        bounds = [r.bounds() for r in item.regions]
        return max(b[2] for b in bounds) * 1.5, max(b[3] for b in bounds) * 1.5
    return 640.0, 480.0


def _click(case: Case, item: HotspotItem, knows: bool, rng: random.Random) -> Response:
    width, height = _image_size(case, item)
    if knows:
        region = next(r for r in item.regions if r.id in item.answer)
        x, y = point_inside(region)
        left, top, right, bottom = region.bounds()
        for _ in range(20):  # spread the clicks over the region, as people do
            jx = x + rng.gauss(0.0, (right - left) / 5)
            jy = y + rng.gauss(0.0, (bottom - top) / 5)
            if region.contains(jx, jy):
                return {"x": round(jx, 1), "y": round(jy, 1)}
        return {"x": x, "y": y}
    return {"x": round(rng.uniform(0, width - 1), 1), "y": round(rng.uniform(0, height - 1), 1)}


def _calipers(case: Case, item: MeasurementItem, knows: bool, rng: random.Random) -> Response:
    spacing = measurement_spacing(case, item) or 1.0
    spread = item.tolerance_mm / 2 if knows else item.tolerance_mm * 3
    length_mm = max(0.5, item.value_mm + rng.gauss(0.0, spread))
    width, height = _image_size(case, item)
    x0, y0 = round(width * 0.1, 1), round(height / 2, 1)
    return {"from": [x0, y0], "to": [round(x0 + length_mm / spacing, 2), y0]}
