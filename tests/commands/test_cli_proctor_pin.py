"""A centre's proctor PIN file: ``casebook proctor-pin`` writes it, ``play --kiosk --pin-file``
takes it instead of a PIN set by whoever starts the player."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from casefactory import write_case

from casebook_player.cli import main
from casebook_player.core.crypto.pin import PinError, PinHash
from casebook_player.ui import app

pytestmark = pytest.mark.usefixtures("own_user_dirs")


def test_the_pin_file_holds_only_a_hash_that_matches_the_pin(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CASEBOOK_PROCTOR_PIN", "482913")
    out = tmp_path / "proctor.pin"
    assert main(["proctor-pin", "--out", str(out)]) == 0
    assert b"482913" not in out.read_bytes()
    pin = PinHash.from_file(out)
    assert pin.matches("482913") and not pin.matches("482914")


def test_a_pin_that_is_too_short_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CASEBOOK_PROCTOR_PIN", "12")
    out = tmp_path / "proctor.pin"
    assert main(["proctor-pin", "--out", str(out)]) == 1
    assert "at least 4 digits" in capsys.readouterr().err and not out.exists()


def test_without_a_terminal_or_the_variable_it_says_how(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["proctor-pin", "--out", str(tmp_path / "p")]) == 1
    assert "CASEBOOK_PROCTOR_PIN" in capsys.readouterr().err


@pytest.mark.parametrize(
    "content", ["", "casebook-pin/1 abc", "casebook-pin/2 AAAA AAAA", "casebook-pin/1 AAAA AAAA"]
)
def test_a_damaged_pin_file_is_refused(tmp_path: Path, content: str) -> None:
    path = tmp_path / "proctor.pin"
    path.write_text(content)
    with pytest.raises(PinError, match=str(path)):
        PinHash.from_file(path)


def test_play_takes_the_centre_pin(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CASEBOOK_PROCTOR_PIN", "482913")
    pin_file = tmp_path / "proctor.pin"
    assert main(["proctor-pin", "--out", str(pin_file)]) == 0
    case = write_case(tmp_path / "case").parent
    seen: list[Any] = []
    monkeypatch.setattr(app, "run_player", lambda path, options: seen.append(options) or 0)
    assert main(["play", str(case), "--kiosk", "--pin-file", str(pin_file)]) == 0
    assert seen[0].proctor and seen[0].proctor_pin.matches("482913")
    assert main(["play", str(case), "--pin-file", str(pin_file)]) == 2  # only with --kiosk
    pin_file.write_text("not a pin file")
    assert main(["play", str(case), "--kiosk", "--pin-file", str(pin_file)]) == 1
    assert "is not a PIN file" in capsys.readouterr().err
