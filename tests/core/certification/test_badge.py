"""The OB 3.0 badge as a VC-JWT, checked by an independent JOSE library (joserfc) and the
official 1EdTech JSON Schema; and the signed revocation list."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from joserfc import jwt
from joserfc.jwk import OKPKey
from jsonschema import Draft201909Validator

from casebook_player.core.certification.badge import (
    BadgeError,
    badge_credential,
    looks_like_badge,
    sign_badge,
    verification_code,
    verify_badge,
)
from casebook_player.core.certification.programme import Programme, load_programme
from casebook_player.core.certification.revocation import (
    RevocationError,
    empty_list,
    read_list,
    revocation_of,
    with_revoked,
    write_list,
)
from casebook_player.core.crypto import b64url

ROOT = Path(__file__).resolve().parents[3]
OB_SCHEMA = ROOT / "tests" / "data" / "openbadges" / "ob_v3p0_achievementcredential_schema.json"
ISSUED = datetime(2026, 4, 15, tzinfo=UTC)
joserfc_eddsa = pytest.mark.filterwarnings("ignore:EdDSA is deprecated")


@pytest.fixture(scope="module")
def programme() -> Programme:
    return load_programme(ROOT / "programme" / "programme.yaml")


@pytest.fixture(scope="module")
def key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


@pytest.fixture(scope="module")
def credential(programme: Programme) -> dict[str, Any]:
    certificate = programme.certificate("aaa-specialty")
    assert certificate is not None
    return badge_credential(programme, "C-1005", "Dr Zoë Ångström", certificate, ISSUED)


@pytest.fixture(scope="module")
def badge(credential: dict[str, Any], key: Ed25519PrivateKey) -> str:
    return sign_badge(credential, key)


def test_the_credential_meets_the_official_ob3_schema(credential: dict[str, Any]) -> None:
    schema = json.loads(OB_SCHEMA.read_text(encoding="utf-8"))
    errors = list(Draft201909Validator(schema).iter_errors(credential))
    assert errors == []
    # The schema cannot fail on what it does not require: check it does catch a broken one.
    broken = {k: v for k, v in credential.items() if k != "validFrom"}
    assert list(Draft201909Validator(schema).iter_errors(broken))


def test_the_credential_says_what_was_awarded(credential: dict[str, Any]) -> None:
    assert credential["@context"] == [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert credential["validFrom"] == "2026-04-15T00:00:00Z"
    achievement = credential["credentialSubject"]["achievement"]
    assert achievement["type"] == ["Achievement"]
    assert achievement["tag"] == ["Abdominal aortic aneurysm"]
    assert "video submissions" in achievement["criteria"]["narrative"]
    assert credential["credentialStatus"]["type"] == "1EdTechRevocationList"


@joserfc_eddsa
def test_an_independent_jose_library_verifies_the_badge(
    badge: str, key: Ed25519PrivateKey, credential: dict[str, Any]
) -> None:
    token = jwt.decode(badge, OKPKey.import_key(key.public_key()), algorithms=["EdDSA"])
    assert token.header["alg"] == "EdDSA" and token.header["typ"] == "JWT"
    assert token.header["kid"].startswith("https://certification.example.org#")
    claims = token.claims
    assert claims["iss"] == credential["issuer"]["id"]
    assert claims["jti"] == credential["id"]
    assert claims["sub"] == credential["credentialSubject"]["id"]
    assert claims["nbf"] == int(ISSUED.timestamp())
    assert {k: v for k, v in claims.items() if k not in ("iss", "jti", "sub", "nbf")} == credential


@joserfc_eddsa
def test_a_badge_signed_by_joserfc_verifies_here(
    credential: dict[str, Any], key: Ed25519PrivateKey
) -> None:
    from casebook_player.core.crypto.keys import jwk_thumbprint

    claims = {
        **credential,
        "iss": credential["issuer"]["id"],
        "jti": credential["id"],
        "sub": credential["credentialSubject"]["id"],
        "nbf": int(ISSUED.timestamp()),
    }
    header = {"alg": "EdDSA", "kid": f"x#{jwk_thumbprint(key.public_key())}"}
    token = jwt.encode(header, claims, OKPKey.import_key(key), algorithms=["EdDSA"])
    assert verify_badge(token, [key.public_key()]) == credential


def test_the_badge_verifies_and_gives_back_the_credential(
    badge: str, key: Ed25519PrivateKey, credential: dict[str, Any]
) -> None:
    assert looks_like_badge(badge.encode())
    assert verify_badge(badge, [Ed25519PrivateKey.generate().public_key(), key.public_key()]) == (
        credential
    )


def test_an_altered_badge_or_another_key_is_refused(badge: str, key: Ed25519PrivateKey) -> None:
    header, payload, signature = badge.split(".")
    claims = json.loads(b64url.decode(payload))
    claims["name"] = "Something else"
    forged = ".".join([header, b64url.encode(json.dumps(claims).encode()), signature])
    with pytest.raises(BadgeError, match="altered"):
        verify_badge(forged, [key.public_key()])
    with pytest.raises(BadgeError, match="not the programme key given"):
        verify_badge(badge, [Ed25519PrivateKey.generate().public_key()])
    with pytest.raises(BadgeError, match="not a badge"):
        verify_badge("not.a.badge", [key.public_key()])


def test_claims_that_disagree_with_the_credential_are_refused(
    credential: dict[str, Any], key: Ed25519PrivateKey
) -> None:
    badge = sign_badge({**credential, "validFrom": "2026-04-15T00:00:00Z"}, key)
    header, payload, _ = badge.split(".")
    claims = json.loads(b64url.decode(payload))
    claims["jti"] = "urn:uuid:00000000-0000-0000-0000-000000000000"
    body = b64url.encode(json.dumps(claims).encode())
    resigned = f"{header}.{body}.{b64url.encode(key.sign(f'{header}.{body}'.encode()))}"
    with pytest.raises(BadgeError, match="claim 'jti' does not match"):
        verify_badge(resigned, [key.public_key()])


def test_the_same_decision_gives_the_same_id_and_code(
    programme: Programme, credential: dict[str, Any]
) -> None:
    certificate = programme.certificate("aaa-specialty")
    assert certificate is not None
    again = badge_credential(programme, "C-1005", "Dr Zoë Ångström", certificate, ISSUED)
    assert again["id"] == credential["id"]
    other = badge_credential(programme, "C-1006", "Dr Other", certificate, ISSUED)
    code = verification_code(credential["id"])
    assert len(code) == 14 and code.count("-") == 2
    assert verification_code(other["id"]) != code


def test_a_revoked_badge_is_found_in_the_signed_list(
    tmp_path: Path, credential: dict[str, Any], key: Ed25519PrivateKey
) -> None:
    path = tmp_path / "revocations.signed.json"
    document = empty_list(credential["issuer"]["id"])
    assert revocation_of(document, credential["id"]) is None
    document = with_revoked(document, credential, "issued in error", date(2026, 5, 1))
    document = with_revoked(document, credential, "issued in error", date(2026, 5, 9))
    write_list(path, document, key)
    revoked = revocation_of(read_list(path, key.public_key()), credential["id"])
    assert revoked is not None and revoked.revoked_on == "2026-05-01"
    assert len(document["revoked"]) == 1
    with pytest.raises(RevocationError, match="altered or signed by another key"):
        read_list(path, Ed25519PrivateKey.generate().public_key())
    with pytest.raises(RevocationError, match="reason"):
        with_revoked(document, credential, " ", date(2026, 5, 1))
