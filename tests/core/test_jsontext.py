"""JSON from files is refused past a nesting limit, with a ValueError, never RecursionError."""

from __future__ import annotations

import json

import pytest

from casebook_player.core.jsontext import MAX_DEPTH, TooDeep, loads


def nested(depth: int, open_: str = "[", close: str = "]") -> str:
    return open_ * depth + close * depth


def test_the_limit_and_one_past_it() -> None:
    assert loads(nested(MAX_DEPTH)) == json.loads(nested(MAX_DEPTH))
    with pytest.raises(TooDeep, match=f"nesting deeper than {MAX_DEPTH} levels"):
        loads(nested(MAX_DEPTH + 1))
    assert issubclass(TooDeep, ValueError)


def test_a_hundred_thousand_levels_is_a_value_error_not_a_recursion_error() -> None:
    with pytest.raises(RecursionError):
        json.loads(nested(100_000))  # the reference parser, unguarded
    for text in (nested(100_000), '{"a":' * 100_000, "[" * 100_000):
        with pytest.raises(TooDeep):
            loads(text)
        with pytest.raises(TooDeep):
            loads(text.encode())


def test_brackets_inside_strings_do_not_count() -> None:
    text = json.dumps({"a": "[" * 1000 + '\\"{' * 100, "b": ["]]]" * 50, "\\\\"]})
    assert loads(text) == json.loads(text)
    deep_after_string = '["\\\\"' + "," + nested(MAX_DEPTH) + "]"
    with pytest.raises(TooDeep):
        loads(deep_after_string)


def test_thousands_of_brackets_side_by_side_are_not_deep() -> None:
    text = json.dumps({"rows": [[n, {"x": [n]}] for n in range(1000)]})
    assert loads(text) == json.loads(text)


def test_options_reach_the_parser() -> None:
    with pytest.raises(ValueError, match="boom"):
        loads('{"a": 1}', object_pairs_hook=lambda pairs: (_ for _ in ()).throw(ValueError("boom")))
