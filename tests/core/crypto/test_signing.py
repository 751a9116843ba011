"""Signed result files: round trip, byte-exact tamper detection, attacks, and JOSE interop."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import string
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from hypothesis import given, settings
from hypothesis import strategies as st
from joserfc import jws
from joserfc.jwk import OKPKey

from casebook_player.core.crypto import b64url
from casebook_player.core.crypto.keys import jwk_thumbprint
from casebook_player.core.crypto.signing import (
    RESULT_TYPE,
    SignatureError,
    altered,
    canonical_json,
    sign_document,
    verified_payload,
    verify_document,
)

ALTERED = altered(RESULT_TYPE)

NOT_SIGNED = "not a signed result file: "
B64URL_ALPHABET = string.ascii_letters + string.digits + "-_"
# joserfc warns that RFC 9864 deprecates the name "EdDSA"; that is the name this format uses.
joserfc_eddsa = pytest.mark.filterwarnings("ignore:EdDSA is deprecated")

DOCUMENT: dict[str, Any] = {
    "format": "casebook-result/1",
    "case": {"id": "fast-ruq-04", "title": "Hypotension after a fall", "sha256": "ab" * 32},
    "candidate": {"name": "Zoë Ångström-Nakamura", "id": "C-0042"},
    "started": "2025-03-01T09:00:00Z",
    "finished": "2025-03-01T09:41:12Z",
    "items": [
        {"id": "q1", "response": ["pericardial effusion"], "score": 1.0, "max": 1},
        {"id": "q2", "response": {"x": 0.415, "y": 0.73}, "score": 0.5, "max": 1},
        {"id": "q3", "response": None, "score": 0, "max": 2},
    ],
    "domains": {"acquisition": 0.75, "interpretation": 0.5},
    "total": 1.5,
    "cut_score": 2.5,
    "passed": False,
}


@pytest.fixture(scope="module")
def private_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


@pytest.fixture(scope="module")
def public_key(private_key: Ed25519PrivateKey) -> Ed25519PublicKey:
    return private_key.public_key()


@pytest.fixture(scope="module")
def signed(private_key: Ed25519PrivateKey) -> str:
    return sign_document(DOCUMENT, private_key)


def _members(text: str) -> dict[str, str]:
    members: dict[str, str] = json.loads(text)
    return members


def _layout(protected: str, payload: str, signature: str) -> str:
    """The canonical file layout, built independently of the module under test."""
    return f'{{"payload":"{payload}","protected":"{protected}","signature":"{signature}"}}'


def _header(public_key: Ed25519PublicKey, **changes: object) -> dict[str, object]:
    header: dict[str, object] = {
        "alg": "EdDSA",
        "kid": jwk_thumbprint(public_key),
        "typ": RESULT_TYPE,
    }
    header.update(changes)
    return header


def _forge(header: dict[str, object], payload: bytes, key: Ed25519PrivateKey) -> str:
    """A file in the right layout, validly signed by `key`, with any header and payload."""
    protected = b64url.encode(json.dumps(header).encode())
    body = b64url.encode(payload)
    signature = b64url.encode(key.sign(f"{protected}.{body}".encode()))
    return _layout(protected, body, signature)


def _assert_rejected(data: str | bytes, key: Ed25519PublicKey, message: str = "") -> None:
    """Both readers of signed files refuse ``data`` (the archive reads the payload's bytes)."""
    for verify in (verify_document, verified_payload):
        with pytest.raises(SignatureError) as caught:
            verify(data, key)
        assert str(caught.value).startswith(message), str(caught.value)


# --- the happy path and the format --------------------------------------------------------------


def test_round_trip(signed: str, public_key: Ed25519PublicKey) -> None:
    assert verify_document(signed, public_key) == DOCUMENT
    assert verify_document(signed.encode("ascii"), public_key) == DOCUMENT
    assert verified_payload(signed, public_key) == canonical_json(DOCUMENT)


def test_file_is_a_flattened_jws_in_one_exact_ascii_layout(
    signed: str, public_key: Ed25519PublicKey
) -> None:
    members = _members(signed)
    assert signed == _layout(members["protected"], members["payload"], members["signature"])
    assert signed.isascii() and "\n" not in signed and " " not in signed
    header = json.loads(b64url.decode(members["protected"]))
    assert header == {"alg": "EdDSA", "kid": jwk_thumbprint(public_key), "typ": RESULT_TYPE}
    assert b64url.decode(members["payload"]) == canonical_json(DOCUMENT)
    assert len(b64url.decode(members["signature"])) == 64


def test_payload_is_canonical_json() -> None:
    document = {"b": [1, 2.5, None], "a": "é", "c": {"z": True, "y": False}}
    expected = '{"a":"é","b":[1,2.5,null],"c":{"y":false,"z":true}}'
    assert canonical_json(document) == expected.encode("utf-8")


def test_signing_is_deterministic(private_key: Ed25519PrivateKey, signed: str) -> None:
    reordered = dict(reversed(list(DOCUMENT.items())))
    assert sign_document(reordered, private_key) == signed


def test_nan_cannot_be_signed(private_key: Ed25519PrivateKey) -> None:
    with pytest.raises(ValueError):
        sign_document({"score": float("nan")}, private_key)


def test_keys_of_another_type_are_a_programming_error(signed: str) -> None:
    rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    with pytest.raises(TypeError, match="Ed25519 private key"):
        sign_document(DOCUMENT, rsa_key)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="Ed25519 public key"):
        verify_document(signed, rsa_key.public_key())  # type: ignore[arg-type]


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)


