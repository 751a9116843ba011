"""``casebook check-submission`` and ``verify-submission`` end to end."""

from __future__ import annotations

from pathlib import Path

import av
import pytest
from videofactory import IDENTIFYING, make_jpeg, make_video

from casebook_player.cli import main


@pytest.fixture
def keys(tmp_path: Path) -> Path:
    assert main(["keygen", "--out", str(tmp_path / "keys")]) == 0
    return tmp_path / "keys"


@pytest.fixture
def submission(tmp_path: Path) -> Path:
    folder = tmp_path / "aaa"
    folder.mkdir()
    make_video(folder / "Normal aorta.mp4", metadata=IDENTIFYING, handler_name="DOE^JANE")
    make_video(folder / "pathology 5 cm AAA.mp4", seconds=8)
    make_jpeg(folder / "measurement.jpg", make="Acme", comment="DOE^JANE")
    return folder


def test_check_write_sign_and_verify(
    submission: Path, keys: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    out = tmp_path / "clean"
    args = ["check-submission", str(submission), "--area", "aaa", "--out", str(out)]
    assert main([*args, "--sign", str(keys / "casebook-signing.key"), "--candidate", "C-7"]) == 0
    printed = capsys.readouterr().out
    assert "✓ normal      Normal aorta.mp4 (64×48, 6.0 s)" in printed
    assert "container: serial_number = SN******** (10 characters)" in printed
    assert "stream #0 (video): handler_name = DO****** (8 characters)" in printed
    assert "JPEG APP1 EXIF" in printed
    assert "SN-0012345" not in printed and "DOE^JANE" not in printed
    assert sorted(p.name for p in out.iterdir()) == [
        "manifest.signed.json",
        "measurement.jpg",
        "normal.mp4",
        "pathology.mp4",
    ]
    with av.open(str(out / "normal.mp4")) as clean:
        assert "serial_number" not in clean.metadata and "location" not in clean.metadata
    public = str(keys / "casebook-signing.pub")
    assert main(["verify-submission", str(out), "--key", public]) == 0
    assert "VALID: nothing changed since the check" in capsys.readouterr().out
    (out / "normal.mp4").write_bytes((out / "normal.mp4").read_bytes()[:-1])
    assert main(["verify-submission", str(out), "--key", public]) == 1
    assert "✗ normal.mp4: changed since it was checked" in capsys.readouterr().out


def test_problems_are_listed_and_nothing_is_written(
    submission: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make_video(submission / "pathology 5 cm AAA.mp4", seconds=2)
    (submission / "measurement.jpg").unlink()
    out = tmp_path / "clean"
    args = ["check-submission", str(submission), "--area", "aaa", "--out", str(out)]
    assert main(args) == 1
    printed = capsys.readouterr().out
    assert "2 problems:" in printed
    assert "✗ pathology 5 cm AAA.mp4: too short: 2.0 s; videos must last 5–60 s" in printed
    assert "✗ no still image with a measurement" in printed
    assert "nothing written" in printed and not out.exists()


def test_check_only_reports_what_would_be_removed(
    submission: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check-submission", str(submission), "--area", "aaa"]) == 0
    printed = capsys.readouterr().out
    assert "ok: the submission meets the rules" in printed
    assert "Normal aorta.mp4: would be removed:" in printed


def test_usage_errors(submission: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check-submission", str(tmp_path / "none"), "--area", "aaa"]) == 2
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "x").write_text("x")
    args = ["check-submission", str(submission), "--area", "aaa"]
    assert main([*args, "--out", str(busy)]) == 2
    assert "is not an empty folder" in capsys.readouterr().err
    assert main([*args, "--out", str(submission)]) == 2
    with pytest.raises(SystemExit):
        main(["check-submission", str(submission), "--area", "heart"])
    assert main(["verify-submission", str(submission), "--key", str(tmp_path / "no.pub")]) == 1
