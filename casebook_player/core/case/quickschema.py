"""A quick yes/no: is a document valid under one of our JSON Schemas?

jsonschema takes ~4 ms to walk a typical case script, most of it bookkeeping for error
reports. Most scripts are valid, so schema.py asks this compiled predicate first and runs
jsonschema only when the answer is no, to explain why. The predicate covers the keywords our
schemas use, with jsonschema's meaning (2020-12: an integer may be written 2.0, a boolean is
never a number, ``pattern`` searches, ``format`` only annotates); a schema with any other
keyword gets no predicate and is always validated by jsonschema. tests/core/test_quickschema.py
checks that both give the same verdict on thousands of generated documents.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

Predicate = Callable[[Any], bool]

_ANNOTATIONS = frozenset(
    {"$schema", "$comment", "title", "description", "default", "examples", "format", "deprecated"}
)


class Unsupported(Exception):
    """The schema uses a keyword this module does not implement."""


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


_TYPES: dict[str, Predicate] = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
    "number": _is_number,
    "integer": lambda v: _is_number(v) and (isinstance(v, int) or float(v).is_integer()),
}


def _equal(one: Any, two: Any) -> bool:
    """JSON equality as jsonschema has it: true is not 1, 1 is 1.0, lists and objects deeply."""
    if isinstance(one, bool) or isinstance(two, bool):
        return isinstance(one, bool) and isinstance(two, bool) and one == two
    if isinstance(one, list) and isinstance(two, list):
        return len(one) == len(two) and all(map(_equal, one, two))
    if isinstance(one, dict) and isinstance(two, dict):
        return one.keys() == two.keys() and all(_equal(one[k], two[k]) for k in one)
    if _is_number(one) and _is_number(two):
        return bool(one == two)
    return type(one) is type(two) and bool(one == two)


def compile_schema(schema: dict[str, Any]) -> Predicate | None:
    """A predicate equal to jsonschema's is_valid for `schema`, or None if unsupported."""
    compiler = _Compiler(schema.get("$defs", {}))
    try:
        return compiler.compile(schema, root=True)
    except Unsupported:
        return None


