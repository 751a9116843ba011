"""Safe YAML loading that remembers where every value came from.

Only plain data is accepted: mappings, sequences, strings, numbers, booleans and null. Any
other tag (``!!python/object`` and friends) is an error, and so is a document that is too big
or whose aliases expand to too many nodes (the "billion laughs" bomb), because the tree is
built by walking the composed nodes ourselves with a budget instead of by PyYAML's constructor.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

try:  # libyaml is much faster when it is there; behaviour is the same.
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_BYTES = 2_000_000
MAX_NODES = 200_000
MAX_DEPTH = 64
# Integers beyond ±2^53 lose precision as floats (scores, times) and JSON readers disagree on them.
MAX_INTEGER = 2**53

JsonPath = tuple[str | int, ...]

_DIGITS = re.compile(r"[-+]?[0-9][0-9_]*")

_SCALAR_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
}


class YamlSourceError(Exception):
    """The text is not acceptable YAML; ``line`` and ``col`` are 1-based."""

    def __init__(self, message: str, line: int = 1, col: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.col = col


@dataclass
class YamlDocument:
    """Plain data plus the 1-based (line, col) of each value and each mapping key."""

    data: Any
    values: dict[JsonPath, tuple[int, int]] = field(default_factory=dict)
    keys: dict[JsonPath, tuple[int, int]] = field(default_factory=dict)

    def position(self, path: JsonPath) -> tuple[int, int]:
        """Where ``path`` is, or its nearest ancestor that exists."""
        while path not in self.values and path:
            path = path[:-1]
        return self.values.get(path, (1, 1))

    def key_position(self, path: JsonPath) -> tuple[int, int]:
        """Where the key naming ``path`` is (falls back to the value's position)."""
        return self.keys.get(path) or self.position(path)


def load_yaml(text: str | bytes) -> YamlDocument:
    """Parse one YAML document into plain data, keeping positions."""
    if len(text) > MAX_BYTES:
        raise YamlSourceError(
            f"file is too large ({len(text):,} bytes; the limit is {MAX_BYTES:,})"
        )
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise YamlSourceError(f"not UTF-8 text (byte {exc.start} cannot be decoded)") from None
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.reader.ReaderError as exc:
        before = text[: exc.position]
        line, col = before.count("\n") + 1, exc.position - before.rfind("\n")
        raise YamlSourceError("not a text file: it holds control characters", line, col) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = exc.problem or exc.context or "invalid YAML"
        raise YamlSourceError(f"invalid YAML: {problem}", line, col) from None
    except yaml.YAMLError as exc:
        raise YamlSourceError(f"invalid YAML: {exc}") from None
    if node is None:
        raise YamlSourceError("the file is empty")
    doc = YamlDocument(data=None)
    doc.data = _Builder(doc).build(node, (), 0)
    return doc


class _Builder:
    def __init__(self, doc: YamlDocument) -> None:
        self.doc = doc
        self.nodes = 0
        self.scalars = _Loader("")

    def build(self, node: yaml.Node, path: JsonPath, depth: int) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise YamlSourceError(
                f"the document expands to more than {MAX_NODES:,} values "
                "(aliases expanding too far?)",
                *_pos(node),
            )
        if depth > MAX_DEPTH:
            raise YamlSourceError(f"nesting deeper than {MAX_DEPTH} levels", *_pos(node))
        # A value reached through an alias keeps the position of its first definition.
        self.doc.values.setdefault(path, _pos(node))
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path, depth)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != "tag:yaml.org,2002:seq":
                raise YamlSourceError(f"unsupported tag {node.tag}", *_pos(node))
            return [self.build(n, (*path, i), depth + 1) for i, n in enumerate(node.value)]
        return self._scalar(node)

    def _mapping(self, node: yaml.MappingNode, path: JsonPath, depth: int) -> dict[str, Any]:
        if node.tag != "tag:yaml.org,2002:map":
            raise YamlSourceError(f"unsupported tag {node.tag}", *_pos(node))
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise YamlSourceError("merge keys (<<) are not supported", *_pos(key_node))
            if not isinstance(key_node, yaml.ScalarNode):
                raise YamlSourceError("mapping keys must be plain text", *_pos(key_node))
            key = str(self._scalar(key_node))
            if key in result:
                raise YamlSourceError(f"duplicate key '{key}'", *_pos(key_node))
            self.doc.keys.setdefault((*path, key), _pos(key_node))
            result[key] = self.build(value_node, (*path, key), depth + 1)
        return result

    def _scalar(self, node: yaml.Node) -> Any:
        if node.tag not in _SCALAR_TAGS:
            raise YamlSourceError(f"unsupported tag {node.tag}", *_pos(node))
        if node.tag in ("tag:yaml.org,2002:str", "tag:yaml.org,2002:timestamp"):
            return str(node.value)
        too_large = f"{_short(node.value)} is too large (numbers must lie within ±2^53)"
        try:
            value = self.scalars.construct_object(node)
        except (ValueError, IndexError, KeyError):
            # An explicit tag on a value it does not fit ("!!int", "!!bool maybe"), or an
            # integer with more digits than Python converts.
            if _DIGITS.fullmatch(node.value):
                raise YamlSourceError(too_large, *_pos(node)) from None
            kind = node.tag.rsplit(":", 1)[-1]
            what = {"int": "an integer", "float": "a number", "bool": "true or false"}.get(kind)
            raise YamlSourceError(
                f"{_short(node.value)} is not {what or kind} (it is tagged !!{kind})",
                *_pos(node),
            ) from None
        if isinstance(value, float) and not math.isfinite(value):
            raise YamlSourceError(f"{_short(node.value)} is not a finite number", *_pos(node))
        if isinstance(value, int) and abs(value) > MAX_INTEGER:
            raise YamlSourceError(too_large, *_pos(node))
        return value


def _short(text: str) -> str:
    return repr(text if len(text) <= 30 else f"{text[:12]}…{text[-12:]}")


def _pos(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1