@settings(max_examples=60, deadline=None)
@given(document=st.dictionaries(st.text(max_size=8), json_values, max_size=6))
def test_any_json_document_round_trips(document: dict[str, Any]) -> None:
    key = Ed25519PrivateKey.generate()
    assert verify_document(sign_document(document, key), key.public_key()) == document


# --- any changed byte is caught -----------------------------------------------------------------


def test_every_single_byte_change_is_detected(private_key: Ed25519PrivateKey) -> None:
    """Each position of a real signed file, replaced by each of the 255 other byte values.

    A short document keeps this to a few seconds (every change inside a base64url member costs
    a signature check); the file still has every part: layout, header, payload, signature.
    """
    document = {"candidate": "C-0042", "name": "Zoë", "total": 1.5, "passed": False}
    original = sign_document(document, private_key).encode("ascii")
    public_key = private_key.public_key()
    accepted = []
    for position in range(len(original)):
        for value in range(256):
            if value == original[position]:
                continue
            changed = bytearray(original)
            changed[position] = value
            try:
                verify_document(bytes(changed), public_key)
            except SignatureError:
                continue
            accepted.append((position, value))
    assert accepted == []


def test_every_deleted_or_inserted_byte_is_detected(
    signed: str, public_key: Ed25519PublicKey
) -> None:
    original = signed.encode("ascii")
    for position in range(len(original) + 1):
        for inserted in (b" ", b"\n", b"A", b"=", b"\xef\xbb\xbf"):
            _assert_rejected(original[:position] + inserted + original[position:], public_key)
        if position < len(original):
            _assert_rejected(original[:position] + original[position + 1 :], public_key)


def test_every_truncation_is_detected(signed: str, public_key: Ed25519PublicKey) -> None:
    for length in range(len(signed)):
        _assert_rejected(signed[:length], public_key)


def test_a_non_canonical_last_signature_character_is_detected(
    signed: str, public_key: Ed25519PublicKey
) -> None:
    """64 bytes are 86 characters; the last one carries 4 unused bits a lax decoder ignores."""
    members = _members(signed)
    signature = members["signature"]
    lenient_equal = [
        c
        for c in B64URL_ALPHABET
        if c != signature[-1]
        and base64.urlsafe_b64decode(signature[:-1] + c + "==")
        == base64.urlsafe_b64decode(signature + "==")
    ]
    assert len(lenient_equal) == 15  # 4 unused bits: the test really exercises the hole
    for c in lenient_equal:
        text = _layout(members["protected"], members["payload"], signature[:-1] + c)
        _assert_rejected(text, public_key, ALTERED)


