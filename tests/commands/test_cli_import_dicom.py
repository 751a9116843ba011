"""``casebook media import-dicom``: a folder of DICOM files into case media and snippets."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from dicomfactory import IDENTIFIERS, write_us

from casebook_player.cli import main


def test_a_folder_is_imported_with_a_snippet_per_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "dicom"
    folder.mkdir()
    write_us(folder / "cine.dcm")
    write_us(folder / "still.dcm", frames=1)
    out = tmp_path / "case" / "media"
    assert main(["media", "import-dicom", str(folder), "--out", str(out), "--mask"]) == 0
    printed = capsys.readouterr().out
    names = ["us-001.mp4", "us-001.yaml", "us-002.png", "us-002.yaml"]
    assert sorted(p.name for p in out.iterdir()) == names
    assert "masked rectangle [0, 0, 160, 16]" in printed
    assert "- id: us-001\n  kind: clip\n  file: media/us-001.mp4" in printed
    assert "25.000 fps, 0.400 s" in printed
    snippet = printed[printed.index("- id: us-001") :].split("\n\n")[0]
    assert yaml.safe_load(snippet)[0]["pixel_spacing_mm"] == 0.25
    assert not any(identifier in printed for identifier in IDENTIFIERS)


def test_a_bad_file_fails_alone_and_a_bad_mask_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    junk = tmp_path / "junk.dcm"
    junk.write_bytes(b"junk")
    good = write_us(tmp_path / "good.dcm", frames=1)
    assert main(["media", "import-dicom", str(junk), str(good), "--out", str(tmp_path / "o")]) == 1
    captured = capsys.readouterr()
    assert "junk.dcm: not a DICOM file" in captured.err and "Traceback" not in captured.err
    assert (tmp_path / "o" / "us-001.png").is_file()
    assert (tmp_path / "o" / "us-001.yaml").is_file()
    with pytest.raises(SystemExit) as exit_:
        main(["media", "import-dicom", str(good), "--out", str(tmp_path), "--mask", "1,2"])
    assert exit_.value.code == 2
    assert "'1,2' is not X0,Y0,X1,Y1" in capsys.readouterr().err


def test_output_names_never_come_from_the_source(tmp_path: Path) -> None:
    """Machines name files by patient, date or UID: the output is us-NNN, and a second
    import goes on from the last number rather than over it."""
    source = write_us(tmp_path / "DOE^JANE_19800101_1.2.840.113619.dcm", frames=1)
    out = tmp_path / "media"
    assert main(["media", "import-dicom", str(source), "--out", str(out)]) == 0
    assert main(["media", "import-dicom", str(source), "--out", str(out)]) == 0
    pictures = sorted(p.name for p in out.iterdir() if p.suffix == ".png")
    assert pictures == ["us-001.png", "us-002.png"]


def test_text_left_outside_the_regions_is_warned_about_and_counted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = write_us(tmp_path / "cine.dcm", frames=3)
    out = tmp_path / "media"
    assert main(["media", "import-dicom", str(source), "--out", str(out)]) == 0
    captured = capsys.readouterr()
    assert "WARNING: us-001.mp4: text-like marks remain" in captured.out
    assert "casebook media import-dicom: WARNING: us-001.mp4" in captured.err
    assert "1 of 1 imported with text-like marks left outside" in captured.err
    assert (out / "us-001.mp4").is_file()
    assert main(["media", "import-dicom", str(source), "--out", str(out), "--mask"]) == 0
    assert "WARNING" not in capsys.readouterr().err
