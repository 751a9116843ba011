"""Helpers for case package tests: a case with telling texts, and ways to damage a package."""

from __future__ import annotations

import json
import re
import struct
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from casefactory import case_data, write_case
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from casebook_player.core.crypto import b64url
from casebook_player.core.crypto.keys import jwk_thumbprint


def items(data: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for segment in data["segments"]:
        for kp in segment.get("key_points", []):
            yield from kp["items"]


def write_secret_case(folder: Path) -> dict[str, Any]:
    """The test case with a distinctive rationale on every item; its script data."""
    data = case_data()
    for item in items(data):
        item["rationale"] = f"RATIONALE-{item['id']}: the key is in the far field"
    write_case(folder, data)
    return data


def secrets_of(data: dict[str, Any]) -> list[bytes]:
    """Byte strings that must never appear in an encrypted package or a journal: rationales,
    and the names of key fields (``answer``, ``value_mm``, ``tolerance_mm``)."""
    found = [b"rationale", b"RATIONALE", b"far field", b"tolerance_mm", b"value_mm"]
    found += [item["rationale"].encode() for item in items(data)]
    return found


# The key field by name: "answer" as a word ("unanswered" and "answered_at" are not keys).
ANSWER_FIELD = re.compile(rb"\banswer\b")


def data_offset(package: Path, name: str) -> tuple[int, int]:
    """(offset in the file, length) of a member's stored bytes."""
    with zipfile.ZipFile(package) as archive:
        info = archive.getinfo(name)
    raw = package.read_bytes()
    header = info.header_offset
    name_len, extra_len = struct.unpack("<HH", raw[header + 26 : header + 30])
    return header + 30 + name_len + extra_len, info.compress_size


def flip_byte(path: Path, offset: int) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x01
    path.write_bytes(bytes(data))


def rewrite(
    package: Path,
    out: Path,
    change: Callable[[str, bytes], bytes | None] = lambda name, data: data,
    extra: dict[str, bytes] | None = None,
) -> Path:
    """A copy of ``package`` (valid zip, valid CRCs) whose members pass through ``change``
    (None drops one), plus ``extra`` members."""
    with zipfile.ZipFile(package) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = change(info.filename, source.read(info))
            if data is not None:
                target.writestr(info, data)
        for name, data in (extra or {}).items():
            target.writestr(name, data)
    return out


def flip_in(data: bytes, offset: int) -> bytes:
    changed = bytearray(data)
    changed[offset] ^= 0x01
    return bytes(changed)


def craft(
    out: Path,
    key: Ed25519PrivateKey,
    members: dict[str, bytes],
    encryption: dict[str, Any] | None = None,
    sizes: dict[str, int] | None = None,
    infos: dict[str, zipfile.ZipInfo] | None = None,
) -> Path:
    """A package signed by ``key`` whose manifest lists exactly ``members`` (any names)."""
    import hashlib

    manifest = {
        "format": "casebook-package/1",
        "case": {"id": "crafted", "version": "1"},
        "created": "2026-01-01T00:00:00+00:00",
        "signer": jwk_thumbprint(key.public_key()),
        "encryption": encryption,
        "members": {
            name: {
                "sha256": hashlib.sha256(data).hexdigest(),
                "size": (sizes or {}).get(name, len(data)),
            }
            for name, data in members.items()
        },
    }
    raw = json.dumps(manifest).encode()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in members.items():
            archive.writestr((infos or {}).get(name, name), data)
        archive.writestr("manifest.json", raw)
        archive.writestr("manifest.sig", b64url.encode(key.sign(raw)))
    return out
