"""JSON Schema validation of a parsed YAML script (a case, a peer evaluation form), with each
error placed in the file."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, best_match

from casebook_player.core.case.problems import Problem, format_path
from casebook_player.core.case.quickschema import Predicate, compile_schema
from casebook_player.core.case.yamlsource import JsonPath, YamlDocument

SCHEMA_DIR = Path(__file__).resolve().parents[3] / "schemas"


@cache
def _schema(name: str) -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(
        (SCHEMA_DIR / f"{name}.schema.json").read_text(encoding="utf-8")
    )
    Draft202012Validator.check_schema(schema)
    return schema


@cache
def validator(name: str) -> Draft202012Validator:
    """The compiled validator for ``schemas/<name>.schema.json``."""
    return Draft202012Validator(inline_refs(_schema(name)))


@cache
def quick_check(name: str) -> Predicate | None:
    """A fast is-valid predicate for ``schemas/<name>.schema.json`` (None: use ``validator``)."""
    return compile_schema(_schema(name))


_ANNOTATIONS = frozenset({"description", "title", "$comment", "default", "examples"})


def inline_refs(schema: dict[str, Any]) -> dict[str, Any]:
    """``schema`` with each local ``{"$ref": "#/$defs/x"}`` replaced by a copy of ``x``.

    The same schema, validated about twice as fast: jsonschema resolves a ``$ref`` through the
    referencing library on every visit, which took half of `casebook validate`'s time
    (bench/bench_validate.py). Errors keep their messages and instance paths. A ``$ref`` with
    validation keywords beside it becomes ``allOf`` (the 2020-12 meaning), and a recursive or
    non-local one is left as it is (``$defs`` stays, so it still resolves).
    """
    defs = schema.get("$defs", {})

    def walk(node: Any, active: tuple[str, ...]) -> Any:
        if isinstance(node, list):
            return [walk(value, active) for value in node]
        if not isinstance(node, dict):
            return node
        ref = node.get("$ref")
        name = (
            ref[len("#/$defs/") :] if isinstance(ref, str) and ref.startswith("#/$defs/") else None
        )
        if name is None or name not in defs or name in active:
            return {key: walk(value, active) for key, value in node.items()}
        target = walk(defs[name], (*active, name))
        siblings = {key: walk(value, active) for key, value in node.items() if key != "$ref"}
        if set(siblings) <= _ANNOTATIONS and isinstance(target, dict):
            return {**siblings, **target}
        also = siblings.pop("allOf", [])
        return {**siblings, "allOf": [target, *also]}

    inlined = walk({key: value for key, value in schema.items() if key != "$defs"}, ())
    if defs:
        inlined["$defs"] = defs
    return dict(inlined)


def schema_problems(doc: YamlDocument, file: Path, schema: str = "case") -> list[Problem]:
    """Every way ``doc`` breaks ``schemas/<schema>.schema.json``, placed in ``file`` (the
    document itself named "(<schema>)")."""
    quick = quick_check(schema)
    if quick is not None and quick(doc.data):
        return []  # valid: no need for jsonschema's slower walk, which explains errors
    problems = []
    for error in validator(schema).iter_errors(doc.data):
        problems.extend(_problems_for(error, doc, file, f"({schema})"))
    return sorted(set(problems))


def _problems_for(
    error: ValidationError, doc: YamlDocument, file: Path, root: str
) -> list[Problem]:
    if error.context and error.validator in ("oneOf", "anyOf"):
        # "is not valid under any of the given schemas" helps nobody: report the closest.
        error = best_match(error.context)
    path: JsonPath = tuple(error.absolute_path)
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        allowed = error.schema.get("properties", {})
        unexpected = [key for key in error.instance if key not in allowed]
        return [
            _problem(doc, file, (*path, key), root, f"unknown field '{key}'", at_key=True)
            for key in unexpected
        ]
    return [_problem(doc, file, path, root, _message(error))]


_ID_HINT = "a valid id (letters, digits, '-', '_', '.'; starting with a letter or digit)"
_PATTERN_HINTS = {
    "version": "a version like 1.0 or 1.2.0",
    "language": "a language tag like en or en-GB",
}


def _message(error: ValidationError) -> str:
    instance: Any = error.instance
    if error.validator == "enum":
        options = ", ".join(repr(v) for v in error.validator_value)
        return f"{instance!r} is not one of {options}"
    if error.validator == "const":
        return f"must be {error.validator_value!r}"
    if error.validator == "pattern":
        field = error.absolute_path[-1] if error.absolute_path else ""
        return f"{instance!r} is not {_PATTERN_HINTS.get(str(field), _ID_HINT)}"
    if error.validator == "oneOf" and not error.context:
        return "must have exactly one of the alternatives (e.g. circle or polygon, not both)"
    return error.message


def _problem(
    doc: YamlDocument, file: Path, path: JsonPath, root: str, message: str, at_key: bool = False
) -> Problem:
    line, col = doc.key_position(path) if at_key else doc.position(path)
    return Problem(file, line, col, format_path(path, root), message)
