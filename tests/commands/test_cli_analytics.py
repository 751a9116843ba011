"""casebook archive, stats and standard-setting from the command line, end to end."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from choicecases import write_choice_case

from casebook_player.cli import main
from casebook_player.core.analytics import archive, synthetic
from casebook_player.core.case.loader import load_case
from casebook_player.core.crypto.keys import generate_keypair, load_private_key

ROOT = Path(__file__).resolve().parents[2]


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture
def programme(tmp_path: Path) -> dict[str, Path]:
    private, public = generate_keypair(tmp_path / "keys", None)
    case_file = write_choice_case(tmp_path / "case", 6, cut_score=50)
    case = load_case(case_file)
    synthetic.write_signed(
        case, synthetic.Cohort(60, seed=2), load_private_key(private, None), tmp_path / "results"
    )
    return {
        "public": public,
        "case": case_file.parent,
        "results": tmp_path / "results",
        "archive": tmp_path / "a.duckdb",
        "root": tmp_path,
    }


def add(p: dict[str, Path], *extra: str) -> int:
    return main(
        [
            "archive",
            "add",
            str(p["results"]),
            "--key",
            str(p["public"]),
            "--archive",
            str(p["archive"]),
            *extra,
        ]
    )


def test_add_then_again_then_refused(
    programme: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    assert add(programme) == 0
    first = capsys.readouterr().out
    assert first.endswith(" added, 0 already archived, 0 refused\n")
    assert add(programme) == 0
    assert "0 added" in capsys.readouterr().out
    bad = programme["results"] / "zz-altered.json"
    bad.write_text("{}")
    assert add(programme) == 1
    out = capsys.readouterr().out
    assert f"NOT VALID: {bad}: " in out and "1 refused" in out


def test_progress_shown_on_a_long_run_at_a_terminal_only(
    programme: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(archive, "CHUNK_FILES", 20)  # 60+ files: a long run
    for extra, tty, shown in (((), True, True), (("--quiet",), True, False), ((), False, False)):
        stream = Terminal() if tty else io.StringIO()
        monkeypatch.setattr(sys, "stderr", stream)
        programme["archive"].unlink(missing_ok=True)
        assert add(programme, *extra) == 0
        assert ("verifying" in stream.getvalue() and " 100 %" in stream.getvalue()) is shown


def test_stats_writes_the_report_and_table(
    programme: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    add(programme)
    out_dir = programme["root"] / "stats"
    assert (
        main(
            [
                "stats",
                "--archive",
                str(programme["archive"]),
                "--case",
                str(programme["case"]),
                "--out",
                str(out_dir),
            ]
        )
        == 0
    )
    said = capsys.readouterr().out
    assert "choice-case 1.0.0: 60 candidates" in said
    html = (out_dir / "report.html").read_text()
    assert html.count("data:image/png;base64,") >= 2 and "Decision consistency" in html
    assert (out_dir / "items.csv").read_text().count("\n") == 7  # header and 6 items
    assert (out_dir / "items.parquet").stat().st_size > 0


def test_stats_of_an_unknown_archive_is_a_usage_error(tmp_path: Path) -> None:
    assert (
        main(
            [
                "stats",
                "--archive",
                str(tmp_path / "none"),
                "--case",
                str(tmp_path),
                "--out",
                str(tmp_path),
            ]
        )
        == 2
    )


def test_standard_setting_writes_the_cut(
    programme: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    add(programme)
    capsys.readouterr()
    ratings = programme["root"] / "ratings.yaml"
    judges = "\n".join(
        f"    {j}: {{{', '.join(f'q{n}: {r}' for n in range(1, 7))}}}"
        for j, r in (("a", 0.6), ("b", 0.7))
    )
    ratings.write_text(
        f"case: case\nrounds:\n  -\n{judges}\n"
        "hofstee:\n  a: {min_cut: 40, max_cut: 80, min_fail: 5, max_fail: 60}\n"
    )
    case_yaml = programme["case"] / "case.yaml"
    assert (
        main(
            [
                "standard-setting",
                str(ratings),
                "--archive",
                str(programme["archive"]),
                "--write-cut",
                str(case_yaml),
            ]
        )
        == 0
    )
    said = capsys.readouterr().out
    assert "Angoff round 1: cut 65.0 % (SE 5.00" in said
    assert "Hofstee: cut " in said and "impact: at 65 % the archive's pass rate is" in said
    assert load_case(case_yaml).cut_score == 65.0


def test_standard_setting_reports_bad_ratings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_choice_case(tmp_path / "case", 2)
    ratings = tmp_path / "r.yaml"
    ratings.write_text("case: case\nrounds:\n  - a: {q1: 0.5, q2: x}\n")
    assert main(["standard-setting", str(ratings)]) == 1
    assert f"{ratings}:3:22: rounds[0].a.q2: expected a probability" in capsys.readouterr().err


def test_the_sample_archive_flags_the_flawed_items(tmp_path: Path) -> None:
    run = subprocess.run(
        [
            sys.executable,
            str(ROOT / "tools" / "make_sample_archive.py"),
            "--out",
            str(tmp_path),
            "--candidates",
            "300",
            "--cases",
            str(ROOT / "cases" / "lung-pneumothorax"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    flags = [line for line in run.stdout.splitlines() if line.startswith("  FLAG")]
    assert any(f.startswith("  FLAG q-first-site: easy") for f in flags)
    sliding = next(f for f in flags if f.startswith("  FLAG q-sliding"))
    assert "negative discrimination" in sliding and "distractor left-b" in sliding
    assert (tmp_path / "report" / "report.html").is_file()
