"""Strict base64url: one text for one byte string."""

from __future__ import annotations

import base64
import os

import pytest

from casebook_player.core.crypto import b64url


@pytest.mark.parametrize("length", range(70))
def test_round_trips_every_length(length: int) -> None:
    data = os.urandom(length)
    text = b64url.encode(data)
    assert "=" not in text
    assert b64url.decode(text) == data


def test_uses_the_url_safe_alphabet() -> None:
    assert b64url.encode(b"\xfb\xff") == "-_8"
    assert b64url.decode("-_8") == b"\xfb\xff"


@pytest.mark.parametrize(
    "text",
    ["-_8=", "+/8", "ab cd", "abc\n", "A", "AAAAA", "é", "YQ==", "Zm9v\x00"],
)
def test_rejects_what_is_not_canonical_unpadded_base64url(text: str) -> None:
    with pytest.raises(ValueError):
        b64url.decode(text)


def test_rejects_a_last_character_with_stray_low_bits() -> None:
    # "YQ" is b"a"; "YR" … "Yf" differ only in the 4 unused bits, and a lenient decoder
    # returns b"a" for all of them.
    assert base64.urlsafe_b64decode("YR==") == b"a"
    for last in "RSTUVWXYZabcdef":
        with pytest.raises(ValueError, match="non-canonical"):
            b64url.decode("Y" + last)
