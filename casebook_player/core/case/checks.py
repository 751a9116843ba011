"""Semantic checks on a schema-valid case script: what JSON Schema cannot say.

Ids are unique, references resolve, keys name existing choices and regions, regions lie
inside their image, key points are ordered and inside their segment, every segment is
reachable and the path always ends, and every media path stays inside the case folder.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from pathlib import Path, PurePosixPath
from typing import Any

from casebook_player.core.case.captions import CaptionError, read_captions
from casebook_player.core.case.mediainfo import box_problem, image_size, media_duration
from casebook_player.core.case.model import (
    AUDIO_SUFFIXES,
    IMAGE_SUFFIXES,
    NOT_POSSIBLE,
    VIDEO_SUFFIXES,
    calibrated_between,
)
from casebook_player.core.case.probe import (
    MediaProbe,
    ProbeError,
    presentation_problems,
    probe_media,
)
from casebook_player.core.case.problems import Problem, format_path
from casebook_player.core.case.yamlsource import JsonPath, YamlDocument

# A declared duration may differ from the file's by this much (encoder padding).
DURATION_SLACK_S = 0.5

# Accepted by name so that the probe can say how to convert them, not only that they are wrong.
_CONVERTIBLE_SUFFIXES = frozenset({".avi", ".m4v", ".mpg", ".mpeg", ".ts", ".wmv"})
_ROLE_SUFFIXES = {
    "narration": VIDEO_SUFFIXES | AUDIO_SUFFIXES | _CONVERTIBLE_SUFFIXES,
    "captions": frozenset({".vtt", ".srt"}),
    "transcript": frozenset({".txt", ".md"}),
    "image": IMAGE_SUFFIXES,
    "clip": VIDEO_SUFFIXES | _CONVERTIBLE_SUFFIXES,
    "mmode": VIDEO_SUFFIXES | IMAGE_SUFFIXES | _CONVERTIBLE_SUFFIXES,
}


class Checker:
    """Collects problems; ``durations`` and ``sizes`` hold what it read from media files."""

    def __init__(self, doc: YamlDocument, file: Path) -> None:
        self.doc = doc
        self.file = file
        self.folder = file.parent
        self.problems: list[Problem] = []
        self.durations: dict[str, float] = {}
        self.clip_durations: dict[JsonPath, float] = {}
        self.sizes: dict[JsonPath, tuple[int, int]] = {}

    def report(
        self, path: JsonPath, message: str, at_key: bool = False, media: str | None = None
    ) -> None:
        line, col = self.doc.key_position(path) if at_key else self.doc.position(path)
        self.problems.append(Problem(self.file, line, col, format_path(path), message, media))

    def run(self) -> list[Problem]:
        case = self.doc.data
        domain_ids = self.unique(case["domains"], ("domains",), "domain")
        segment_ids = self.unique(case["segments"], ("segments",), "segment")
        self.check_global_ids(case)
        for s, segment in enumerate(case["segments"]):
            self.check_segment(segment, ("segments", s), domain_ids, segment_ids)
        self.check_paths(case, segment_ids)
        return sorted(self.problems)

    def unique(self, entries: list[dict[str, Any]], path: JsonPath, what: str) -> set[str]:
        seen: set[str] = set()
        for i, entry in enumerate(entries):
            if entry["id"] in seen:
                self.report((*path, i, "id"), f"duplicate {what} id '{entry['id']}'")
            seen.add(entry["id"])
        return seen

    def check_global_ids(self, case: dict[str, Any]) -> None:
        """Key point and item ids are unique across the whole case (responses use them)."""
        key_points: set[str] = set()
        items: set[str] = set()
        for s, segment in enumerate(case["segments"]):
            for k, kp in enumerate(segment.get("key_points", [])):
                path: JsonPath = ("segments", s, "key_points", k)
                if kp["id"] in key_points:
                    self.report((*path, "id"), f"duplicate key point id '{kp['id']}'")
                key_points.add(kp["id"])
                for i, item in enumerate(kp["items"]):
                    if item["id"] in items:
                        self.report((*path, "items", i, "id"), f"duplicate item id '{item['id']}'")
                    items.add(item["id"])

    # -- segments and key points ------------------------------------------------------

    def check_segment(
        self, segment: dict[str, Any], path: JsonPath, domains: set[str], segments: set[str]
    ) -> None:
        media = self.media_file(segment["media"], (*path, "media"), "narration")
        captions = self.media_file(segment["captions"], (*path, "captions"), "captions")
        self.media_file(segment["transcript"], (*path, "transcript"), "transcript")
        if "poster" in segment:
            self.media_file(segment["poster"], (*path, "poster"), "image")
        if "next" in segment and segment["next"] not in segments:
            self.report((*path, "next"), f"no segment has the id '{segment['next']}'")
        probe = (
            self.check_presentable(media, segment["media"], (*path, "media"), video=False)
            if media is not None
            else None
        )
        duration = self.segment_duration(segment, path, media, probe)
        if captions is not None:
            self.check_captions(captions, (*path, "captions"), duration)
        previous = -1.0
        for k, kp in enumerate(segment.get("key_points", [])):
            kp_path = (*path, "key_points", k)
            if kp["at"] <= previous:
                self.report(
                    (*kp_path, "at"),
                    "key points must be in time order, each later "
                    f"than the one before ({kp['at']} ≤ {previous})",
                )
            if duration is not None and kp["at"] >= duration:
                self.report(
                    (*kp_path, "at"),
                    f"{kp['at']} s is not inside the segment (it lasts {duration:.2f} s)",
                )
            previous = kp["at"]
            self.check_key_point(kp, kp_path, domains, segments)

    def segment_duration(
        self, segment: dict[str, Any], path: JsonPath, media: Path | None, probe: MediaProbe | None
    ) -> float | None:
        """The segment's duration: declared, else read from the file (its header, or FFmpeg)."""
        declared = segment.get("duration")
        measured = media_duration(media) if media is not None else None
        if measured is None and probe is not None:
            measured = probe.duration
        if declared is None and measured is None and probe is not None:
            self.report(
                (*path, "media"),
                f"cannot read the duration of '{segment['media']}': "
                "declare it with 'duration: <seconds>'",
            )
        if (
            declared is not None
            and measured is not None
            and abs(declared - measured) > DURATION_SLACK_S
        ):
            self.report(
                (*path, "duration"),
                f"declared {declared} s but '{segment['media']}' lasts {measured:.2f} s",
            )
        duration = declared if declared is not None else measured
        if duration is not None:
            self.durations[segment["id"]] = duration
        return duration

    def check_captions(self, file: Path, path: JsonPath, duration: float | None) -> None:
        try:
            captions = read_captions(file)
        except CaptionError as exc:
            self.report(path, f"{file.name}:{exc.line}: {exc.message}")
            return
        # Problems have no severity: the reader's warnings are all cues that will not show,
        # an authoring error, so each is a problem; what the spec ignores is not reported.
        for warning in captions.warnings:
            self.report(path, f"{file.name}:{warning.line}: {warning.message}")
        cues = captions.cues
        if not cues:
            self.report(path, f"{file.name} has no cues: every narration needs captions")
        elif duration is not None and cues[-1].start >= duration:
            self.report(path, f"{file.name}: the last cue starts after the narration ends")

    def check_key_point(
        self, kp: dict[str, Any], path: JsonPath, domains: set[str], segments: set[str]
    ) -> None:
        media_list = kp.get("media", [])
        self.unique(media_list, (*path, "media"), "media")
        media = {m["id"]: (m, (*path, "media", i)) for i, m in enumerate(media_list)}
        for m, m_path in media.values():
            self.check_media(m, m_path)
        items = {item["id"]: item for item in kp["items"]}
        for i, item in enumerate(kp["items"]):
            self.check_item(item, (*path, "items", i), domains, media)
        for b, branch in enumerate(kp.get("branches", [])):
            b_path = (*path, "branches", b)
            if branch["to"] not in segments:
                self.report((*b_path, "to"), f"no segment has the id '{branch['to']}'")
            if "item" in branch:
                self.check_branch_condition(branch, b_path, items)

    def check_media(self, media: dict[str, Any], path: JsonPath) -> None:
        file = self.media_file(media["file"], (*path, "file"), media["kind"])
        if "loop" in media and media["kind"] != "clip":
            self.report((*path, "loop"), "only clips loop")
        if file is not None and file.suffix.lower() not in IMAGE_SUFFIXES:
            probe = self.check_presentable(file, media["file"], (*path, "file"), video=True)
            if probe is not None and probe.duration is not None:
                self.clip_durations[path] = probe.duration
        if file is not None:
            size = image_size(file) if file.suffix.lower() in IMAGE_SUFFIXES else None
            if file.suffix.lower() in IMAGE_SUFFIXES and size is None:
                self.report((*path, "file"), f"'{media['file']}' is not a readable PNG or JPEG")
            if size is not None and "size" in media and tuple(media["size"]) != size:
                self.report(
                    (*path, "size"), f"declared {media['size']} but the image is {list(size)}"
                )
            size = size or (tuple(media["size"]) if "size" in media else None)
            if size is not None:
                self.sizes[path] = size
        for o, overlay in enumerate(media.get("overlays", [])):
            for end in ("from", "to"):
                self.check_inside(overlay[end], (*path, "overlays", o, end), self.sizes.get(path))
        self.check_calibrated_regions(media, path)

    def check_calibrated_regions(self, media: dict[str, Any], path: JsonPath) -> None:
        regions = media.get("calibrated_regions", [])
        if regions and "pixel_spacing_mm" not in media:
            self.report(
                (*path, "calibrated_regions"),
                "calibrated regions say where 'pixel_spacing_mm' holds: give it too",
            )
        size = self.sizes.get(path)
        for r, (x0, y0, x1, y1) in enumerate(regions):
            r_path = (*path, "calibrated_regions", r)
            if not (x0 < x1 and y0 < y1):
                self.report(r_path, f"[{x0}, {y0}, {x1}, {y1}] is empty (x0 < x1, y0 < y1)")
            elif size is not None and (x1 > size[0] or y1 > size[1]):
                self.report(
                    r_path, f"[{x0}, {y0}, {x1}, {y1}] is not inside the {size[0]}×{size[1]} image"
                )

    def check_presentable(
        self, file: Path, name: str, path: JsonPath, video: bool
    ) -> MediaProbe | None:
        """The player can present the file exactly (codec, frame timing, start at 0)."""
        damaged = box_problem(file)
        if damaged is not None:
            self.report(path, f"'{name}' is damaged or truncated: {damaged}")
            return None
        try:
            probe = probe_media(file)
        except ProbeError as exc:
            self.report(path, f"'{name}': {exc}")
            return None
        # Converting fixes all but a clip that holds no video at all.
        convertible = probe.video_codec is not None or not video
        for message in presentation_problems(probe, name, video):
            self.report(path, message, media=name if convertible else None)
        return probe

    def check_inside(
        self, point: list[float], path: JsonPath, size: tuple[int, int] | None
    ) -> None:
        if size is not None and (point[0] > size[0] or point[1] > size[1]):
            self.report(path, f"{point} lies outside the {size[0]}×{size[1]} image")

    # -- items ----------------------------------------------------------------------------

    def check_item(
        self,
        item: dict[str, Any],
        path: JsonPath,
        domains: set[str],
        media: dict[str, tuple[dict[str, Any], JsonPath]],
    ) -> None:
        for d, domain in enumerate(item["domains"]):
            if domain not in domains:
                self.report(
                    (*path, "domains", d),
                    f"'{domain}' is not one of the case's domains ({', '.join(sorted(domains))})",
                )
        kind = item["type"]
        if kind in ("single", "multiple"):
            self.check_choice_item(item, path)
        elif kind == "ordering":
            self.check_ordering(item, path)
        elif kind == "hotspot":
            self.check_hotspot(item, path, media)
        elif kind == "measurement":
            self.check_measurement(item, path, media)

    def check_choice_item(self, item: dict[str, Any], path: JsonPath) -> None:
        ids = self.unique(item["choices"], (*path, "choices"), "choice")
        if NOT_POSSIBLE in ids:
            self.report(
                (*path, "choices"),
                f"'{NOT_POSSIBLE}' is reserved: set "
                "'not_possible: true' instead of writing that choice",
            )
        if item.get("not_possible"):
            ids = ids | {NOT_POSSIBLE}
        answers = [item["answer"]] if item["type"] == "single" else item["answer"]
        self.check_known(answers, ids, (*path, "answer"), "choices")
        if item["type"] == "multiple":
            if len(set(answers)) != len(answers):
                self.report((*path, "answer"), "the key names a choice twice")
            if NOT_POSSIBLE in answers and len(answers) > 1:
                self.report(
                    (*path, "answer"), f"'{NOT_POSSIBLE}' cannot be keyed with other choices"
                )
            select = item.get("select")
            if select is not None and select != len(set(answers)):
                self.report(
                    (*path, "select"),
                    f"asks to select {select} but the key has {len(set(answers))}",
                )
            if select is not None and select > len(ids):
                self.report((*path, "select"), f"asks to select {select} of {len(ids)} choices")

    def check_ordering(self, item: dict[str, Any], path: JsonPath) -> None:
        ids = self.unique(item["options"], (*path, "options"), "option")
        self.check_known(item["answer"], ids, (*path, "answer"), "options")
        if sorted(item["answer"]) != sorted(ids):
            self.report((*path, "answer"), "the key must list every option exactly once")

    def check_hotspot(
        self,
        item: dict[str, Any],
        path: JsonPath,
        media: dict[str, tuple[dict[str, Any], JsonPath]],
    ) -> None:
        ids = self.unique(item["regions"], (*path, "regions"), "region")
        self.check_known(item["answer"], ids, (*path, "answer"), "regions")
        target = self.target(item, path, media)
        if target is None:
            return
        size = self.sizes.get(target[1])
        if size is None:
            if target[0]["kind"] != "image":
                self.report(
                    (*path, "target"),
                    f"media '{item['target']}' needs 'size: [width, height]' for hotspot regions",
                )
            return
        for r, region in enumerate(item["regions"]):
            r_path = (*path, "regions", r)
            points = region.get("polygon") or []
            if "circle" in region:
                (cx, cy), radius = region["circle"]["center"], region["circle"]["radius"]
                points = [[cx - radius, cy - radius], [cx + radius, cy + radius]]
            if any(x < 0 or y < 0 or x > size[0] or y > size[1] for x, y in points):
                self.report(
                    r_path, f"region '{region['id']}' is not inside the {size[0]}×{size[1]} image"
                )

    def check_measurement(
        self,
        item: dict[str, Any],
        path: JsonPath,
        media: dict[str, tuple[dict[str, Any], JsonPath]],
    ) -> None:
        target = self.target(item, path, media)
        if target is None:
            return
        m, m_path = target
        if m["kind"] not in ("image", "clip") or "pixel_spacing_mm" not in m:
            self.report(
                (*path, "target"),
                f"media '{item['target']}' must be a still image or a clip "
                "with 'pixel_spacing_mm' (its calibration)",
            )
            return
        self.check_frame_at(item, path, m, m_path)
        answer = item.get("answer", {})
        calipers = answer.get("calipers")
        if calipers is None:
            if "calibrated_regions" in m:
                self.report(
                    (*path, "answer"),
                    f"media '{item['target']}' is calibrated only inside its calibrated_regions: "
                    "give the key's 'calipers: {from: [x, y], to: [x, y]}' so they can be checked",
                )
            return
        self.check_key_calipers(item, calipers, (*path, "answer", "calipers"), m, m_path)

    def check_frame_at(
        self, item: dict[str, Any], path: JsonPath, m: dict[str, Any], m_path: JsonPath
    ) -> None:
        """A measurement's frame, named by its time, is a frame of its clip."""
        if "frame_at" not in item:
            return
        if m["kind"] != "clip":
            self.report(
                (*path, "frame_at"),
                f"media '{item['target']}' is a still: only a measurement on a clip names a frame",
            )
            return
        duration = self.clip_durations.get(m_path)
        if duration is not None and item["frame_at"] >= duration:
            self.report(
                (*path, "frame_at"),
                f"{item['frame_at']} s is not a frame of '{m['file']}' (it lasts {duration:.2f} s)",
            )

    def check_key_calipers(
        self,
        item: dict[str, Any],
        calipers: dict[str, list[float]],
        path: JsonPath,
        m: dict[str, Any],
        m_path: JsonPath,
    ) -> None:
        """The key's calipers lie in one calibrated region and measure the key."""
        start, end = calipers["from"], calipers["to"]
        for name in ("from", "to"):
            self.check_inside(calipers[name], (*path, name), self.sizes.get(m_path))
        regions = m.get("calibrated_regions", [])
        if not calibrated_between(regions, start, end):
            self.report(
                path,
                f"{start} to {end} is not inside one calibrated region of media "
                f"'{item['target']}' ({', '.join(str(r) for r in regions)}): outside them, or "
                "across two, 'pixel_spacing_mm' does not hold",
            )
            return
        answer = item["answer"]
        length = math.dist(start, end) * m["pixel_spacing_mm"]
        if abs(length - answer["value_mm"]) > answer["tolerance_mm"] + 1e-9:
            self.report(
                path,
                f"the key's calipers measure {length:.2f} mm, not "
                f"{answer['value_mm']} ± {answer['tolerance_mm']} mm",
            )

    def target(
        self,
        item: dict[str, Any],
        path: JsonPath,
        media: dict[str, tuple[dict[str, Any], JsonPath]],
    ) -> tuple[dict[str, Any], JsonPath] | None:
        found = media.get(item["target"])
        if found is None:
            self.report(
                (*path, "target"),
                f"this key point has no media '{item['target']}'"
                + (f" (it has {', '.join(sorted(media))})" if media else ""),
            )
        return found

    def check_known(
        self, values: Iterable[str], known: set[str], path: JsonPath, what: str
    ) -> None:
        for value in values:
            if value not in known:
                self.report(
                    path, f"'{value}' is not one of the {what} ({', '.join(sorted(known))})"
                )

    def check_branch_condition(
        self, branch: dict[str, Any], path: JsonPath, items: dict[str, dict[str, Any]]
    ) -> None:
        item = items.get(branch["item"])
        if item is None:
            self.report((*path, "item"), f"no item '{branch['item']}' in this key point")
            return
        if item["type"] in ("hotspot", "measurement"):
            self.report((*path, "item"), "branches can test choice and ordering items only")
            return
        equals = branch["equals"]
        values = [equals] if isinstance(equals, str) else equals
        if item["type"] == "single" and not isinstance(equals, str):
            self.report((*path, "equals"), "a single-answer item is compared with one choice id")
        pool = item.get("choices", item.get("options", []))
        known = {c["id"] for c in pool} | ({NOT_POSSIBLE} if item.get("not_possible") else set())
        self.check_known(values, known, (*path, "equals"), "choices")

    # -- the path through the case --------------------------------------------------------

    def check_paths(self, case: dict[str, Any], segment_ids: set[str]) -> None:
        """Every segment is reachable from the first, and no route loops forever."""
        edges: dict[str, set[str]] = {s["id"]: set() for s in case["segments"]}
        for segment in case["segments"]:
            targets = {
                b["to"] for kp in segment.get("key_points", []) for b in kp.get("branches", [])
            }
            if "next" in segment:
                targets.add(segment["next"])
            edges[segment["id"]] = targets & segment_ids
        first = case["segments"][0]["id"]
        reached = {first}
        stack = [first]
        while stack:
            for target in edges[stack.pop()]:
                if target not in reached:
                    reached.add(target)
                    stack.append(target)
        for s, segment in enumerate(case["segments"]):
            if segment["id"] not in reached:
                self.report(
                    ("segments", s, "id"),
                    f"segment '{segment['id']}' can never be "
                    "reached from the first segment (no 'next' or branch leads to it)",
                )
        cycle = _find_cycle(edges, first)
        if cycle:
            s = next(i for i, seg in enumerate(case["segments"]) if seg["id"] == cycle[0])
            self.report(("segments", s, "id"), "the case can loop forever: " + " → ".join(cycle))

    # -- files ----------------------------------------------------------------------------

    def media_file(self, name: str, path: JsonPath, role: str) -> Path | None:
        """The file ``name`` names, if it is safe, present and of the right kind."""
        # SECURITY: the path comes from the case script; it must not leave the case folder.
        pure = PurePosixPath(name)
        if any(ord(c) < 32 or ord(c) == 127 for c in name):
            # A NUL would make the OS calls below raise; no portable file name holds these.
            self.report(path, f"{name!r} holds a control character: not a usable file name")
            return None
        if "\\" in name or pure.is_absolute() or (len(name) > 1 and name[1] == ":"):
            self.report(
                path,
                f"'{name}' must be a relative path inside the case folder "
                "(use '/' between folders)",
            )
            return None
        if ".." in pure.parts:
            self.report(path, f"'{name}' must stay inside the case folder ('..' is not allowed)")
            return None
        file = self.folder / pure
        try:
            resolved = file.resolve(strict=True)
        except (OSError, RuntimeError):
            self.report(path, f"file not found: '{name}'")
            return None
        if not resolved.is_relative_to(self.folder.resolve()):
            self.report(path, f"'{name}' leads outside the case folder (through a link)")
            return None
        if not resolved.is_file():
            self.report(path, f"'{name}' is not a file")
            return None
        if pure.suffix.lower() not in _ROLE_SUFFIXES[role]:
            allowed = " ".join(sorted(_ROLE_SUFFIXES[role]))
            self.report(path, f"'{name}' is not a {role} file ({allowed})")
            return None
        return resolved


def _find_cycle(edges: dict[str, set[str]], start: str) -> list[str]:
    """A loop reachable from ``start`` as a list of ids (first repeated at the end), or []."""
    state: dict[str, int] = {}  # 1 = on the current route, 2 = done
    route: list[str] = []

    def visit(node: str) -> list[str]:
        state[node] = 1
        route.append(node)
        for target in sorted(edges[node]):
            if state.get(target) == 1:
                return [*route[route.index(target) :], target]
            if target not in state:
                found = visit(target)
                if found:
                    return found
        route.pop()
        state[node] = 2
        return []

    return visit(start)
