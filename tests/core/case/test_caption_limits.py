"""Caption files past the documented limits are refused with their line, never loaded.

One 100 MB cue validated, then made the player hang at check-in; a million cues took 980 MB.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from casefactory import write_case

from casebook_player.core.case import captions
from casebook_player.core.case.captions import CaptionError, read_captions
from casebook_player.core.case.loader import load_case
from casebook_player.core.case.problems import CaseError


def vtt_cues(count: int, text: str = "x") -> str:
    cues = [f"{_hms(n)}.000 --> {_hms(n)}.500\n{text}\n" for n in range(count)]
    return "WEBVTT\n\n" + "\n".join(cues)


def _hms(n: int) -> str:
    return f"{n // 3600:02d}:{n // 60 % 60:02d}:{n % 60:02d}"


def srt_cues(count: int, text: str = "x") -> str:
    return "\n".join(
        f"{n + 1}\n00:00:{n % 60:02d},000 --> 00:00:{n % 60:02d},500\n{text}\n"
        for n in range(count)
    )


@pytest.mark.parametrize(("suffix", "cues"), [(".vtt", vtt_cues), (".srt", srt_cues)])
def test_the_limits_and_one_past_them(
    tmp_path: Path, suffix: str, cues: Callable[..., str]
) -> None:
    file = tmp_path / f"c{suffix}"
    file.write_text(cues(captions.MAX_CUES))
    assert len(read_captions(file).cues) == captions.MAX_CUES
    file.write_text(cues(1, "y" * captions.MAX_CUE_CHARS))
    assert len(read_captions(file).cues[0].text) == captions.MAX_CUE_CHARS

    file.write_text(cues(captions.MAX_CUES + 1))
    with pytest.raises(CaptionError, match="more than 10,000 cues") as many:
        read_captions(file)
    # The timing line of the first cue too many: SubRip blocks are 4 lines, WebVTT ones 3.
    expected = 4 * captions.MAX_CUES + 2 if suffix == ".srt" else 3 * captions.MAX_CUES + 3
    assert many.value.line == expected

    file.write_text(cues(2, "y" * (captions.MAX_CUE_CHARS + 1)))
    with pytest.raises(CaptionError, match="the cue has 1,001 characters") as long:
        read_captions(file)
    assert long.value.line == (2 if suffix == ".srt" else 3)


def test_a_file_past_the_size_limit_is_not_read_in_full(tmp_path: Path) -> None:
    file = tmp_path / "c.vtt"
    with file.open("w") as out:
        out.write("WEBVTT\n\n00:00.000 --> 00:01.000\n")
        out.write("y" * (100 * 1024 * 1024))  # the red team's 100 MB cue
    with pytest.raises(CaptionError, match="larger than 2,000,000 bytes") as caught:
        read_captions(file)
    assert caught.value.line == 1


def test_validate_names_the_file_and_line(tmp_path: Path) -> None:
    case = write_case(tmp_path)
    vtt = next((tmp_path / "media").glob("*.vtt"))
    vtt.write_text("WEBVTT\n\n00:00.000 --> 00:01.000\n" + "y" * 5000 + "\n")
    with pytest.raises(CaseError) as caught:
        load_case(case)
    assert any(
        f"{vtt.name}:3: the cue has 5,000 characters" in str(p) for p in caught.value.problems
    )
