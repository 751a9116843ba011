"""The quick schema predicate gives jsonschema's verdict, on every schema we ship."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest
import yaml
from casefactory import case_data, write_case
from fuzzcases import mutate_data, weird_value
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from casebook_player.core.case.loader import load_case
from casebook_player.core.case.quickschema import compile_schema
from casebook_player.core.case.schema import SCHEMA_DIR, quick_check
from casebook_player.core.session.results import Attempt, Candidate
from casebook_player.core.session.simulate import correct_answers, simulate

ROOT = Path(__file__).resolve().parents[3]
SCHEMAS = sorted(p.name.removesuffix(".schema.json") for p in SCHEMA_DIR.glob("*.schema.json"))
FORMS = sorted((ROOT / "forms").glob("*.yaml"))


def reference(name: str) -> Draft202012Validator:
    return Draft202012Validator(json.loads((SCHEMA_DIR / f"{name}.schema.json").read_text()))


def quick(schema: dict[str, Any]) -> Any:
    predicate = compile_schema(
        {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}
    )
    assert predicate is not None
    return predicate


@pytest.mark.parametrize("name", SCHEMAS)
def test_every_shipped_schema_has_a_quick_check(name: str) -> None:
    assert quick_check(name) is not None


@pytest.mark.parametrize(
    ("schema", "value", "valid"),
    [
        ({"type": "integer"}, 2.0, True),
        ({"type": "integer"}, 2.5, False),
        ({"type": "integer"}, True, False),
        ({"type": "number"}, False, False),
        ({"type": ["string", "null"]}, None, True),
        ({"const": 1}, 1.0, True),
        ({"const": 1}, True, False),
        ({"enum": [False, "a"]}, 0, False),
        ({"enum": [[1, {"a": True}]]}, [1.0, {"a": True}], True),
        ({"pattern": "b"}, "abc", True),  # search, not match
        ({"pattern": "^b"}, 3, True),  # only strings are checked
        ({"minimum": 0}, -math.inf, False),
        ({"exclusiveMinimum": 0}, 0, False),
        ({"maxItems": 1, "minItems": 1}, [1], True),
        ({"properties": {"a": False}, "additionalProperties": False}, {"b": 1}, False),
        ({"properties": {"a": {"type": "string"}}}, {"b": 1}, True),
        ({"additionalProperties": {"type": "string"}}, {"b": 1}, False),
        ({"oneOf": [{"type": "integer"}, {"type": "number"}]}, 1, False),
        ({"if": {"const": 1}, "then": {"type": "string"}, "else": {"const": 2}}, 2, True),
        ({"dependentRequired": {"a": ["b"]}}, {"a": 1}, False),
        ({"required": ["a"]}, "not an object", True),
        ({"$ref": "#/$defs/x", "$defs": {"x": {"type": "string"}}, "minLength": 2}, "a", False),
        ({"uniqueItems": True}, [1, 1.0], False),
        ({"uniqueItems": True}, [1, True], True),
        ({"minProperties": 1}, {}, False),
        ({"propertyNames": {"enum": ["lung"]}}, {"lung": 1, "dvt": 2}, False),
        ({"propertyNames": {"enum": ["lung"]}}, {"lung": 1}, True),
    ],
)
def test_keywords_mean_what_jsonschema_says(
    schema: dict[str, Any], value: Any, valid: bool
) -> None:
    assert Draft202012Validator(schema).is_valid(value) is valid
    assert quick(schema)(value) is valid


def test_recursive_reference() -> None:
    schema = {
        "$defs": {"tree": {"type": "array", "items": {"$ref": "#/$defs/tree"}}},
        "$ref": "#/$defs/tree",
    }
    assert quick(schema)([[], [[]]]) is True
    assert quick(schema)([[], [1]]) is False


@pytest.mark.parametrize(
    "schema",
    [
        {"patternProperties": {"^a": {}}, "additionalProperties": False},
        {"prefixItems": [{}], "items": False},
        {"unevaluatedProperties": False},
        {"$ref": "other.json"},
        {"properties": {"a": {"$id": "nested", "type": "string"}}},
    ],
)
def test_unsupported_schemas_get_no_predicate(schema: dict[str, Any]) -> None:
    assert compile_schema(schema) is None


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    """Valid documents of each kind we can make here: a case, a result, the sample forms."""
    case = load_case(write_case(tmp_path_factory.mktemp("case")))
    result = simulate(
        case, correct_answers(case), attempt=Attempt(Candidate("c-1", "Zoë"))
    ).result()
    forms = [yaml.safe_load(form.read_text(encoding="utf-8")) for form in FORMS]
    return [case_data(), json.loads(json.dumps(result)), *forms]


@st.composite
def documents(draw: st.DrawFn, seeds: list[dict[str, Any]]) -> Any:
    if draw(st.integers(0, 9)) == 0:
        return draw(weird_value)
    document = json.loads(json.dumps(draw(st.sampled_from(seeds))))
    for _ in range(draw(st.integers(0, 3))):
        if document:
            mutate_data(draw, document)
    return document


@settings(max_examples=400, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_same_verdict_as_jsonschema(data: st.DataObject, seeds: list[dict[str, Any]]) -> None:
    document = data.draw(documents(seeds))
    for name in SCHEMAS:
        predicate = quick_check(name)
        assert predicate is not None
        assert predicate(document) == reference(name).is_valid(document), name


def test_seeds_are_valid_where_they_should_be(seeds: list[dict[str, Any]]) -> None:
    case, result, *forms = seeds
    for name, document in [("case", case), ("result", result)] + [("form", f) for f in forms]:
        predicate = quick_check(name)
        assert predicate is not None and predicate(document), name
        assert reference(name).is_valid(document), name
