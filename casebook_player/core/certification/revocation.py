"""The revocation list: the badges a programme has revoked, as a document it signs.

``revocations.signed.json`` is a JWS of type ``casebook-revocations`` (the same file layout as
every signed document) holding the programme id, when it was last changed and each revoked
badge: credential id, verification code, date and reason. A badge names where the list is
published (its credentialStatus); `casebook verify BADGE --revocations FILE` checks it offline.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from casebook_player.core.certification.badge import verification_code
from casebook_player.core.crypto.signing import (
    REVOCATIONS_TYPE,
    SignatureError,
    sign_document,
    verify_document,
)
from casebook_player.core.files import write_text_atomically

REVOCATIONS_FORMAT = "casebook-revocations/1"


class RevocationError(Exception):
    """The revocation list cannot be used; the message says why."""


@dataclass(frozen=True)
class Revoked:
    id: str
    code: str
    revoked_on: str
    reason: str


def empty_list(issuer: str) -> dict[str, Any]:
    return {"format": REVOCATIONS_FORMAT, "issuer": issuer, "updated": None, "revoked": []}


def with_revoked(
    document: dict[str, Any], credential: dict[str, Any], reason: str, today: date
) -> dict[str, Any]:
    """``document`` with the badge ``credential`` added (once; its first date stays)."""
    if credential["issuer"]["id"] != document["issuer"]:
        raise RevocationError(
            f"the badge was issued by {credential['issuer']['id']!r}; this list is "
            f"{document['issuer']!r}'s"
        )
    if not reason.strip():
        raise RevocationError("give the reason for the revocation")
    revoked = [entry for entry in document["revoked"] if entry["id"] != credential["id"]]
    earlier = [entry for entry in document["revoked"] if entry["id"] == credential["id"]]
    entry = {
        "id": credential["id"],
        "code": verification_code(credential["id"]),
        "revoked_on": earlier[0]["revoked_on"] if earlier else today.isoformat(),
        "reason": reason,
    }
    return {**document, "updated": today.isoformat(), "revoked": [*revoked, entry]}


def write_list(path: Path, document: dict[str, Any], key: Ed25519PrivateKey) -> None:
    write_text_atomically(path, sign_document(document, key, typ=REVOCATIONS_TYPE))


def read_list(path: Path, key: Ed25519PublicKey) -> dict[str, Any]:
    """The revocation list signed by the programme ``key``; RevocationError when not."""
    try:
        document = verify_document(path.read_bytes(), key, typ=REVOCATIONS_TYPE)
    except OSError as exc:
        raise RevocationError(f"cannot read {path}: {exc.strerror}") from None
    except SignatureError as exc:
        raise RevocationError(f"{path}: {exc}") from None
    revoked = document.get("revoked")
    if document.get("format") != REVOCATIONS_FORMAT or not isinstance(revoked, list):
        raise RevocationError(f"{path} is not a revocation list")
    if not all(
        isinstance(e, dict) and {"id", "code", "revoked_on", "reason"} <= set(e) for e in revoked
    ):
        raise RevocationError(f"{path}: an entry lacks id, code, revoked_on or reason")
    return document


def revocation_of(document: dict[str, Any], credential_id: str) -> Revoked | None:
    for entry in document["revoked"]:
        if entry["id"] == credential_id:
            return Revoked(
                str(entry["id"]), str(entry["code"]), str(entry["revoked_on"]), str(entry["reason"])
            )
    return None
