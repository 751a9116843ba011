from __future__ import annotations

import pytest

from casebook_player.core.crypto.pin import PinError, PinHash


def test_pin_is_kept_as_a_salted_hash() -> None:
    first, second = PinHash.create("2468"), PinHash.create("2468")
    assert first.matches("2468") and not first.matches("2469") and not first.matches("")
    assert first.salt != second.salt and first.digest != second.digest
    assert b"2468" not in first.digest + first.salt


@pytest.mark.parametrize("pin", ["", "123", "12a4", "abcd"])
def test_weak_pins_are_refused(pin: str) -> None:
    with pytest.raises(PinError, match="at least 4 digits"):
        PinHash.create(pin)