@pytest.mark.parametrize(
    "reformat",
    [
        lambda m: json.dumps(m),
        lambda m: json.dumps(m, indent=2),
        lambda m: json.dumps(dict(reversed(list(m.items()))), separators=(",", ":")),
        lambda m: json.dumps(m, separators=(",", ":"), sort_keys=True) + "\n",
        lambda m: json.dumps(m, separators=(",", ":"), sort_keys=True).replace("A", "\\u0041"),
        lambda m: json.dumps({**m, "header": {"note": "unsigned"}}, separators=(",", ":")),
    ],
    ids=["spaces", "indented", "reordered", "trailing-newline", "escaped", "unprotected-header"],
)
def test_same_signed_parts_in_another_json_layout_are_rejected(
    signed: str, public_key: Ed25519PublicKey, reformat: Any
) -> None:
    """Harmless to the document, but the rule is simpler: exactly the bytes that were written."""
    _assert_rejected(reformat(_members(signed)), public_key)


# --- tampering and attacks ----------------------------------------------------------------------


def test_tampered_payload(signed: str, public_key: Ed25519PublicKey) -> None:
    members = _members(signed)
    document = json.loads(b64url.decode(members["payload"]))
    document["passed"] = True
    payload = b64url.encode(canonical_json(document))
    tampered = _layout(members["protected"], payload, members["signature"])
    _assert_rejected(tampered, public_key, ALTERED)


def test_tampered_header(signed: str, public_key: Ed25519PublicKey) -> None:
    members = _members(signed)
    header = b64url.encode(canonical_json(_header(public_key, alg="Ed25519")))
    tampered = _layout(header, members["payload"], members["signature"])
    _assert_rejected(tampered, public_key, ALTERED)


def test_wrong_key(signed: str) -> None:
    _assert_rejected(signed, Ed25519PrivateKey.generate().public_key(), ALTERED + " (signed with")


def test_another_key_claiming_the_right_key_id(public_key: Ed25519PublicKey) -> None:
    forged = _forge(_header(public_key), canonical_json(DOCUMENT), Ed25519PrivateKey.generate())
    _assert_rejected(forged, public_key, ALTERED)


def test_alg_none(signed: str, public_key: Ed25519PublicKey) -> None:
    members = _members(signed)
    header = b64url.encode(canonical_json(_header(public_key, alg="none")))
    for signature in ("", members["signature"]):
        unsigned = _layout(header, members["payload"], signature)
        _assert_rejected(unsigned, public_key, NOT_SIGNED + "signature algorithm 'none'")


@pytest.mark.parametrize(
    "secret_format",
    [serialization.Encoding.Raw, serialization.Encoding.PEM],
    ids=["raw", "pem"],
)
def test_hs256_with_the_public_key_as_secret(
    public_key: Ed25519PublicKey, secret_format: serialization.Encoding
) -> None:
    """The classic confusion: an HMAC keyed with the (known) public key."""
    public_format = (
        serialization.PublicFormat.Raw
        if secret_format is serialization.Encoding.Raw
        else serialization.PublicFormat.SubjectPublicKeyInfo
    )
    secret = public_key.public_bytes(secret_format, public_format)
    protected = b64url.encode(canonical_json(_header(public_key, alg="HS256")))
    payload = b64url.encode(canonical_json(DOCUMENT))
    mac = hmac.new(secret, f"{protected}.{payload}".encode(), hashlib.sha256).digest()
    forged = _layout(protected, payload, b64url.encode(mac))
    _assert_rejected(forged, public_key, NOT_SIGNED + "signature algorithm 'HS256'")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"crit": ["exp"], "exp": 1}, NOT_SIGNED + "unexpected protected header members: crit"),
        ({"b64": False}, NOT_SIGNED + "unexpected protected header members: b64"),
        ({"jwk": {"kty": "OKP"}}, NOT_SIGNED + "unexpected protected header members: jwk"),
        ({"typ": "JWT"}, NOT_SIGNED + "type 'JWT'"),
        ({"kid": None}, ALTERED),
    ],
    ids=["crit", "unencoded-payload", "embedded-key", "typ", "no-kid"],
)
def test_validly_signed_but_foreign_headers(
    private_key: Ed25519PrivateKey, changes: dict[str, object], message: str
) -> None:
    forged = _forge(_header(private_key.public_key(), **changes), b"{}", private_key)
    _assert_rejected(forged, private_key.public_key(), message)


