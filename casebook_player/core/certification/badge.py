"""The digital badge: an Open Badges 3.0 OpenBadgeCredential, signed as a VC-JWT.

The credential follows the VC Data Model 2.0 and OB 3.0 (context 3.0.3): an issuer Profile,
``validFrom``, and an AchievementSubject naming the candidate and the achievement (the
certificate, its criteria, its clinical areas as tags). It is signed as OB 3.0 §8.2 says:
a compact JWS whose JOSE header is {"alg": "EdDSA", "kid": "<issuer id>#<key thumbprint>",
"typ": "JWT"} and whose payload is the credential plus the claims iss, jti, nbf and sub.
Anyone with the programme's public key checks it offline (`casebook verify`), or with any
JOSE library. Ids are name-based UUIDs, so the same decision gives the same badge id and
verification code.
"""

from __future__ import annotations

import base64
import json
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from casebook_player.core import jsontext
from casebook_player.core.certification.programme import SPECIALTY, Certificate, Programme
from casebook_player.core.crypto import b64url
from casebook_player.core.crypto.keys import jwk_thumbprint

CONTEXTS = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]
TYPES = ["VerifiableCredential", "OpenBadgeCredential"]
OB_SCHEMA = (
    "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json"
)
REVOCATION_LIST_TYPE = "1EdTechRevocationList"
_NAMESPACE = uuid.UUID("5d7a3c5e-2b0f-4c61-9a55-6f1b7f2a4e10")  # this player's badges
_HEADER_MEMBERS = frozenset({"alg", "kid", "typ"})
_MAX_BADGE_BYTES = 256 * 1024


class BadgeError(Exception):
    """A badge does not verify, or is not a badge; the message says why."""


def credential_id(programme: Programme, candidate: str, certificate: Certificate) -> str:
    return f"urn:uuid:{uuid.uuid5(_NAMESPACE, f'{programme.id}/{certificate.id}/{candidate}')}"


def verification_code(credential: str) -> str:
    """A short code printed on the certificate, read back from the badge: XXXX-XXXX-XXXX."""
    raw = uuid.UUID(credential.removeprefix("urn:uuid:")).bytes
    text = base64.b32encode(raw).decode("ascii")[:12]
    return "-".join(text[i : i + 4] for i in range(0, 12, 4))


def badge_credential(
    programme: Programme,
    candidate: str,
    name: str,
    certificate: Certificate,
    issued: datetime,
) -> dict[str, Any]:
    """The unsigned OpenBadgeCredential for a candidate granted ``certificate``."""
    issuer: dict[str, Any] = {
        "id": programme.issuer.id,
        "type": ["Profile"],
        "name": programme.issuer.name,
    }
    if programme.issuer.url:
        issuer["url"] = programme.issuer.url
    if programme.issuer.email:
        issuer["email"] = programme.issuer.email
    areas = [programme.areas[a].name for a in certificate.areas]
    kind = "Certification" if certificate.level == SPECIALTY else "Certificate"
    credential: dict[str, Any] = {
        "@context": list(CONTEXTS),
        "id": credential_id(programme, candidate, certificate),
        "type": list(TYPES),
        "name": certificate.name,
        "issuer": issuer,
        "validFrom": _instant(issued),
        "credentialSubject": {
            "id": f"urn:uuid:{uuid.uuid5(_NAMESPACE, f'{programme.id}/candidate/{candidate}')}",
            "type": ["AchievementSubject"],
            "identifier": [
                _identity("name", name),
                _identity("identifier", candidate),
            ],
            "achievement": {
                "id": f"urn:uuid:{uuid.uuid5(_NAMESPACE, f'{programme.id}/{certificate.id}')}",
                "type": ["Achievement"],
                "achievementType": kind,
                "name": certificate.name,
                "description": certificate.description or f"{certificate.name}, {programme.name}",
                "criteria": {"narrative": _criteria(programme, certificate)},
                "tag": areas,
            },
        },
        "credentialSchema": [{"id": OB_SCHEMA, "type": "1EdTechJsonSchemaValidator2019"}],
    }
    if programme.revocation_list:
        credential["credentialStatus"] = {
            "id": programme.revocation_list,
            "type": REVOCATION_LIST_TYPE,
        }
    return credential


def sign_badge(credential: dict[str, Any], key: Ed25519PrivateKey) -> str:
    """The VC-JWT (compact JWS) of ``credential``, one line of ASCII."""
    kid = f"{credential['issuer']['id']}#{jwk_thumbprint(key.public_key())}"
    header = {"alg": "EdDSA", "kid": kid, "typ": "JWT"}
    claims = {
        **credential,
        "iss": credential["issuer"]["id"],
        "jti": credential["id"],
        "nbf": int(_parse_instant(credential["validFrom"]).timestamp()),
        "sub": credential["credentialSubject"]["id"],
    }
    signing_input = f"{_encode(header)}.{_encode(claims)}"
    signature = b64url.encode(key.sign(signing_input.encode("ascii")))
    return f"{signing_input}.{signature}"


