"""Video submissions for one clinical area: the rules, the checks, and the clean copies.

A submission is a folder with, for one clinical area, two videos — one normal, one with
pathology — and, where the area requires it, a still image with a measurement. Each file's
role is in its name: it starts with ``normal``, ``pathology`` or ``measurement`` (any case;
``normal.mp4``, ``Pathology - RUQ free fluid.mp4``, ``measurement.png``). Videos are MP4 (the
container FFmpeg finds, not only the name), 5–60 s long and decode to the last frame; the
still is a PNG or JPEG. See docs/submissions.md.

The clean copies are named by role alone (``normal.mp4``...): a candidate's own file names
may carry a patient's name, so they go no further than this check.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from casebook_player.core.submissions.metadata import Removed
from casebook_player.core.submissions.stills import inspect_still, write_clean_still
from casebook_player.core.submissions.videos import MediaError, inspect_video, write_clean_copy

MIN_SECONDS, MAX_SECONDS = 5.0, 60.0
VIDEO_ROLES = ("normal", "pathology")
MEASUREMENT = "measurement"
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg")
# A name starting with one of these says the file's role.
_ROLE_PREFIXES = {"normal": "normal", "patholog": "pathology", "measurement": MEASUREMENT}


@dataclass(frozen=True)
class Area:
    id: str
    name: str
    needs_measurement: bool
    measurement_example: str = ""


# Which areas need a still image with a measurement. The programme says "some areas"; this
# table is our assumption (docs/submissions.md): the areas whose standard examination is
# judged on a number.
AREAS: dict[str, Area] = {
    area.id: area
    for area in (
        Area("cardiac", "Cardiac", False),
        Area("gastrointestinal", "Gastrointestinal", False),
        Area("hepatobiliary", "Hepatobiliary / spleen", True, "gallbladder wall or CBD diameter"),
        Area("obstetrics", "Obstetrics (first trimester)", True, "crown-rump length"),
        Area("trauma", "Abdominal trauma (FAST/eFAST)", False),
        Area("dvt", "Lower-extremity DVT", False),
        Area("lung", "Lung", False),
        Area("msk", "MSK soft tissue", False),
        Area("renal", "Renal / genitourinary", True, "bladder volume or kidney length"),
        Area("aaa", "Abdominal aortic aneurysm", True, "maximal aortic diameter"),
    )
}


@dataclass
class SubmittedFile:
    """One file of the submission, what its checks found, and what a clean copy leaves out."""

    role: str
    source: Path
    problems: list[str] = field(default_factory=list)
    metadata: list[Removed] = field(default_factory=list)
    duration: float | None = None
    width: int = 0
    height: int = 0
    format: str = ""

    @property
    def kind(self) -> str:
        return "image" if self.role == MEASUREMENT else "video"

    @property
    def clean_name(self) -> str:
        if self.kind == "video":
            return f"{self.role}.mp4"
        return f"{self.role}{'.jpg' if self.format == 'jpeg' else '.png'}"


@dataclass
class SubmissionCheck:
    folder: Path
    area: Area
    files: list[SubmittedFile] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # about the folder as a whole
    ignored: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and not any(f.problems for f in self.files)

    def all_problems(self) -> list[str]:
        each = [f"{f.source.name}: {p}" for f in self.files for p in f.problems]
        return self.problems + each


def check_submission(folder: Path, area_id: str) -> SubmissionCheck:
    """Check every file in ``folder`` against the rules for ``area_id`` (a key of AREAS)."""
    check = SubmissionCheck(folder, AREAS[area_id])
    by_role: dict[str, list[Path]] = {}
    for path in sorted(folder.iterdir()):
        if path.name.startswith(".") or not path.is_file():
            check.ignored.append(f"{path.name}: {'hidden file' if path.is_file() else 'folder'}")
            continue
        role = role_of(path.name)
        if role is None:
            check.problems.append(
                f"{path.name}: the name does not say what it is: start it with 'normal', "
                "'pathology' or 'measurement'"
            )
            continue
        by_role.setdefault(role, []).append(path)
    for role in (*VIDEO_ROLES, MEASUREMENT):
        paths = by_role.get(role, [])
        if len(paths) > 1:
            names = ", ".join(p.name for p in paths)
            check.problems.append(f"{len(paths)} files claim the role {role} ({names}): keep one")
        elif not paths:
            if role in VIDEO_ROLES:
                check.problems.append(
                    f"no {role} video: add it as {role}.mp4 (any .mp4 name starting with '{role}')"
                )
            elif check.area.needs_measurement:
                check.problems.append(
                    f"no still image with a measurement ({check.area.measurement_example}): "
                    f"{check.area.name} needs one; add it as measurement.png or measurement.jpg"
                )
        for path in paths:
            check.files.append(_check_file(role, path))
    return check


def role_of(name: str) -> str | None:
    lowered = name.lower()
    for prefix, role in _ROLE_PREFIXES.items():
        if lowered.startswith(prefix):
            return role
    return None


def _check_file(role: str, path: Path) -> SubmittedFile:
    file = SubmittedFile(role, path)
    if file.kind == "video":
        _check_video(file)
    else:
        _check_still(file)
    return file


def _check_video(file: SubmittedFile) -> None:
    suffix = file.source.suffix.lower()
    if suffix != ".mp4":
        file.problems.append(f"the name ends in '{suffix or '(nothing)'}': videos must be .mp4")
    try:
        facts = inspect_video(file.source)
    except MediaError as exc:
        file.problems.append(f"not a usable video: {exc}")
        return
    file.metadata = list(facts.metadata)
    file.duration, file.width, file.height = facts.duration, facts.width, facts.height
    file.format = facts.container
    if not facts.is_mp4:
        file.problems.append(
            f"the file is {facts.container}, not MP4 (whatever its name says): export or "
            "convert it to MP4"
        )
    if facts.duration is None:
        file.problems.append("its length cannot be found: the file may be damaged")
    elif not MIN_SECONDS <= facts.duration <= MAX_SECONDS:
        what = "short" if facts.duration < MIN_SECONDS else "long"
        file.problems.append(
            f"too {what}: {facts.duration:.1f} s; videos must last "
            f"{MIN_SECONDS:g}–{MAX_SECONDS:g} s"
        )
    if facts.decode_error is not None:
        file.problems.append(f"does not decode to the end ({facts.decode_error}): it is damaged")
    elif facts.frames_decoded == 0:
        file.problems.append("no frame decodes: it is damaged or empty")
    elif facts.frames_expected and facts.frames_decoded < facts.frames_expected:
        file.problems.append(
            f"only {facts.frames_decoded} of {facts.frames_expected} frames decode: it is "
            "damaged or cut short"
        )


def _check_still(file: SubmittedFile) -> None:
    suffix = file.source.suffix.lower()
    if suffix not in IMAGE_SUFFIXES:
        file.problems.append(f"the name ends in '{suffix or '(nothing)'}': use .png or .jpg")
    try:
        facts = inspect_still(file.source)
    except MediaError as exc:
        file.problems.append(f"not a usable image: {exc}")
        return
    file.format, file.width, file.height = facts.format, facts.width, facts.height
    file.metadata = list(facts.metadata)
    if facts.format not in ("png", "jpeg"):
        file.problems.append(f"it is not a PNG or JPEG image (FFmpeg reads it as {facts.format})")


def write_clean_copies(
    check: SubmissionCheck, out_dir: Path, progress: Callable[[str], None] | None = None
) -> dict[str, list[Removed]]:
    """Write each file's clean copy into ``out_dir``; what was left out, by clean name.

    Only for a check without problems. On failure nothing half-written is left behind.
    """
    if not check.ok:
        raise ValueError("the submission has problems: nothing is written")
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    removed: dict[str, list[Removed]] = {}
    try:
        for file in check.files:
            target = out_dir / file.clean_name
            if progress is not None:
                progress(f"writing {target.name} (from {file.source.name})")
            written.append(target)
            clean = write_clean_copy if file.kind == "video" else write_clean_still
            removed[file.clean_name] = clean(file.source, target)
    except (MediaError, OSError) as exc:
        for path in written:
            path.unlink(missing_ok=True)
        message = exc.strerror if isinstance(exc, OSError) else str(exc)
        raise MediaError(f"{file.source.name}: {message}") from None
    return removed
