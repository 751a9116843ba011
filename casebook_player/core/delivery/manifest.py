"""The manifest of a case package: what it holds, how it is sealed, and safe member names.

``manifest.json`` is JSON (sorted keys): format, case id and version, when it was made, the
signer's key id, the encryption parameters (or null), and every member's sha256 and size.
It holds no case text and no key material; the signature covers its exact bytes.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from casebook_player.core import jsontext
from casebook_player.core.crypto import b64url
from casebook_player.core.delivery.encryption import CIPHER, ScryptParams

PACKAGE_FORMAT = "casebook-package/1"
PACKAGE_SUFFIX = ".cbk"
MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
INDEX = "index.enc"  # of an encrypted package: which sealed member is which file
KEY_PASSPHRASE, KEY_FILE = "passphrase", "key-file"
_MAX_NAME_CHARS = 400


class ManifestError(ValueError):
    """A manifest or index this player cannot read."""


class UnsafeName(ManifestError):
    """A file name that could land outside the folder it is written to (zip-slip)."""


@dataclass(frozen=True)
class Member:
    sha256: str
    size: int


@dataclass(frozen=True)
class Encryption:
    """How the members are sealed: the key comes from a passphrase (scrypt) or a key file."""

    key_source: str  # KEY_PASSPHRASE or KEY_FILE
    scrypt: ScryptParams | None = None
    # encryption.key_check of the key (packages made before it was recorded have none)
    key_check: bytes | None = None

    def describe(self) -> str:
        if self.scrypt is not None:
            s = self.scrypt
            return f"{CIPHER}, key from a delivery passphrase (scrypt n={s.n} r={s.r} p={s.p})"
        return f"{CIPHER}, key from a key file"


@dataclass(frozen=True)
class Manifest:
    case_id: str
    case_version: str
    created: str
    signer: str
    members: Mapping[str, Member]
    encryption: Encryption | None = None
    raw: bytes = field(default=b"", repr=False, compare=False)

    @property
    def total_size(self) -> int:
        return sum(member.size for member in self.members.values())

    def to_json(self) -> bytes:
        encryption: dict[str, Any] | None = None
        if self.encryption is not None:
            encryption = {"cipher": CIPHER, "key": self.encryption.key_source}
            if self.encryption.key_check is not None:
                encryption["check"] = b64url.encode(self.encryption.key_check)
            if self.encryption.scrypt is not None:
                s = self.encryption.scrypt
                encryption["kdf"] = {
                    "name": "scrypt",
                    "salt": b64url.encode(s.salt),
                    "n": s.n,
                    "r": s.r,
                    "p": s.p,
                }
        document = {
            "format": PACKAGE_FORMAT,
            "case": {"id": self.case_id, "version": self.case_version},
            "created": self.created,
            "signer": self.signer,
            "encryption": encryption,
            "members": {
                name: {"sha256": m.sha256, "size": m.size} for name, m in self.members.items()
            },
        }
        return (json.dumps(document, indent=1, sort_keys=True) + "\n").encode("utf-8")

    @classmethod
    def parse(cls, raw: bytes) -> Manifest:
        """The manifest in ``raw``; ManifestError when it is not one this player can read."""
        try:
            doc = jsontext.loads(raw.decode("utf-8"))
            if not isinstance(doc, dict):
                raise ValueError("not a JSON object")
            if doc.get("format") != PACKAGE_FORMAT:
                raise ValueError(f"format {doc.get('format')!r}, expected {PACKAGE_FORMAT!r}")
            case = doc["case"]
            members = {name: _member(entry) for name, entry in _dict(doc["members"]).items()}
            return cls(
                case_id=_str(case["id"]),
                case_version=_str(case["version"]),
                created=_str(doc["created"]),
                signer=_str(doc["signer"]),
                members=members,
                encryption=_encryption(doc["encryption"]),
                raw=raw,
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise ManifestError(f"the manifest cannot be read ({_reason(exc)})") from None


def member_name_problem(name: str) -> str | None:
    """Why ``name`` is not a safe member name (zip-slip and friends), or None."""
    if not name:
        return "it is empty"
    if len(name) > _MAX_NAME_CHARS:
        return "it is too long"
    if "\\" in name:
        return "it has a backslash"
    if ":" in name:
        return "it has a ':' (a drive letter or stream name)"
    if any(ord(c) < 32 or ord(c) == 127 for c in name):
        return "it has a control character"
    if name.startswith("/"):
        return "it is an absolute path"
    parts = name.split("/")
    if ".." in parts:
        return "it has a '..' component (it would land outside the folder)"
    if "" in parts or "." in parts:
        return "it has an empty or '.' component"
    return None


def parse_index(data: bytes, manifest: Manifest) -> dict[str, str]:
    """Member name → file name, from the decrypted index of an encrypted package."""
    try:
        files = _dict(jsontext.loads(data.decode("utf-8"))["files"])
    except (ValueError, KeyError, TypeError) as exc:
        raise ManifestError(f"the package index cannot be read ({_reason(exc)})") from None
    expected = set(manifest.members) - {INDEX}
    if set(files) != expected:
        raise ManifestError("the package index does not list exactly the package's members")
    seen: set[str] = set()
    for name in files.values():
        problem = member_name_problem(name) if isinstance(name, str) else "not a string"
        if problem:
            raise UnsafeName(f"unsafe file name {name!r} in the package index: {problem}")
        if name.casefold() in seen:
            raise UnsafeName(f"file {name} appears twice in the package index")
        seen.add(name.casefold())
    return {member: str(name) for member, name in files.items()}


def _reason(exc: BaseException) -> str:
    return f"missing {exc}" if isinstance(exc, KeyError) else str(exc)


def _dict(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise TypeError("expected a JSON object")
    return value


def _str(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected a string, found {type(value).__name__}")
    return value


def _member(entry: Any) -> Member:
    entry = _dict(entry)
    sha256, size = entry["sha256"], entry["size"]
    if not (
        isinstance(sha256, str) and len(sha256) == 64 and set(sha256) <= set("0123456789abcdef")
    ):
        raise ValueError("a member's sha256 is not 64 hex digits")
    if not isinstance(size, int) or isinstance(size, bool) or size < 0:
        raise ValueError("a member's size is not a whole number of bytes")
    return Member(sha256, size)


def _encryption(value: Any) -> Encryption | None:
    if value is None:
        return None
    value = _dict(value)
    if value.get("cipher") != CIPHER:
        raise ValueError(f"cipher {value.get('cipher')!r} is not {CIPHER}")
    check = b64url.decode(_str(value["check"])) if "check" in value else None
    if value.get("key") == KEY_FILE:
        return Encryption(KEY_FILE, key_check=check)
    if value.get("key") != KEY_PASSPHRASE:
        raise ValueError(f"unknown key source {value.get('key')!r}")
    kdf = _dict(value["kdf"])
    if kdf.get("name") != "scrypt":
        raise ValueError(f"unknown key derivation {kdf.get('name')!r}")
    numbers = [kdf["n"], kdf["r"], kdf["p"]]
    if not all(isinstance(x, int) and not isinstance(x, bool) for x in numbers):
        raise ValueError("scrypt parameters must be whole numbers")
    params = ScryptParams(b64url.decode(_str(kdf["salt"])), *numbers)
    return Encryption(KEY_PASSPHRASE, params, check)
