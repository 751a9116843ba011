"""Media as item writers bring it: each file is presented exactly, or refused by validate with
the fix named, and `casebook media normalize` turns it into a file that is presented exactly."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import av
import pytest
from casefactory import write_case
from clipmatrix import (
    AUDIO,
    MATRIX,
    NTSC,
    RATE_CHANGE,
    VFR,
    constant,
    make_audio,
    make_clip,
    shown,
    shown_as_due,
)

from casebook_player.cli import main
from casebook_player.core.case.loader import load_case
from casebook_player.core.case.normalize import NormalizeError, constant_rate, normalize
from casebook_player.core.case.probe import ProbeError, presentation_problems, probe_media
from casebook_player.core.case.problems import CaseError

FIX = "casebook media normalize"


@pytest.fixture(autouse=True)
def quiet_encoders() -> None:
    av.logging.set_level(av.logging.ERROR)


def made(tmp_path: Path, name: str) -> Path:
    return make_clip(tmp_path / name, **MATRIX[name][0])


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_validate_accepts_a_clip_only_where_it_is_exact(tmp_path: Path, name: str) -> None:
    problems = presentation_problems(probe_media(made(tmp_path, name)), name, True)
    expected = MATRIX[name][1]
    if expected is None:
        assert problems == []
    else:
        assert problems and any(expected in p for p in problems), problems
        assert all(FIX in p for p in problems)


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_a_normalized_clip_is_exact_and_shows_the_frame_due(tmp_path: Path, name: str) -> None:
    source = made(tmp_path, name)
    report = normalize(source, tmp_path / "out")
    probe = probe_media(report.target)
    assert presentation_problems(probe, report.target.name, True) == []
    assert probe.frames == report.frames_out and report.frame_rate is not None
    times = sorted(MATRIX[name][0]["times"])
    rate = float(report.frame_rate)
    for at, index in shown(report.target):
        assert shown_as_due(times, at, index, rate), (name, at, index)
    assert report.largest_shift_ms <= 1000 / float(report.frame_rate) + 0.5


def test_the_report_counts_frames_duplicated_and_dropped(tmp_path: Path) -> None:
    report = normalize(made(tmp_path, "rate-change.mp4"), tmp_path / "out")
    assert report.frame_rate == 60  # the typical interval: most frames are 1/60 s apart
    assert report.frames_in == len(RATE_CHANGE) == 45
    assert (report.frames_out, report.duplicated, report.dropped) == (60, 15, 0)
    assert "15 duplicated, 0 dropped" in report.summary()
    times = [*constant(25, 0.4), 0.41, 0.42, *(0.44 + t for t in constant(25, 0.4))]
    burst = normalize(make_clip(tmp_path / "burst.mp4", times), tmp_path / "out")
    assert burst.frame_rate == 25 and burst.dropped == 1  # 0.41 and 0.42 s share one slot
    assert burst.frames_in == burst.frames_out - burst.duplicated + burst.dropped


def test_a_normalized_clip_keeps_its_audio_in_step(tmp_path: Path) -> None:
    report = normalize(made(tmp_path, "with-mp3.mp4"), tmp_path / "out")
    probe = probe_media(report.target)
    assert probe.audio_codec == "aac" and probe.video_codec == "h264"


@pytest.mark.parametrize("name", sorted(AUDIO))
def test_audio_only_narration_is_accepted_and_converts(tmp_path: Path, name: str) -> None:
    source = make_audio(tmp_path / name, *AUDIO[name])
    assert presentation_problems(probe_media(source), name, False) == []
    assert "holds no video" in presentation_problems(probe_media(source), name, True)[0]
    report = normalize(source, tmp_path / "out")
    assert report.target.suffix == ".m4a" and probe_media(report.target).audio_codec == "aac"


def test_rates_are_snapped_to_what_the_camera_meant() -> None:
    assert constant_rate(constant(NTSC, 2.0)) == Fraction(30000, 1001)
    assert constant_rate([round(t * 600) / 600 for t in constant(NTSC, 2.0)]) == Fraction(
        30000, 1001
    )
    assert constant_rate(constant(25, 1.0)) == 25


def test_unreadable_files_are_refused_clearly(tmp_path: Path) -> None:
    bad = tmp_path / "clip.mp4"
    bad.write_bytes(b"\x00\x00\x00\x18ftypisom")
    with pytest.raises(ProbeError, match="FFmpeg cannot read it"):
        probe_media(bad)
    with pytest.raises(NormalizeError, match="FFmpeg cannot read it"):
        normalize(bad, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_normalize_never_writes_over_its_source(tmp_path: Path) -> None:
    source = made(tmp_path, "vfr.mp4")
    before = source.read_bytes()
    with pytest.raises(NormalizeError, match="would replace it"):
        normalize(source, tmp_path)
    assert source.read_bytes() == before


def test_the_command_converts_each_file_and_reports_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = [made(tmp_path, "vfr.mp4"), made(tmp_path, "mjpeg.avi")]
    bad = tmp_path / "bad.mov"
    bad.write_bytes(b"junk")
    out = tmp_path / "converted"
    assert main(["media", "normalize", *map(str, files), str(bad), "--out", str(out)]) == 1
    captured = capsys.readouterr()
    assert "vfr.mp4 -> vfr.mp4:" in captured.out and "mjpeg.avi -> mjpeg.mp4:" in captured.out
    assert f"{bad}: FFmpeg cannot read it" in captured.err
    assert sorted(p.name for p in out.iterdir()) == ["mjpeg.mp4", "vfr.mp4"]
    assert main(["media", "normalize", str(tmp_path / "none.mp4"), "--out", str(out)]) == 2


def test_validate_reports_each_clip_it_cannot_present_at_its_line(tmp_path: Path) -> None:
    script = write_case(tmp_path / "case")
    case_dir = script.parent
    make_clip(case_dir / "media" / "clip.mp4", VFR)
    with pytest.raises(CaseError) as info:
        load_case(case_dir)
    (problem,) = info.value.problems
    text = str(problem)
    assert text.startswith(f"{script}:") and ".media[0].file:" in text
    assert "'media/clip.mp4': variable frame rate" in text and FIX in text


def test_an_output_folder_that_cannot_be_made_is_a_clear_error(tmp_path: Path) -> None:
    source = make_clip(tmp_path / "clip.mp4", constant(25, 0.2))
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(NormalizeError, match="cannot write there"):
        normalize(source, blocker / "out")
