"""The W3C web-platform-tests WebVTT file-parsing cases (tests/data/webvtt-wpt/README.md).

Each case checks what the WPT asserts about cues (how many; id, text, start, end where it
says), and that the reader's warnings are exactly the lines listed below: the timing lines
the spec drops and cues that end before they start. Cue settings, regions and style sheets
the WPT also asserts are ignored by this reader.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from casebook_player.core.case.captions import clean_text, parse_webvtt

DATA = Path(__file__).parents[2] / "data" / "webvtt-wpt"
CASES: dict[str, dict[str, Any]] = json.loads((DATA / "expected.json").read_text("utf-8"))


def _lines_before(name: str, marker: str) -> list[int]:
    """1-based numbers of the lines just before each line equal to ``marker``."""
    lines = (DATA / f"{name}.vtt").read_bytes().decode("utf-8").split("\n")
    return [n for n, line in enumerate(lines) if line == marker]


# The authoring errors in the cases, by line: read from the files' layout, not the reader.
WARNINGS: dict[str, list[int]] = {
    # ids holding '-->' are timing lines that fail; then four bad arrows
    "arrows": [3, 6, 9, 12, 15, 21, 23, 25, 27],
    # every block whose text is "FAIL" has a NUL in its timing line
    "nulls": _lines_before("nulls", '"FAIL"'),
    # cues that end when or before they start
    "timings-negative": [3, 6, 9, 12],
    # every block whose text is "invalid" has a malformed timestamp
    "timings-too-long": _lines_before("timings-too-long", "invalid"),
    "timings-too-short": _lines_before("timings-too-short", "invalid"),
    # vertical tab is not whitespace in a timing line (form feed is)
    "whitespace-chars": [16],
}

# The WPT asserts only the style sheets of these; the cues follow from the spec.
SPEC_CUES: dict[str, dict[str, Any]] = {
    "stylesheets-newlines": {
        "count": 2,
        "cues": {"0": {"id": "foo", "text": "text"}, "1": {"id": "bar", "text": "text"}},
    },
    "stylesheets-none": {"count": 0, "cues": {}},
}


def test_every_case_is_here() -> None:
    files = {p.stem for p in DATA.glob("*.vtt")}
    assert files == set(CASES)
    assert set(WARNINGS) <= files and set(SPEC_CUES) <= files
    assert all(CASES[name]["count"] is not None or name in SPEC_CUES for name in CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_wpt_case(name: str) -> None:
    expected = SPEC_CUES.get(name, CASES[name])
    captions = parse_webvtt((DATA / f"{name}.vtt").read_bytes().decode("utf-8-sig"))
    assert len(captions.cues) == expected["count"]
    for index, fields in expected["cues"].items():
        cue = captions.cues[int(index)]
        for field, value in fields.items():
            want = clean_text(value) if field == "text" else value
            assert getattr(cue, field) == want, (index, field)
    assert [w.line for w in captions.warnings] == WARNINGS.get(name, [])
