from __future__ import annotations

import pytest

from casebook_player.core.case import yamlsource
from casebook_player.core.case.yamlsource import YamlSourceError, load_yaml


def test_plain_data_with_positions() -> None:
    doc = load_yaml("a: 1\nb:\n  - x\n  - 2.5\nc: {d: 2026-01-01}\n")
    assert doc.data == {"a": 1, "b": ["x", 2.5], "c": {"d": "2026-01-01"}}
    assert doc.position(("b", 1)) == (4, 5)
    assert doc.key_position(("c",)) == (5, 1)
    assert doc.position(("b", 7)) == doc.position(("b",))  # nearest existing ancestor


@pytest.mark.parametrize(
    "text",
    [
        "a: !!python/object/apply:os.system [echo hacked]",
        "a: !!python/name:os.system",
        "a: !custom 1",
        "a: !!set {x, y}",
    ],
)
def test_tags_beyond_plain_data_are_refused(text: str) -> None:
    with pytest.raises(YamlSourceError, match="unsupported tag") as info:
        load_yaml(text)
    assert (info.value.line, info.value.col) == (1, 4)


def test_alias_bomb_is_refused() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 10):
        refs = ", ".join([f"*a{i - 1}"] * 10)
        lines.append(f"a{i}: &a{i} [{refs}]")
    with pytest.raises(YamlSourceError, match="aliases expanding"):
        load_yaml("\n".join(lines))


def test_small_aliases_are_fine() -> None:
    assert load_yaml("a: &v [1, 2]\nb: *v\n").data == {"a": [1, 2], "b": [1, 2]}


def test_oversized_document_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yamlsource, "MAX_BYTES", 100)
    with pytest.raises(YamlSourceError, match="too large"):
        load_yaml("a: " + "x" * 200)


def test_deep_nesting_is_refused() -> None:
    with pytest.raises(YamlSourceError, match="nesting"):
        load_yaml("[" * 100 + "]" * 100)


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        ("", "empty", 1),
        ("# only a comment\n", "empty", 1),
        ("a: [1, 2\nb: 3\n", "invalid YAML", 2),
        ("a: 1\na: 2\n", "duplicate key 'a'", 2),
        ("a: 1\n<<: {b: 2}\n", "merge keys", 2),
        ("? [1, 2]\n: x\n", "plain text", 1),
        ("a: 1\n---\nb: 2\n", "invalid YAML", 2),
    ],
)
def test_bad_yaml_gives_a_located_error(text: str, message: str, line: int) -> None:
    with pytest.raises(YamlSourceError, match=message) as info:
        load_yaml(text)
    assert info.value.line == line


def test_binary_garbage() -> None:
    with pytest.raises(YamlSourceError, match="not UTF-8"):
        load_yaml(bytes(range(256)))
    with pytest.raises(YamlSourceError, match="control characters") as info:
        load_yaml(b"a: 1\nb: \x01\x02")
    assert (info.value.line, info.value.col) == (2, 4)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        # Found by the loader fuzzer: each crashed load_case (OverflowError, ValueError) or let
        # a key point sit at NaN seconds.
        ("a: .nan", "'.nan' is not a finite number"),
        ("a: -.inf", "'-.inf' is not a finite number"),
        ("a: 1.0e+400", r"'1.0e\+400' is not a finite number"),
        ("a: " + "9" * 5000, "is too large"),
        ("a: 0x" + "f" * 300, "is too large"),
        ("a: " + str(2**53 + 1), "is too large"),
        ("a: " + str(-(2**53) - 1), "is too large"),
    ],
)
def test_numbers_a_case_cannot_use_are_refused(text: str, message: str) -> None:
    with pytest.raises(YamlSourceError, match=message) as info:
        load_yaml(text)
    assert (info.value.line, info.value.col) == (1, 4)


def test_numbers_within_range_are_kept() -> None:
    text = f"a: [{2**53}, {-(2**53)}, 1.5e+300, -0.0, 0x1f, 1_000]"
    assert load_yaml(text).data == {"a": [2**53, -(2**53), 1.5e300, -0.0, 31, 1000]}


@pytest.mark.parametrize(
    ("text", "message", "col"),
    [
        # Found by the loader fuzzer: PyYAML's constructors raise IndexError on "!!int " and
        # "!!float " (an empty value), KeyError on "!!bool maybe", ValueError on "!!int abc".
        ("!!int ", "'' is not an integer", 1),
        ("a: !!float ", "'' is not a number", 4),
        ("a: !!int abc", "'abc' is not an integer", 4),
        ("a: !!bool maybe", "'maybe' is not true or false", 4),
        ("a: !!int 0x", "'0x' is not an integer", 4),
    ],
)
def test_explicit_tags_on_values_they_do_not_fit(text: str, message: str, col: int) -> None:
    with pytest.raises(YamlSourceError, match=message) as info:
        load_yaml(text)
    assert (info.value.line, info.value.col) == (1, col)


def test_explicit_tags_on_values_they_fit_are_fine() -> None:
    assert load_yaml("a: !!int '12'\nb: !!bool yes\nc: !!float 2\n").data == {
        "a": 12,
        "b": True,
        "c": 2.0,
    }
