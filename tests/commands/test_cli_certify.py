"""``casebook certify`` over the sample records, the badge and PDF it issues, ``verify`` and
``revoke`` on the badge, and ``review-submission`` end to end."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path
from typing import Any

import pytest

from casebook_player.cli import main

ROOT = Path(__file__).resolve().parents[2]
PROGRAMME = ROOT / "programme"
SAMPLE_TODAY = "2026-04-15"  # tools/make_sample_candidates.py dates the records for it


def certify(folder: Path, *extra: str) -> int:
    return main(
        [
            "certify",
            str(folder),
            "--programme",
            str(PROGRAMME / "programme.yaml"),
            "--keys",
            str(PROGRAMME / "keys"),
            "--today",
            SAMPLE_TODAY,
            *extra,
        ]
    )


@pytest.fixture
def records(tmp_path: Path) -> Path:
    """A copy of the sample records, to change or to issue into."""
    return Path(shutil.copytree(PROGRAMME / "candidates", tmp_path / "candidates"))


def test_the_sample_candidates_come_out_as_described(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    table = tmp_path / "progress.csv"
    assert certify(PROGRAMME / "candidates", "--csv", str(table)) == 1
    out = capsys.readouterr().out
    with table.open(encoding="utf-8") as file:
        rows = {row["candidate"]: row for row in csv.DictReader(file)}
    assert {c: r["decision"] for c, r in rows.items()} == {
        "C-1001": "certified",
        "C-1002": "not certified",
        "C-1003": "not certified",
        "C-1004": "not certified",
        "C-1005": "not certified",
    }
    assert rows["C-1002"]["missing"] == "peer lung 1/2"
    assert rows["C-1002"]["days left"] == "17"
    assert rows["C-1003"]["missing"] == "assessment lung late"
    assert "7 days past the 90-day window" in rows["C-1003"]["reasons"]
    assert rows["C-1004"]["missing"] == "assessment lung failed"
    assert "12 days left of 30" in rows["C-1004"]["reasons"]
    assert rows["C-1005"]["missing"] == "videos aaa resubmit"
    assert "a newer submission passed by a reviewer is needed" in rows["C-1005"]["reasons"]
    assert "1 of 5 certified" in out


def test_one_record_prints_every_reason_and_what_counted(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert certify(PROGRAMME / "candidates" / "C-1001") == 0
    out = capsys.readouterr().out
    assert "CERTIFIED" in out and "17 days left" in out
    assert "✓ peer evaluation for lung by E-1" in out and "by E-2" in out
    # The third valid evaluation is listed, not counted.
    assert "3rd evaluation of C-1001 lung by E-3 (only the first two count)" in out
    assert certify(PROGRAMME / "candidates" / "C-1004") == 1
    assert "✗ reapply wait: last unsuccessful result 2026-03-28, 12 days left of 30" in (
        capsys.readouterr().out
    )


def test_an_altered_evaluation_does_not_count(
    records: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    evaluation = records / "C-1001" / "evaluations" / "peer-lung--E-2.signed.json"
    before, signature = evaluation.read_text(encoding="ascii").split('"signature":"')
    flipped = ("B" if signature[0] == "A" else "A") + signature[1:]
    evaluation.write_text(f'{before}"signature":"{flipped}', encoding="ascii")
    # E-3's evaluation, ignored as the third, now counts in E-2's place.
    assert certify(records / "C-1001") == 0
    out = capsys.readouterr().out
    assert "peer-lung--E-2.signed.json: the evaluation file was altered" in out
    (records / "C-1001" / "evaluations" / "peer-lung--E-3.signed.json").unlink()
    assert certify(records / "C-1001") == 1
    assert "peer evaluation for lung: 1 of 2 valid" in capsys.readouterr().out


def test_components_signed_by_an_untrusted_key_do_not_count(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["keygen", "--out", str(tmp_path / "other")]) == 0
    code = main(
        [
            "certify",
            str(PROGRAMME / "candidates" / "C-1001"),
            "--programme",
            str(PROGRAMME / "programme.yaml"),
            "--keys",
            str(tmp_path / "other" / "casebook-signing.pub"),
            "--today",
            SAMPLE_TODAY,
        ]
    )
    assert code == 1
    out = capsys.readouterr().out
    assert "assessment for lung: no result that counts" in out
    assert "peer evaluation for lung: 0 of 2 valid" in out


def test_certified_candidates_get_a_badge_that_verifies_and_can_be_revoked(
    records: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["keygen", "--out", str(tmp_path / "programme-key")]) == 0
    key, public = (
        tmp_path / "programme-key" / n for n in ("casebook-signing.key", "casebook-signing.pub")
    )
    assert certify(records, "--sign", str(key)) == 1  # four are not certified
    issued = sorted(p.name for p in (records / "C-1001" / "certificates").iterdir())
    assert issued == ["C-1001--lung-certificate.badge.jwt", "C-1001--lung-certificate.pdf"]
    assert not (records / "C-1002" / "certificates").exists()
    pdf = records / "C-1001" / "certificates" / "C-1001--lung-certificate.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")
    badge = records / "C-1001" / "certificates" / "C-1001--lung-certificate.badge.jwt"
    capsys.readouterr()

    assert main(["verify", str(badge), "--key", str(public)]) == 0
    out = capsys.readouterr().out
    assert "valid badge" in out and "awarded to Dr Sample 1001 (C-1001)" in out
    assert "POCUS Clinical Certificate — Lung" in out

    revocations = tmp_path / "revocations.signed.json"
    assert (
        main(
            [
                "revoke",
                str(badge),
                "--key",
                str(key),
                "--list",
                str(revocations),
                "--reason",
                "attestation found false",
                "--today",
                "2026-05-01",
            ]
        )
        == 0
    )
    capsys.readouterr()
    assert (
        main(["verify", str(badge), "--key", str(public), "--revocations", str(revocations)]) == 1
    )
    assert "REVOKED on 2026-05-01: attestation found false" in capsys.readouterr().out

    assert main(["verify", str(badge), "--key", str(PROGRAMME / "keys" / "centre.pub")]) == 1
    assert "not the programme key given" in capsys.readouterr().err


def test_review_submission_then_certify_the_specialty(
    records: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    qtbot: Any,
) -> None:
    """A newer submission, passed by a reviewer, replaces the one sent back."""
    from videofactory import make_png, make_video

    keys = tmp_path / "keys"
    for role in ("office", "reviewer"):
        assert main(["keygen", "--out", str(keys / role)]) == 0
        shutil.copy(keys / role / "casebook-signing.pub", tmp_path / f"{role}.pub")
    sent = tmp_path / "sent"
    sent.mkdir()
    make_video(sent / "normal.mp4", seconds=5.5, fps=2)
    make_video(sent / "pathology.mp4", seconds=5.5, fps=2)
    make_png(sent / "measurement.png")
    submission = records / "C-1005" / "submissions" / "aaa-2026-03-01"
    assert (
        main(
            [
                "check-submission",
                str(sent),
                "--area",
                "aaa",
                "--out",
                str(submission),
                "--sign",
                str(keys / "office" / "casebook-signing.key"),
                "--candidate",
                "C-1005",
                "--at",
                "2026-03-01T10:00:00Z",
            ]
        )
        == 0
    )
    trusted = [
        "--keys",
        str(PROGRAMME / "keys"),
        str(tmp_path / "office.pub"),
        str(tmp_path / "reviewer.pub"),
    ]
    review = [
        "review-submission",
        str(submission),
        "--programme",
        str(PROGRAMME / "programme.yaml"),
        *trusted,
        "--reviewer",
        "R-8",
        "--sign",
        str(keys / "reviewer" / "casebook-signing.key"),
        "--at",
        "2026-03-03T10:00:00Z",
    ]
    assert main([*review, "--verdict", "maybe"]) == 2
    assert main([*review, "--verdict", "resubmit"]) == 1  # sending back needs comments
    assert "needs comments" in capsys.readouterr().err
    assert main([*review, "--verdict", "pass"]) == 0
    assert len(list((records / "C-1005" / "reviews").glob("*.json"))) == 2
    capsys.readouterr()
    code = main(
        [
            "certify",
            str(records / "C-1005"),
            "--programme",
            str(PROGRAMME / "programme.yaml"),
            *trusted,
            "--today",
            SAMPLE_TODAY,
        ]
    )
    out = capsys.readouterr().out
    assert code == 0, out
    assert "(aaa-2026-03-01, checked 2026-03-01): passed by R-8 on 2026-03-03" in out

    # Without --verdict the reviewer chooses in the window; saving signs through core.
    from casebook_player.ui import submission_review

    def reviewer_in_window(summary: list[str], verdicts: Any, save: Any, _hc: bool) -> int:
        window = submission_review.ReviewWindow(summary, verdicts, save)
        assert "Candidate: C-1005" in window.summary.text()
        window.choose([v.id for v in verdicts].index("resubmit"))
        window.submit()  # no comments: refused by core, said in the window
        assert window.saved_path is None and "needs comments" in window.status.text()
        window.comments.setPlainText("Hold the probe still for the whole sweep.")
        window.submit()
        assert window.saved_path is not None and not window.save_button.isEnabled()
        return 0

    monkeypatch.setattr(submission_review, "run_review_window", reviewer_in_window)
    assert main(review) == 0  # the same second as the pass: written beside it, not over it
    assert len(list((records / "C-1005" / "reviews").glob("*.json"))) == 3


def test_usage_errors_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert certify(tmp_path / "nowhere") == 2
    assert certify(tmp_path) == 2  # no records in it
    assert certify(PROGRAMME / "candidates", "--today", "15/04/2026") == 2
    bad = tmp_path / "programme.yaml"
    bad.write_text("format: 1\nkind: certification-programme\n", encoding="utf-8")
    code = main(
        [
            "certify",
            str(PROGRAMME / "candidates"),
            "--programme",
            str(bad),
            "--keys",
            str(PROGRAMME / "keys"),
        ]
    )
    assert code == 1
    assert f"{bad}:1:1: (programme): 'id' is a required property" in capsys.readouterr().err
