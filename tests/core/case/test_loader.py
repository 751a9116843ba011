from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from casefactory import case_data, write_case, write_wav
from clipmatrix import make_audio

from casebook_player.core.case.loader import load_case
from casebook_player.core.case.model import HotspotItem, MeasurementItem, MediaKind, MultipleItem
from casebook_player.core.case.problems import CaseError

Data = dict[str, Any]


def problems(tmp_path: Path, data: Data | None = None, text: str | None = None) -> list[str]:
    file = write_case(tmp_path, data, text)
    with pytest.raises(CaseError) as info:
        load_case(file)
    return [str(p) for p in info.value.problems]


def test_valid_case_builds_the_model(tmp_path: Path) -> None:
    case = load_case(write_case(tmp_path).parent)
    assert case.id == "test-case"
    assert [s.id for s in case.segments] == ["intro", "exam", "shock"]
    assert case.segments[0].duration == pytest.approx(10.0)  # read from the WAV header
    seg, kp = case.key_point("kp2")
    assert seg.id == "exam" and kp.layout == "together"
    assert kp.media[0].kind is MediaKind.IMAGE and kp.media[0].pixel_spacing_mm == 0.5
    assert isinstance(case.item("q-spot"), HotspotItem)
    measure = case.item("q-measure")
    assert isinstance(measure, MeasurementItem) and measure.tolerance_mm == 2
    signs = case.item("q-signs")
    assert isinstance(signs, MultipleItem) and signs.answer == {"A", "C"}
    assert case.key_point("kp1")[1].clinical_info == (
        ("vitals", (("HR", "110/min"), ("BP", "90/60"))),
    )
    assert len(case.sha256) == 64


def test_error_is_placed_at_file_line_col_and_json_path(tmp_path: Path) -> None:
    data = case_data()
    data["segments"][0]["key_points"][0]["items"][0]["answer"] = "E"
    file = write_case(tmp_path, data)
    with pytest.raises(CaseError) as info:
        load_case(file)
    (problem,) = info.value.problems
    line_no = next(
        i for i, line in enumerate(file.read_text().splitlines(), 1) if "answer: E" in line
    )
    assert problem.line == line_no
    assert str(problem).startswith(f"{file}:{line_no}:")
    assert "segments[0].key_points[0].items[0].answer: 'E' is not one of the choices" in str(
        problem
    )


def test_every_schema_problem_is_reported_at_once(tmp_path: Path) -> None:
    data = case_data()
    del data["title"]
    data["clinical_area"] = "dermatology"
    data["cut_score"] = 140
    data["segments"][0]["colour"] = "blue"
    found = problems(tmp_path, data)
    assert len(found) == 4
    joined = "\n".join(found)
    assert "(case): 'title' is a required property" in joined
    assert "clinical_area: 'dermatology' is not one of 'cardiac'" in joined
    assert "cut_score: 140 is greater than the maximum of 100" in joined
    assert "segments[0].colour: unknown field 'colour'" in joined


def test_item_type_errors_name_the_field(tmp_path: Path) -> None:
    data = case_data()
    item = data["segments"][0]["key_points"][0]["items"][0]
    del item["choices"]
    item["regions"] = []
    found = problems(tmp_path, data)
    assert any("items[0]: 'choices' is a required property" in p for p in found)
    assert any("items[0].regions: unknown field 'regions'" in p for p in found)


def test_region_needs_exactly_one_shape(tmp_path: Path) -> None:
    data = case_data()
    region = data["segments"][1]["key_points"][0]["items"][0]["regions"][0]
    region["polygon"] = [[1, 1], [2, 2], [3, 1]]
    assert any("regions[0]: must have exactly one" in p for p in problems(tmp_path, data))


def kp(data: Data, s: int = 0, k: int = 0) -> Data:
    return data["segments"][s]["key_points"][k]


def item(data: Data, s: int = 0, k: int = 0, i: int = 0) -> Data:
    return kp(data, s, k)["items"][i]


Mutation = Callable[[Data], None]

