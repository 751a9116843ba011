"""Signed documents (results, evaluations, submission manifests): JWS (RFC 7515), Ed25519.

The file is the flattened JWS JSON serialisation, written in one exact byte layout:

    {"payload":"<b64url>","protected":"<b64url>","signature":"<b64url>"}

members sorted, no whitespace, no trailing newline, pure ASCII. The protected header is
{"alg": "EdDSA", "kid": <RFC 7638 thumbprint of the public key>, "typ": "casebook-result"}
(other signed documents, such as peer evaluations and submission manifests, name their own
"typ", and a file is only accepted as the kind it was signed as); the payload is the document
as canonical JSON (sorted keys, compact, UTF-8).

Why every byte is checked, not only the signed ones: JSON lets the outer object vary
(whitespace, member order, "\\u0041" for "A", an unsigned "header" member) and base64url lets
the last character of the signature vary, without touching what the signature covers. Such
a change is harmless to the document, but "any changed byte is caught" is simpler to trust
and to test than "changed bytes are caught unless harmless". So `verify_document` accepts a
file only if it is byte for byte the layout `sign_document` writes, and decodes base64url
strictly. Without newlines the text is the same bytes on every platform, whichever way it is
written.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, NoReturn

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from casebook_player.core import jsontext
from casebook_player.core.crypto import b64url
from casebook_player.core.crypto.keys import jwk_thumbprint

ALGORITHM = "EdDSA"
# RFC 9864 names the same algorithm "Ed25519" and deprecates "EdDSA"; accepting both lets a
# later version switch to the new name without older players rejecting its files.
_ACCEPTED_ALGORITHMS = frozenset({"EdDSA", "Ed25519"})
RESULT_TYPE = "casebook-result"
EVALUATION_TYPE = "casebook-evaluation"
SUBMISSION_TYPE = "casebook-submission"
REVIEW_TYPE = "casebook-review"
REVOCATIONS_TYPE = "casebook-revocations"
# What a user calls each kind of signed file, in messages.
KIND_NAMES = {
    RESULT_TYPE: "result",
    EVALUATION_TYPE: "evaluation",
    SUBMISSION_TYPE: "submission manifest",
    REVIEW_TYPE: "submission review",
    REVOCATIONS_TYPE: "revocation list",
}
_HEADER_MEMBERS = frozenset({"alg", "kid", "typ"})
_FILE_MEMBERS = ("payload", "protected", "signature")
_SIGNATURE_BYTES = 64


class SignatureError(Exception):
    """A file is not a signed file of the kind expected, or its signature does not check out."""


def canonical_json(document: Mapping[str, Any]) -> bytes:
    """The document as canonical JSON: sorted keys, no whitespace, UTF-8, no NaN."""
    return json.dumps(
        dict(document), sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def sign_document(
    document: Mapping[str, Any], private_key: Ed25519PrivateKey, typ: str = RESULT_TYPE
) -> str:
    """Sign a result document; return the text of the signed result file (ASCII, one line).

    ``typ`` names the kind of document (the protected header's "typ"), so that a signed file
    of one kind (an evaluation, a submission manifest) is never accepted as another.
    """
    if not isinstance(private_key, Ed25519PrivateKey):
        raise TypeError(f"expected an Ed25519 private key, got {type(private_key).__name__}")
    header = {"alg": ALGORITHM, "kid": jwk_thumbprint(private_key.public_key()), "typ": typ}
    protected = b64url.encode(canonical_json(header))
    payload = b64url.encode(canonical_json(document))
    signature = b64url.encode(private_key.sign(_signing_input(protected, payload)))
    return _file_text(protected, payload, signature)


def verify_document(
    data: str | bytes, public_key: Ed25519PublicKey, typ: str = RESULT_TYPE
) -> dict[str, Any]:
    """Check a signed result file against `public_key` and return the result document.

    Raises SignatureError for anything but an unaltered file of kind ``typ`` signed with that key.
    """
    return _verified(data, public_key, typ)[1]


def verified_payload(
    data: str | bytes, public_key: Ed25519PublicKey, typ: str = RESULT_TYPE
) -> bytes:
    """The signed document's JSON bytes, exactly as signed, after the checks of
    `verify_document` (a JSON object, no member twice, within the nesting limit).

    For readers that parse it themselves: the results archive hands it to DuckDB.
    """
    return _verified(data, public_key, typ)[0]


def _verified(
    data: str | bytes, public_key: Ed25519PublicKey, typ: str
) -> tuple[bytes, dict[str, Any]]:
    if not isinstance(public_key, Ed25519PublicKey):
        raise TypeError(f"expected an Ed25519 public key, got {type(public_key).__name__}")
    with _said_as(typ):
        protected, payload, signature = _parse_file(data)
        _check_header(_decode_object(protected, "protected header"), public_key, typ)
        try:
            public_key.verify(_decode(signature, "signature"), _signing_input(protected, payload))
        except InvalidSignature:
            raise _Altered("") from None
        # Only now, with the payload known to be the signer's, is it parsed.
        document = _decode(payload, "signed document")
        return document, _parse_object(document, "signed document")


def verify_with_keys(
    data: str | bytes, keys: Sequence[Ed25519PublicKey], typ: str
) -> dict[str, Any]:
    """`verify_document` against each of ``keys`` in turn: the document of the first that fits.

    Raises SignatureError with the most telling reason when none does: a key-id mismatch only
    says "not this key", so another key's reason is preferred.
    """
    if not keys:
        raise SignatureError("no public key to check the signature with")
    errors = []
    for key in keys:
        try:
            return verify_document(data, key, typ=typ)
        except SignatureError as exc:
            errors.append(str(exc))
    if len(keys) == 1:
        raise SignatureError(errors[0])
    telling = [e for e in errors if "signed with key id" not in e]
    reason = telling[0] if telling else "signed by none of the given keys"
    raise SignatureError(f"{reason} (checked against {len(keys)} public keys)")


def read_unverified(data: str | bytes) -> dict[str, Any]:
    """The document inside a signed result file WITHOUT checking the signature.

    For showing a file whose signer's key is not at hand; never for trusting it.
    """
    with _said_as(RESULT_TYPE):
        _protected, payload, _signature = _parse_file(data)
        return _decode_object(payload, "signed document")


def is_signed_file(data: bytes) -> bool:
    """Whether ``data`` looks like a signed result file (rather than a plain JSON result)."""
    return data.lstrip().startswith(b'{"payload":')


def _signing_input(protected: str, payload: str) -> bytes:
    # RFC 7515 §5.1: ASCII(BASE64URL(header) || '.' || BASE64URL(payload)).
    return f"{protected}.{payload}".encode("ascii")


def _file_text(protected: str, payload: str, signature: str) -> str:
    # The members are base64url, so json.dumps escapes nothing: the layout is fixed.
    members = {"payload": payload, "protected": protected, "signature": signature}
    return json.dumps(members, sort_keys=True, separators=(",", ":"))


def _parse_file(data: str | bytes) -> tuple[str, str, str]:
    """The three members of a file in exactly the layout `sign_document` writes."""
    try:
        raw = data.encode("utf-8") if isinstance(data, str) else bytes(data)
    except UnicodeEncodeError:
        _not_signed("the text is not valid Unicode")
    if not raw.strip():
        _not_signed("the file is empty")
    try:
        outer = jsontext.loads(raw.decode("utf-8"), object_pairs_hook=_no_duplicate_keys)
    except UnicodeDecodeError:
        _not_signed("it is not UTF-8 text")
    except ValueError as exc:
        _not_signed(f"it is not JSON ({exc})")
    if not isinstance(outer, dict):
        _not_signed("expected a JSON object with 'payload', 'protected' and 'signature'")
    if "signatures" in outer:
        _not_signed("it has several signatures (general JWS serialisation); expected one")
    if set(outer) != set(_FILE_MEMBERS):
        found = ", ".join(sorted(outer)) or "none"
        _not_signed(f"expected the members payload, protected, signature; found {found}")
    members = [outer[name] for name in _FILE_MEMBERS]
    if not all(isinstance(member, str) for member in members):
        _not_signed("'payload', 'protected' and 'signature' must be strings")
    payload, protected, signature = members
    if _file_text(protected, payload, signature).encode("ascii") != raw:
        raise _Altered("it is not byte for byte as it was written")
    return protected, payload, signature


def _check_header(header: dict[str, Any], public_key: Ed25519PublicKey, typ: str) -> None:
    alg = header.get("alg")
    if alg not in _ACCEPTED_ALGORITHMS:
        _not_signed(f"signature algorithm {alg!r} is not accepted: signed files use EdDSA")
    unexpected = set(header) - _HEADER_MEMBERS
    if unexpected:
        # "crit", "b64", "jwk", "jku", ...: none is ours, and some would change what is checked.
        _not_signed(f"unexpected protected header members: {', '.join(sorted(unexpected))}")
    if header.get("typ") != typ:
        _not_signed(f"type {header.get('typ')!r} is not {typ!r}")
    expected_kid = jwk_thumbprint(public_key)
    if header.get("kid") != expected_kid:
        raise _Altered(
            f"signed with key id {header.get('kid')!r}; this public key is {expected_kid!r}"
        )


def _decode(text: str, what: str) -> bytes:
    try:
        data = b64url.decode(text)
    except ValueError as exc:
        raise _Altered(f"the {what} is not valid: {exc}") from None
    if what == "signature" and len(data) != _SIGNATURE_BYTES:
        raise _Altered(f"the signature has {len(data)} bytes, not 64")
    return data


def _decode_object(text: str, what: str) -> dict[str, Any]:
    return _parse_object(_decode(text, what), what)


def _parse_object(raw: bytes, what: str) -> dict[str, Any]:
    try:
        value = jsontext.loads(
            raw.decode("utf-8"),
            object_pairs_hook=_no_duplicate_keys,
            parse_constant=_no_constant,
        )
    except ValueError as exc:  # UnicodeDecodeError, json.JSONDecodeError, jsontext.TooDeep
        _not_signed(f"the {what} is not JSON ({exc})")
    if not isinstance(value, dict):
        _not_signed(f"the {what} is not a JSON object")
    return value


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        raise ValueError("duplicate member name")
    return result


def _no_constant(name: str) -> NoReturn:
    raise ValueError(f"{name} is not JSON")


def _not_signed(reason: str) -> NoReturn:
    raise _NotSigned(reason)


class _Altered(Exception):
    """The file is signed, but not as it was written, or not with the key given."""


class _NotSigned(Exception):
    """The file is not a signed file of ours at all."""


def altered(typ: str) -> str:
    """The message for a signed file of kind ``typ`` that fails verification."""
    return f"the {KIND_NAMES.get(typ, 'signed')} file was altered or signed by another key"


@contextmanager
def _said_as(typ: str) -> Iterator[None]:
    """Reject with a message naming the kind of file the user gave."""
    try:
        yield
    except _Altered as exc:
        detail = f" ({exc})" if str(exc) else ""
        raise SignatureError(altered(typ) + detail) from None
    except _NotSigned as exc:
        raise SignatureError(
            f"not a signed {KIND_NAMES.get(typ, 'casebook')} file: {exc}"
        ) from None
