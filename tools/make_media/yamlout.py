"""A tidy, hand-readable YAML writer for case scripts.

PyYAML's dumper is correct but not pleasant to read or edit. Here: short mappings and lists
go on one line (`{id: a, text: Pneumothorax}`), long prose becomes a folded block (`>-`),
segments and key points are separated by blank lines, and the result is checked to load
back to exactly the data it was made from.
"""

from __future__ import annotations

import json
import textwrap
from typing import Any

import yaml

WIDTH = 96
FLOW_MAX = 92
_INDICATORS = tuple("-?:,[]{}#&*!|>'\"%@`")
_FLOW_CHARS = set(",[]{}")


def _plain_ok(s: str, in_flow: bool) -> bool:
    """Can `s` be written unquoted and load back as the same string?"""
    if not s or s != s.strip() or "\n" in s or s.startswith(_INDICATORS):
        return False
    if ": " in s or " #" in s or s.endswith(":") or "\t" in s:
        return False
    if in_flow and _FLOW_CHARS & set(s):
        return False
    try:
        return yaml.safe_load(s) == s
    except yaml.YAMLError:
        return False


def scalar(v: Any, in_flow: bool = False) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if v is None:
        return "null"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return format(v, ".10g") if v != int(v) else f"{v:.1f}"
    s = str(v)
    return s if _plain_ok(s, in_flow) else json.dumps(s, ensure_ascii=False)


def flow(v: Any) -> str:
    if isinstance(v, dict):
        return "{" + ", ".join(f"{k}: {flow(x)}" for k, x in v.items()) + "}"
    if isinstance(v, list):
        return "[" + ", ".join(flow(x) for x in v) + "]"
    return scalar(v, in_flow=True)


def _is_flowable(v: Any, indent: int, key_len: int) -> bool:
    text = flow(v)
    if isinstance(v, dict) and any(
        isinstance(x, (dict, list)) and len(flow(x)) > 40 for x in v.values()
    ):
        return False
    return "\n" not in text and indent + key_len + len(text) <= FLOW_MAX


def _wrapped_flow(key: str, v: list[Any], indent: int) -> list[str]:
    """A long list of short lists (polygon points) as a flow sequence over several lines."""
    lead = " " * indent + f"{key}: ["
    lines, current = [], lead
    for i, x in enumerate(v):
        piece = flow(x) + ("," if i < len(v) - 1 else "]")
        if len(current) + len(piece) + 1 > WIDTH and current.strip() != lead.strip():
            lines.append(current.rstrip())
            current = " " * len(lead) + piece + " "
        else:
            current += piece + " "
    lines.append(current.rstrip())
    return lines


def _folded(s: str, indent: int) -> list[str]:
    pad = " " * indent
    lines = textwrap.wrap(s, width=WIDTH - indent, break_long_words=False, break_on_hyphens=False)
    return [pad + line for line in lines]


def _value_lines(key: str, v: Any, indent: int) -> list[str]:
    pad = " " * indent
    if isinstance(v, (dict, list)):
        if not v:
            return [f"{pad}{key}: {'{}' if isinstance(v, dict) else '[]'}"]
        if _is_flowable(v, indent, len(key) + 2):
            return [f"{pad}{key}: {flow(v)}"]
        if isinstance(v, list) and all(isinstance(x, list) for x in v):
            return _wrapped_flow(key, v, indent)
        return [f"{pad}{key}:", *_block(v, indent + 2)]
    text = scalar(v)
    if (
        isinstance(v, str)
        and len(pad) + len(key) + 2 + len(text) > WIDTH
        and v == v.strip()
        and "\n" not in v
        and "  " not in v
    ):
        return [f"{pad}{key}: >-", *_folded(v, indent + 2)]
    return [f"{pad}{key}: {text}"]


def _block(v: Any, indent: int) -> list[str]:
    pad = " " * indent
    out: list[str] = []
    if isinstance(v, dict):
        for k, x in v.items():
            out += _value_lines(str(k), x, indent)
        return out
    all_flow = all(_is_flowable(x, indent + 2, 0) for x in v if isinstance(x, dict))
    for x in v:
        if isinstance(x, dict) and not all_flow:
            inner = _block(x, indent + 2)
            inner[0] = pad + "- " + inner[0][indent + 2 :]
            out += inner
        elif isinstance(x, (dict, list)):
            out.append(f"{pad}- {flow(x)}")
        elif isinstance(x, str) and len(x) > WIDTH - indent - 2:
            out += [f"{pad}- >-", *_folded(x, indent + 4)]
        else:
            out.append(f"{pad}- {scalar(x)}")
    return out


def dump(data: dict[str, Any], header: str = "", spaced: tuple[str, ...] = ()) -> str:
    """YAML text for `data`; top-level keys in `spaced` (lists) get blank lines between
    their entries, and blank lines separate nested key-point lists too."""
    lines: list[str] = [f"# {h}" if h else "#" for h in header.splitlines()]
    if lines:
        lines.append("")
    for k, v in data.items():
        chunk = _value_lines(k, v, 0)
        if k in spaced and isinstance(v, list):
            chunk = [f"{k}:"]
            for entry in v:
                chunk.append("")
                chunk += _block([entry], 2)
        lines += chunk
        if isinstance(v, (dict, list)) and len(chunk) > 1:
            lines.append("")
    text = "\n".join(_space_key_points(lines)).rstrip() + "\n"
    loaded = yaml.safe_load(text)
    if loaded != data:
        raise AssertionError("the YAML writer changed the data; fix yamlout.py")
    return text


def _space_key_points(lines: list[str]) -> list[str]:
    """A blank line before every key point and every item after the first, for reading."""
    out: list[str] = []
    for i, line in enumerate(lines):
        stripped = line.lstrip()
        if stripped.startswith("- id: ") and i > 0:
            prev = lines[i - 1].strip()
            parent = _parent_key(lines, i)
            if parent in ("key_points", "items") and not prev.endswith(":") and prev != "":
                out.append("")
        out.append(line)
    return out


def _parent_key(lines: list[str], i: int) -> str:
    indent = len(lines[i]) - len(lines[i].lstrip())
    for j in range(i - 1, -1, -1):
        s = lines[j]
        ind = len(s) - len(s.lstrip())
        if s.strip() and ind < indent and s.rstrip().endswith(":"):
            return s.strip()[:-1]
    return ""