SEMANTIC_CASES: list[tuple[str, Mutation, str]] = [
    (
        "duplicate segment",
        lambda d: d["segments"][2].update(id="exam"),
        "segments[2].id: duplicate segment id 'exam'",
    ),
    (
        "duplicate domain",
        lambda d: d["domains"][1].update(id="views"),
        "domains[1].id: duplicate domain id 'views'",
    ),
    (
        "duplicate item",
        lambda d: item(d, 2).update(id="q-view"),
        "items[0].id: duplicate item id 'q-view'",
    ),
    ("duplicate key point", lambda d: kp(d, 2).update(id="kp1"), "duplicate key point id 'kp1'"),
    (
        "duplicate choice",
        lambda d: item(d)["choices"][1].update(id="A"),
        "choices[1].id: duplicate choice id 'A'",
    ),
    (
        "unknown domain",
        lambda d: item(d).update(domains=["anatomy"]),
        "items[0].domains[0]: 'anatomy' is not one of the case's domains",
    ),
    (
        "multiple key unknown",
        lambda d: item(d, i=1).update(answer=["A", "Z"]),
        "'Z' is not one of the choices",
    ),
    (
        "select count",
        lambda d: item(d, i=1).update(select=3),
        "select: asks to select 3 but the key has 2",
    ),
    (
        "not_possible reserved",
        lambda d: item(d)["choices"].append({"id": "not_possible", "text": "x"}),
        "'not_possible' is reserved",
    ),
    (
        "not_possible unset",
        lambda d: item(d).update(not_possible=False, answer="not_possible"),
        "'not_possible' is not one of the choices",
    ),
    (
        "ordering key incomplete",
        lambda d: item(d, 1, 1).update(answer=["ruq", "luq"]),
        "the key must list every option exactly once",
    ),
    (
        "hotspot unknown region",
        lambda d: item(d, 1).update(answer=["spleen"]),
        "'spleen' is not one of the regions",
    ),
    (
        "hotspot region outside",
        lambda d: item(d, 1)["regions"][0]["circle"].update(radius=80),
        "region 'aorta' is not inside the 200×100 image",
    ),
    (
        "polygon outside",
        lambda d: item(d, 1)["regions"][1].update(polygon=[[0, 0], [250, 0], [0, 50]]),
        "region 'ivc' is not inside",
    ),
    (
        "hotspot unknown target",
        lambda d: item(d, 1).update(target="clip9"),
        "this key point has no media 'clip9' (it has still)",
    ),
    (
        "hotspot clip without size",
        lambda d: (
            kp(d)["media"][0].pop("size"),
            kp(d)["items"].append(
                {
                    "id": "q-c",
                    "type": "hotspot",
                    "stem": "s",
                    "points": 1,
                    "domains": ["views"],
                    "target": "clip1",
                    "regions": [{"id": "r", "circle": {"center": [1, 1], "radius": 1}}],
                    "answer": ["r"],
                }
            ),
        ),
        "media 'clip1' needs 'size: [width, height]'",
    ),
    (
        "measurement without calibration",
        lambda d: kp(d, 1)["media"][0].pop("pixel_spacing_mm"),
        "must be a still image or a clip with 'pixel_spacing_mm'",
    ),
    (
        "image size mismatch",
        lambda d: kp(d, 1)["media"][0].update(size=[10, 10]),
        "declared [10, 10] but the image is [200, 100]",
    ),
    (
        "overlay outside",
        lambda d: kp(d, 1)["media"][0]["overlays"][0].update(to=[300, 50]),
        "overlays[0].to: [300, 50] lies outside the 200×100 image",
    ),
    ("loop on image", lambda d: kp(d, 1)["media"][0].update(loop=True), "only clips loop"),
    (
        "key points out of order",
        lambda d: kp(d, 1, 1).update(at=1.0),
        "key points must be in time order",
    ),
    (
        "key point after the end",
        lambda d: kp(d, 1, 1).update(at=12.0),
        "12.0 s is not inside the segment (it lasts 10.00 s)",
    ),
    (
        "duration mismatch",
        lambda d: d["segments"][0].update(duration=30),
        "declared 30 s but 'media/intro.wav' lasts 10.00 s",
    ),
    (
        "branch to nowhere",
        lambda d: kp(d)["branches"][0].update(to="icu"),
        "branches[0].to: no segment has the id 'icu'",
    ),
    (
        "branch on unknown item",
        lambda d: kp(d)["branches"][0].update(item="q-zz"),
        "no item 'q-zz' in this key point",
    ),
    (
        "branch on unknown choice",
        lambda d: kp(d)["branches"][0].update(equals="Q"),
        "branches[0].equals: 'Q' is not one of the choices",
    ),
    (
        "next to nowhere",
        lambda d: d["segments"][0].update(next="nowhere"),
        "segments[0].next: no segment has the id 'nowhere'",
    ),
    (
        "unreachable segment",
        lambda d: kp(d).pop("branches"),
        "segment 'shock' can never be reached",
    ),
    (
        "loop forever",
        lambda d: d["segments"][1].update(next="intro"),
        "the case can loop forever: intro → exam → intro",
    ),
    (
        "absolute path",
        lambda d: d["segments"][0].update(media="/etc/passwd"),
        "'/etc/passwd' must be a relative path",
    ),
    (
        "dot-dot path",
        lambda d: d["segments"][0].update(media="media/../../secret.wav"),
        "'..' is not allowed",
    ),
    (
        "windows path",
        lambda d: d["segments"][0].update(media="C:\\media\\intro.wav"),
        "must be a relative path",
    ),
    (
        "missing file",
        lambda d: d["segments"][0].update(transcript="media/nothing.txt"),
        "file not found: 'media/nothing.txt'",
    ),
    (
        "folder not file",
        lambda d: d["segments"][0].update(transcript="media"),
        "'media' is not a file",
    ),
    (
        "wrong kind of file",
        lambda d: d["segments"][0].update(captions="media/intro.txt"),
        "'media/intro.txt' is not a captions file (.srt .vtt)",
    ),
    (
        "clip that is an image",
        lambda d: kp(d)["media"][0].update(file="media/still.png"),
        "is not a clip file",
    ),
]