def looks_like_badge(data: bytes) -> bool:
    """Whether ``data`` is a compact JWS (three base64url parts), not one of our JSON files."""
    text = data.strip()
    return text.count(b".") == 2 and not text.startswith(b"{") and b" " not in text


def verify_badge(data: str | bytes, keys: Sequence[Ed25519PublicKey]) -> dict[str, Any]:
    """The credential of a badge signed by one of ``keys``, its claims checked; BadgeError."""
    raw = data.encode("utf-8") if isinstance(data, str) else bytes(data)
    if len(raw) > _MAX_BADGE_BYTES:
        raise BadgeError("not a badge: far too large")
    try:
        protected, payload, signature = raw.decode("ascii").strip().split(".")
        header = _decode_object(protected, "header")
        signed = b64url.decode(signature)
    except (UnicodeDecodeError, ValueError) as exc:
        raise BadgeError(f"not a badge (a compact JWS): {exc}") from None
    _check_header(header)
    key = _key_for(header, keys)
    try:
        key.verify(signed, f"{protected}.{payload}".encode("ascii"))
    except InvalidSignature:
        raise BadgeError("the badge was altered (its signature does not verify)") from None
    try:
        claims = _decode_object(payload, "payload")
    except ValueError as exc:
        raise BadgeError(f"not a badge: {exc}") from None
    return _checked_claims(claims)


def _check_header(header: dict[str, Any]) -> None:
    if header.get("alg") not in ("EdDSA", "Ed25519"):
        raise BadgeError(f"signature algorithm {header.get('alg')!r} is not accepted: EdDSA")
    extra = set(header) - _HEADER_MEMBERS
    if extra:
        raise BadgeError(f"unexpected JOSE header members: {', '.join(sorted(extra))}")
    if header.get("typ", "JWT") != "JWT":
        raise BadgeError(f"type {header.get('typ')!r} is not 'JWT'")


def _key_for(header: dict[str, Any], keys: Sequence[Ed25519PublicKey]) -> Ed25519PublicKey:
    kid = header.get("kid")
    thumbprint = kid.rsplit("#", 1)[-1] if isinstance(kid, str) else None
    for key in keys:
        if jwk_thumbprint(key) == thumbprint:
            return key
    given = ", ".join(jwk_thumbprint(k) for k in keys)
    raise BadgeError(f"signed with key id {thumbprint!r}, not the programme key given ({given})")


def _checked_claims(claims: dict[str, Any]) -> dict[str, Any]:
    """OB 3.0 §8.2.4.1: iss, sub, nbf and jti must match the credential they wrap."""
    try:
        credential = {k: v for k, v in claims.items() if k not in ("iss", "jti", "nbf", "sub")}
        expected = {
            "iss": credential["issuer"]["id"],
            "jti": credential["id"],
            "sub": credential["credentialSubject"]["id"],
            "nbf": int(_parse_instant(credential["validFrom"]).timestamp()),
        }
        types = credential["type"]
        achievement = credential["credentialSubject"]["achievement"]["name"]
    except (KeyError, TypeError, ValueError) as exc:
        raise BadgeError(f"not an OpenBadgeCredential: {exc!r} missing or wrong") from None
    for claim, value in expected.items():
        if claims.get(claim) != value:
            raise BadgeError(f"claim {claim!r} does not match the credential")
    if not (isinstance(types, list) and set(TYPES) <= set(types)) or not achievement:
        raise BadgeError("not an OpenBadgeCredential (type or achievement missing)")
    return credential


def _criteria(programme: Programme, certificate: Certificate) -> str:
    areas = ", ".join(programme.areas[a].name for a in certificate.areas)
    parts = [
        f"a passed clinical case-based assessment and two peer evaluations in {areas}",
        f"attested case experience (within {programme.attestation_years} years)",
    ]
    if certificate.needs_submissions:
        parts.append("video submissions (normal and pathology) passed by a reviewer")
    return "; ".join(parts) + f"; all within {certificate.window_days} days of purchase."


def _identity(kind: str, value: str) -> dict[str, Any]:
    return {"type": "IdentityObject", "identityType": kind, "hashed": False, "identityHash": value}


def _instant(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _parse_instant(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _encode(value: dict[str, Any]) -> str:
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return b64url.encode(text.encode("utf-8"))


def _decode_object(text: str, what: str) -> dict[str, Any]:
    value = jsontext.loads(b64url.decode(text).decode("utf-8"))
    if not isinstance(value, dict):
        raise ValueError(f"the {what} is not a JSON object")
    return value
