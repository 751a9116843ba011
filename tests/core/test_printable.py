"""Text from files is shown with every control character escaped (core.printable)."""

from __future__ import annotations

import unicodedata

from casebook_player.core.printable import one_line, with_line_breaks

# Every character that moves the cursor, recolours, erases or reorders text on a terminal.
DANGEROUS = (
    [chr(c) for c in (*range(0x20), *range(0x7F, 0xA0))]
    + ["\u061c", "\u200e", "\u200f", "\u2028", "\u2029"]
    + [chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))]
)


def test_control_characters_are_escaped() -> None:
    assert one_line("bad\r\nkey\x1b[31m\u2028\x85\x00") == "bad\\r\\nkey\\x1b[31m\\u2028\\x85\\x00"
    assert one_line("Zoë 🩺 tab-free") == "Zoë 🩺 tab-free"


def test_every_dangerous_character_is_escaped_and_nothing_else() -> None:
    for char in DANGEROUS:
        shown = one_line(f"a{char}b")
        assert shown.startswith("a\\") and shown.endswith("b") and char not in shown
    # Independent reference: every Cc character, and every bidi control Unicode names.
    for code in range(0x110000):
        char = chr(code)
        bidi_control = unicodedata.bidirectional(char) in {
            "LRE", "RLE", "LRO", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI",
        }  # fmt: skip
        if unicodedata.category(char) == "Cc" or bidi_control:
            assert char not in one_line(char), hex(code)
    assert one_line("\u200d👩\u200d⚕️ العربية") == "\u200d👩\u200d⚕️ العربية"


def test_right_to_left_override_cannot_reverse_a_name() -> None:
    assert one_line("invoice\u202efdp.exe") == "invoice\\u202efdp.exe"


def test_line_breaks_can_be_kept() -> None:
    assert with_line_breaks("one\ntwo\r\x1b[1A\u202e") == "one\ntwo\\r\\x1b[1A\\u202e"
