"""Base64url without padding (RFC 7515 §2), decoded strictly: one text for one byte string."""

from __future__ import annotations

import base64
import re

_ALPHABET = re.compile(r"[A-Za-z0-9_-]*")


def encode(data: bytes) -> str:
    """Encode `data` as unpadded base64url."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def decode(text: str) -> bytes:
    """Decode unpadded base64url, accepting only the one canonical spelling of each value.

    The standard decoder skips stray characters, accepts padding and ignores the unused low
    bits of the last character, so several texts decode to the same bytes. A signature is
    checked on its decoded bytes, so without this strictness a changed last character of a
    signed file could go unnoticed. Raises ValueError.
    """
    if not _ALPHABET.fullmatch(text):
        raise ValueError("not base64url: characters outside A-Z a-z 0-9 - _")
    if len(text) % 4 == 1:
        raise ValueError("not base64url: impossible length")
    data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    if encode(data) != text:
        raise ValueError("not base64url: non-canonical final character")
    return data
