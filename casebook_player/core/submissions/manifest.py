"""The submission manifest: what was checked, signed, so a reviewer can tell nothing changed.

It lists each clean copy's name, role, sha256, size and (for videos) duration, with the area,
the checker's version and the time of the check (schemas/submission.schema.json). Signed as
a JWS of type ``casebook-submission`` it is ``manifest.signed.json``; `verify_submission`
checks the signature, then hashes every file again.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from casebook_player import __version__
from casebook_player.core.case.schema import validator
from casebook_player.core.crypto.signing import (
    SUBMISSION_TYPE,
    SignatureError,
    sign_document,
    verify_document,
)
from casebook_player.core.files import write_text_atomically
from casebook_player.core.submissions.check import SubmissionCheck
from casebook_player.core.timestamps import iso

MANIFEST_FORMAT = "casebook-submission/1"
SIGNED_NAME = "manifest.signed.json"
UNSIGNED_NAME = "manifest.json"
_CHUNK = 1 << 20


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def manifest_document(
    check: SubmissionCheck, out_dir: Path, candidate: str | None, checked_at: float | None = None
) -> dict[str, Any]:
    """The manifest of the clean copies written into ``out_dir`` for ``check``."""
    files = []
    for file in check.files:
        path = out_dir / file.clean_name
        files.append(
            {
                "name": file.clean_name,
                "role": file.role,
                "kind": file.kind,
                "sha256": sha256_of(path),
                "bytes": path.stat().st_size,
                "duration_s": round(file.duration, 3) if file.duration is not None else None,
                "width": file.width,
                "height": file.height,
            }
        )
    return {
        "format": MANIFEST_FORMAT,
        "area": check.area.id,
        "candidate": candidate,
        "checker": {"name": "casebook_player", "version": __version__},
        "checked_at": iso(time.time() if checked_at is None else checked_at),
        "rules": {"container": "mp4", "min_seconds": 5, "max_seconds": 60},
        "files": files,
    }


def write_manifest(out_dir: Path, document: dict[str, Any], key: Ed25519PrivateKey | None) -> Path:
    if key is None:
        path = out_dir / UNSIGNED_NAME
        write_text_atomically(path, json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    else:
        path = out_dir / SIGNED_NAME
        write_text_atomically(path, sign_document(document, key, typ=SUBMISSION_TYPE))
    return path


@dataclass
class Verification:
    document: dict[str, Any] | None = None
    problems: list[str] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.document is not None and not self.problems


def verify_submission(folder: Path, keys: Sequence[Ed25519PublicKey]) -> Verification:
    """Check the signed manifest in ``folder`` and every file it lists."""
    result = Verification()
    manifest = folder / SIGNED_NAME
    if not manifest.is_file():
        unsigned = (folder / UNSIGNED_NAME).is_file()
        result.problems.append(
            f"no {SIGNED_NAME} in {folder}"
            + (
                f": {UNSIGNED_NAME} is not signed, so nothing proves it unchanged"
                if unsigned
                else ""
            )
        )
        return result
    data = manifest.read_bytes()
    errors = []
    for key in keys:
        try:
            document = verify_document(data, key, typ=SUBMISSION_TYPE)
            break
        except SignatureError as exc:
            errors.append(str(exc))
    else:
        result.problems.append(f"{SIGNED_NAME}: {errors[0] if errors else 'no public key'}")
        return result
    schema_errors = list(validator("submission").iter_errors(document))
    if schema_errors:
        first = min(schema_errors, key=lambda e: e.json_path)
        result.problems.append(f"{SIGNED_NAME}: not a submission manifest: {first.message}")
        return result
    result.document = document
    listed = set()
    for entry in document["files"]:
        name = entry["name"]
        listed.add(name)
        # SECURITY: the name comes from the manifest; only a plain name inside the folder.
        if PurePosixPath(name).name != name or name in (".", ".."):
            result.problems.append(f"{name!r}: not a plain file name")
            continue
        path = folder / name
        if not path.is_file():
            result.problems.append(f"{name}: missing")
        elif path.stat().st_size != entry["bytes"] or sha256_of(path) != entry["sha256"]:
            result.problems.append(f"{name}: changed since it was checked (sha256 differs)")
        else:
            result.checked.append(name)
    for path in sorted(folder.iterdir()):
        if path.name not in listed and path.name not in (SIGNED_NAME, UNSIGNED_NAME):
            result.problems.append(f"{path.name}: not in the manifest")
    return result
