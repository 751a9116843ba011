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
    assert sorted(p.name for p in out.iterdir()) == ["cine.mp4", "still.png"]
    assert "masked rectangle [0, 0, 160, 16]" in printed
    assert "- id: cine\n  kind: clip\n  file: media/cine.mp4" in printed
    assert "25.000 fps, 0.400 s" in printed
    snippet = printed[printed.index("- id: cine") :].split("\n\n")[0]
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
    assert (tmp_path / "o" / "good.png").is_file()
    with pytest.raises(SystemExit) as exit_:
        main(["media", "import-dicom", str(good), "--out", str(tmp_path), "--mask", "1,2"])
    assert exit_.value.code == 2
    assert "'1,2' is not X0,Y0,X1,Y1" in capsys.readouterr().err