class _Compiler:
    def __init__(self, defs: dict[str, Any]) -> None:
        self.defs = defs
        self.compiled: dict[str, Predicate] = {}

    def reference(self, ref: Any) -> Predicate:
        if not isinstance(ref, str) or not ref.startswith("#/$defs/"):
            raise Unsupported(f"$ref {ref!r}")
        name = ref[len("#/$defs/") :]
        if name not in self.defs or "/" in name or "~" in name:
            raise Unsupported(f"$ref {ref!r}")
        if name not in self.compiled:
            self.compiled[name] = lambda v: self.compiled[name](v)  # recursion: resolved later
            self.compiled[name] = self.compile(self.defs[name])
        return self.compiled[name]

    def compile(self, schema: Any, root: bool = False) -> Predicate:
        if schema is True:
            return lambda v: True
        if schema is False:
            return lambda v: False
        if not isinstance(schema, dict):
            raise Unsupported(f"schema {schema!r}")
        checks: list[Predicate] = []
        for key, value in schema.items():
            if key in _ANNOTATIONS or (root and key in ("$id", "$defs")):
                continue
            checks.append(self.keyword(key, value, schema))
        if len(checks) == 1:
            return checks[0]
        return lambda v: all(check(v) for check in checks)

    def keyword(self, key: str, value: Any, schema: dict[str, Any]) -> Predicate:
        method = getattr(self, "k_" + key.lstrip("$"), None)
        if method is None:
            raise Unsupported(key)
        predicate: Predicate = method(value, schema)
        return predicate

    # -- keywords ---------------------------------------------------------------------------

    def k_ref(self, ref: Any, schema: dict[str, Any]) -> Predicate:
        return self.reference(ref)

    def k_type(self, kinds: Any, schema: dict[str, Any]) -> Predicate:
        names = [kinds] if isinstance(kinds, str) else list(kinds)
        tests = [_TYPES[name] for name in names]
        return lambda v: any(test(v) for test in tests)

    def k_enum(self, options: list[Any], schema: dict[str, Any]) -> Predicate:
        return lambda v: any(_equal(v, option) for option in options)

    def k_const(self, constant: Any, schema: dict[str, Any]) -> Predicate:
        return lambda v: _equal(v, constant)

    def k_pattern(self, pattern: str, schema: dict[str, Any]) -> Predicate:
        search = re.compile(pattern).search
        return lambda v: not isinstance(v, str) or search(v) is not None

    def k_minLength(self, n: int, schema: dict[str, Any]) -> Predicate:
        return lambda v: not isinstance(v, str) or len(v) >= n

    def k_maxLength(self, n: int, schema: dict[str, Any]) -> Predicate:
        return lambda v: not isinstance(v, str) or len(v) <= n

    def k_minItems(self, n: int, schema: dict[str, Any]) -> Predicate:
        return lambda v: not isinstance(v, list) or len(v) >= n

    def k_maxItems(self, n: int, schema: dict[str, Any]) -> Predicate:
        return lambda v: not isinstance(v, list) or len(v) <= n

    def k_minimum(self, n: float, schema: dict[str, Any]) -> Predicate:
        return lambda v: not _is_number(v) or v >= n

    def k_maximum(self, n: float, schema: dict[str, Any]) -> Predicate:
        return lambda v: not _is_number(v) or v <= n

    def k_exclusiveMinimum(self, n: float, schema: dict[str, Any]) -> Predicate:
        return lambda v: not _is_number(v) or v > n

    def k_exclusiveMaximum(self, n: float, schema: dict[str, Any]) -> Predicate:
        return lambda v: not _is_number(v) or v < n

    def k_uniqueItems(self, unique: bool, schema: dict[str, Any]) -> Predicate:
        if not unique:
            return lambda v: True
        return lambda v: (
            not isinstance(v, list)
            or not any(_equal(a, b) for i, a in enumerate(v) for b in v[i + 1 :])
        )

    def k_minProperties(self, n: int, schema: dict[str, Any]) -> Predicate:
        return lambda v: not isinstance(v, dict) or len(v) >= n

    def k_propertyNames(self, names: Any, schema: dict[str, Any]) -> Predicate:
        check = self.compile(names)
        return lambda v: not isinstance(v, dict) or all(check(k) for k in v)

    def k_required(self, names: list[str], schema: dict[str, Any]) -> Predicate:
        return lambda v: not isinstance(v, dict) or all(name in v for name in names)

    def k_dependentRequired(self, rules: dict[str, list[str]], schema: dict[str, Any]) -> Predicate:
        pairs = list(rules.items())
        return lambda v: (
            not isinstance(v, dict)
            or all(key not in v or all(name in v for name in names) for key, names in pairs)
        )

    def k_properties(self, properties: dict[str, Any], schema: dict[str, Any]) -> Predicate:
        compiled = [(name, self.compile(sub)) for name, sub in properties.items()]
        return lambda v: (
            not isinstance(v, dict)
            or all(name not in v or check(v[name]) for name, check in compiled)
        )

    def k_additionalProperties(self, sub: Any, schema: dict[str, Any]) -> Predicate:
        if "patternProperties" in schema:
            raise Unsupported("additionalProperties with patternProperties")
        known = frozenset(schema.get("properties", {}))
        if sub is False:
            return lambda v: not isinstance(v, dict) or known.issuperset(v)
        check = self.compile(sub)
        return lambda v: (
            not isinstance(v, dict)
            or all(check(item) for key, item in v.items() if key not in known)
        )

    def k_items(self, sub: Any, schema: dict[str, Any]) -> Predicate:
        if "prefixItems" in schema or isinstance(sub, list):
            raise Unsupported("prefixItems")
        check = self.compile(sub)
        return lambda v: not isinstance(v, list) or all(check(item) for item in v)

    def k_allOf(self, subs: list[Any], schema: dict[str, Any]) -> Predicate:
        checks = [self.compile(sub) for sub in subs]
        return lambda v: all(check(v) for check in checks)

    def k_anyOf(self, subs: list[Any], schema: dict[str, Any]) -> Predicate:
        checks = [self.compile(sub) for sub in subs]
        return lambda v: any(check(v) for check in checks)

    def k_oneOf(self, subs: list[Any], schema: dict[str, Any]) -> Predicate:
        checks = [self.compile(sub) for sub in subs]
        return lambda v: sum(1 for check in checks if check(v)) == 1

    def k_not(self, sub: Any, schema: dict[str, Any]) -> Predicate:
        check = self.compile(sub)
        return lambda v: not check(v)

    def k_if(self, sub: Any, schema: dict[str, Any]) -> Predicate:
        test = self.compile(sub)
        then = self.compile(schema.get("then", True))
        otherwise = self.compile(schema.get("else", True))
        return lambda v: then(v) if test(v) else otherwise(v)

    def k_then(self, sub: Any, schema: dict[str, Any]) -> Predicate:
        return lambda v: True  # applied by k_if; without "if" it has no effect

    def k_else(self, sub: Any, schema: dict[str, Any]) -> Predicate:
        return lambda v: True  # applied by k_if
