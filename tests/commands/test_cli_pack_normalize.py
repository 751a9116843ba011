"""``casebook pack --normalize``: media the player cannot present exactly, converted into the
package; the case folder itself left as it was."""

from __future__ import annotations

from pathlib import Path

import pytest
from casefactory import write_case
from clipmatrix import MATRIX, make_clip

from casebook_player.cli import main
from casebook_player.core.case.probe import presentation_problems, probe_media
from casebook_player.core.crypto.keys import load_public_key
from casebook_player.core.delivery.packages import open_package
from casebook_player.core.delivery.trust import TrustedKeys

pytestmark = pytest.mark.usefixtures("own_user_dirs")


@pytest.fixture
def signing(tmp_path: Path) -> tuple[Path, Path]:
    assert main(["keygen", "--out", str(tmp_path / "keys")]) == 0
    return tmp_path / "keys" / "casebook-signing.key", tmp_path / "keys" / "casebook-signing.pub"


def avi_case(folder: Path) -> Path:
    """A case whose clip is an MJPEG AVI, as ultrasound machines export them."""
    script = write_case(folder)
    (folder / "media" / "clip.mp4").unlink()
    make_clip(folder / "media" / "clip.avi", **MATRIX["mjpeg.avi"][0])
    script.write_text(script.read_text().replace("media/clip.mp4", "media/clip.avi"))
    return script


def test_pack_names_the_fix_and_packs_nothing(
    tmp_path: Path, signing: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    script = avi_case(tmp_path / "case")
    out = tmp_path / "case.cbk"
    assert main(["pack", str(script.parent), "--sign", str(signing[0]), "--out", str(out)]) == 1
    printed = capsys.readouterr()
    assert "case.yaml:" in printed.out and "video codec mjpeg" in printed.out
    assert "pack with --normalize" in printed.out
    assert not out.exists()


def test_pack_normalize_converts_into_the_package_only(
    tmp_path: Path, signing: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    script = avi_case(tmp_path / "case")
    before = {p: p.read_bytes() for p in script.parent.rglob("*") if p.is_file()}
    out = tmp_path / "case.cbk"
    args = ["pack", str(script.parent), "--sign", str(signing[0]), "--out", str(out)]
    assert main([*args, "--normalize"]) == 0
    printed = capsys.readouterr().out
    assert "converted clip.avi -> clip.mp4: 25.000 fps" in printed
    assert {p: p.read_bytes() for p in script.parent.rglob("*") if p.is_file()} == before
    trusted = TrustedKeys.of([load_public_key(signing[1])], "test")
    with open_package(out, trusted) as opened:
        case = opened.load_case()
        media = case.segments[0].key_points[0].media[0]
        assert media.path.name == "clip.mp4"
        probe = probe_media(media.path)
        assert presentation_problems(probe, "clip.mp4", True) == []


def test_pack_normalize_keeps_a_name_already_taken(
    tmp_path: Path, signing: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    script = avi_case(tmp_path / "case")
    (script.parent / "media" / "clip.mp4").write_bytes(b"another file of the case")
    out = tmp_path / "case.cbk"
    args = ["pack", str(script.parent), "--sign", str(signing[0]), "--out", str(out)]
    assert main([*args, "--normalize"]) == 0
    trusted = TrustedKeys.of([load_public_key(signing[1])], "test")
    with open_package(out, trusted) as opened:
        media = opened.load_case().segments[0].key_points[0].media[0]
        assert media.path.name == "clip-normalized.mp4"


def test_pack_normalize_does_not_hide_other_problems(
    tmp_path: Path, signing: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    script = avi_case(tmp_path / "case")
    script.write_text(script.read_text().replace("title: A test case", "title: 7"))
    out = tmp_path / "case.cbk"
    args = ["pack", str(script.parent), "--sign", str(signing[0]), "--out", str(out)]
    assert main([*args, "--normalize"]) == 1
    printed = capsys.readouterr().out
    assert "title" in printed and "pack with --normalize" not in printed and not out.exists()