@pytest.mark.parametrize(
    "payload",
    [b"[1, 2]", b'"text"', b"{", b'{"a": 1, "a": 2}', b'{"a": NaN}', b"\xff{}"],
    ids=["array", "string", "broken", "duplicate-key", "nan", "not-utf8"],
)
def test_validly_signed_payload_that_is_not_a_document(
    private_key: Ed25519PrivateKey, payload: bytes
) -> None:
    forged = _forge(_header(private_key.public_key()), payload, private_key)
    _assert_rejected(forged, private_key.public_key(), NOT_SIGNED + "the signed document")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "the file is empty"),
        (" \n", "the file is empty"),
        ("hello", "it is not JSON"),
        ("[]", "expected a JSON object"),
        (b"\xff\xfe{", "it is not UTF-8 text"),
        ("\ud800", "the text is not valid Unicode"),
        ('{"payload":"","protected":""}', "expected the members payload, protected, signature"),
        ('{"payload":"","payload":"","protected":"","signature":""}', "it is not JSON"),
        ('{"payload":1,"protected":"","signature":""}', "'payload', 'protected' and"),
        ('{"payload":"","signatures":[]}', "it has several signatures"),
    ],
    ids=[
        "empty",
        "blank",
        "text",
        "array",
        "binary",
        "surrogate",
        "missing-member",
        "duplicate-member",
        "number",
        "general-serialisation",
    ],
)
def test_not_a_signed_result_file(
    public_key: Ed25519PublicKey, data: str | bytes, message: str
) -> None:
    _assert_rejected(data, public_key, NOT_SIGNED + message)


def test_an_unsigned_result_document_is_not_a_signed_file(public_key: Ed25519PublicKey) -> None:
    _assert_rejected(json.dumps(DOCUMENT), public_key, NOT_SIGNED)


def test_a_document_signed_as_another_kind_is_only_accepted_as_that_kind(
    private_key: Ed25519PrivateKey, public_key: Ed25519PublicKey
) -> None:
    evaluation = sign_document(DOCUMENT, private_key, typ="casebook-evaluation")
    assert verify_document(evaluation, public_key, typ="casebook-evaluation") == DOCUMENT
    _assert_rejected(evaluation, public_key, NOT_SIGNED + "type 'casebook-evaluation' is not")
    with pytest.raises(SignatureError, match="type 'casebook-result' is not 'casebook-evaluation'"):
        verify_document(sign_document(DOCUMENT, private_key), public_key, typ="casebook-evaluation")


# --- interoperability with an independent JOSE implementation ----------------------------------


@joserfc_eddsa
def test_joserfc_verifies_our_file(signed: str, public_key: Ed25519PublicKey) -> None:
    verified = jws.deserialize_json(
        json.loads(signed), OKPKey.import_key(public_key), algorithms=["EdDSA"]
    )
    assert json.loads(verified.payload) == DOCUMENT
    assert verified.headers()["kid"] == OKPKey.import_key(public_key).thumbprint()


@joserfc_eddsa
@pytest.mark.parametrize("alg", ["EdDSA", "Ed25519"])
def test_we_verify_a_joserfc_signed_file(private_key: Ed25519PrivateKey, alg: str) -> None:
    """joserfc signs; its flattened JWS object is written in the file layout and verified."""
    header = _header(private_key.public_key(), alg=alg)
    flattened = jws.serialize_json(
        {"protected": header}, canonical_json(DOCUMENT), OKPKey.import_key(private_key), [alg]
    )
    text = _layout(flattened["protected"], flattened["payload"], flattened["signature"])
    assert verify_document(text, private_key.public_key()) == DOCUMENT
