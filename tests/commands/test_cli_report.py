from __future__ import annotations

from pathlib import Path

import pytest
from casefactory import write_case

from casebook_player.cli import main


@pytest.fixture
def results(tmp_path: Path) -> dict[str, Path]:
    write_case(tmp_path / "case")
    main(["keygen", "--out", str(tmp_path / "keys")])
    plain, signed = tmp_path / "plain.json", tmp_path / "signed.json"
    main(["simulate", str(tmp_path / "case"), "--responses", "correct", "--out", str(plain)])
    key = str(tmp_path / "keys" / "casebook-signing.key")
    sim = ["simulate", str(tmp_path / "case"), "--responses", "correct"]
    main([*sim, "--sign", key, "--out", str(signed)])
    return {"plain": plain, "signed": signed, "pub": tmp_path / "keys" / "casebook-signing.pub"}


def pdf_pages(path: Path) -> int:
    data = path.read_bytes()
    assert data.startswith(b"%PDF")
    return data.count(b"/Type /Page\n") + data.count(b"/Type /Page ") + data.count(b"/Type /Page>")


def test_report_of_a_plain_result(results: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "plain.pdf"
    assert main(["report", str(results["plain"]), "--pdf", str(out)]) == 0
    assert pdf_pages(out) == 1


def test_report_of_a_signed_result_checks_the_signature(
    results: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "signed.pdf"
    assert (
        main(["report", str(results["signed"]), "--pdf", str(out), "--key", str(results["pub"])])
        == 0
    )
    assert main(["report", str(results["signed"]), "--pdf", str(out)]) == 0
    assert "signature NOT checked" in capsys.readouterr().err
    data = bytearray(results["signed"].read_bytes())
    data[40] ^= 0x02
    results["signed"].write_bytes(bytes(data))
    assert (
        main(["report", str(results["signed"]), "--pdf", str(out), "--key", str(results["pub"])])
        == 1
    )
    assert "altered" in capsys.readouterr().err


@pytest.mark.parametrize("content", [b"", b"{}", b"not json", b'{"format": "x"}'])
def test_report_refuses_what_is_not_a_result(
    tmp_path: Path, content: bytes, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_bytes(content)
    assert main(["report", str(bad), "--pdf", str(tmp_path / "x.pdf")]) == 1
    assert "Traceback" not in capsys.readouterr().err
    assert not (tmp_path / "x.pdf").exists()