@pytest.mark.parametrize(
    ("name", "mutate", "expected"), SEMANTIC_CASES, ids=[c[0] for c in SEMANTIC_CASES]
)
def test_semantic_problem(tmp_path: Path, name: str, mutate: Mutation, expected: str) -> None:
    data = case_data()
    mutate(data)
    found = problems(tmp_path, data)
    assert any(expected in p for p in found), found


def test_symlink_escaping_the_folder_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "outside.wav"
    write_wav(outside, 10)
    case_dir = tmp_path / "case"
    data = case_data()
    data["segments"][0]["media"] = "media/link.wav"
    write_case(case_dir, data)
    os.symlink(outside, case_dir / "media" / "link.wav")
    with pytest.raises(CaseError, match="leads outside the case folder"):
        load_case(case_dir)


def test_symlink_inside_the_folder_is_fine(tmp_path: Path) -> None:
    data = case_data()
    data["segments"][0]["media"] = "media/link.wav"
    write_case(tmp_path, data)
    os.symlink(tmp_path / "media" / "intro.wav", tmp_path / "media" / "link.wav")
    assert load_case(tmp_path).segments[0].media.name == "link.wav"


def test_bad_captions_are_reported_with_their_line(tmp_path: Path) -> None:
    file = write_case(tmp_path)
    (tmp_path / "media" / "exam.vtt").write_text("WEBVTT\n\n00:00:01.000 -> 00:00:02.000\nHi\n")
    with pytest.raises(CaseError) as info:
        load_case(file)
    found = [str(p) for p in info.value.problems]
    assert any("segments[1].captions: exam.vtt:3: expected a cue timing line" in p for p in found)


def test_media_ffmpeg_cannot_read_is_refused_even_with_a_duration(tmp_path: Path) -> None:
    data = case_data()
    write_case(tmp_path, data)
    (tmp_path / "media" / "intro.ogg").write_bytes(b"OggS")
    data["segments"][0]["media"] = "media/intro.ogg"
    data["segments"][0]["duration"] = 10
    (found,) = problems(tmp_path, data)
    assert found.startswith(f"{tmp_path / 'case.yaml'}:") and "segments[0].media" in found
    assert "'media/intro.ogg': FFmpeg cannot read it" in found


def test_the_duration_of_any_narration_ffmpeg_reads_is_measured(tmp_path: Path) -> None:
    data = case_data()
    write_case(tmp_path, data)
    make_audio(tmp_path / "media" / "intro.ogg", "libopus", "ogg", seconds=10.0)
    data["segments"][0]["media"] = "media/intro.ogg"
    write_case(tmp_path, data)
    assert load_case(tmp_path).segments[0].duration == pytest.approx(10.0, abs=0.05)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "the file is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "not UTF-8"),
        (b"- just\n- a list\n", "(case): ['just', 'a list'] is not of type 'object'"),
        (b"id: [unclosed\n", "invalid YAML"),
        (b"id: !!python/object/apply:os.system ['touch /tmp/pwned']\n", "unsupported tag"),
    ],
)
def test_unusable_files_give_one_clear_problem(
    tmp_path: Path, content: bytes, expected: str
) -> None:
    file = tmp_path / "case.yaml"
    file.write_bytes(content)
    with pytest.raises(CaseError) as info:
        load_case(file)
    assert expected in str(info.value)
    assert str(info.value).startswith(f"{file}:")


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(CaseError, match="cannot read"):
        load_case(tmp_path / "nothing.yaml")


@pytest.mark.parametrize("name", ["media/intro\x00.wav", "media/intro\n.wav", "media/\x7f.png"])
def test_control_characters_in_a_media_path_are_refused(tmp_path: Path, name: str) -> None:
    # Found by the loader fuzzer: 'media: "media/intro\0.wav"' crashed load_case with
    # "ValueError: embedded null byte".
    data = case_data()
    data["segments"][0]["media"] = name
    (problem,) = problems(tmp_path, data)
    assert ":10: segments[0].media: " in problem
    assert problem.endswith("holds a control character: not a usable file name")
    assert "\n" not in problem and "\x00" not in problem


def test_unconditional_branch(tmp_path: Path) -> None:
    data = case_data()
    data["segments"][0]["key_points"][0]["branches"] = [{"to": "shock"}]
    data["segments"][0].pop("next")
    data["segments"][2]["next"] = "exam"
    branch = load_case(write_case(tmp_path, data)).key_point("kp1")[1].branches[0]
    assert (branch.to, branch.item, branch.equals) == ("shock", None, None)


def test_a_segment_sets_where_its_captions_go(tmp_path: Path) -> None:
    data = case_data()
    data["segments"][0]["caption_position"] = "below"
    case = load_case(write_case(tmp_path, data).parent)
    assert [s.caption_position for s in case.segments] == ["below", "auto", "auto"]


def test_an_unknown_caption_position_is_placed_and_lists_the_choices(tmp_path: Path) -> None:
    data = case_data()
    data["segments"][0]["caption_position"] = "under"
    (found,) = problems(tmp_path, data)
    assert "segments[0].caption_position: 'under' is not one of 'auto', 'below', 'over'" in found
