"""Generate the sample candidates' records in programme/candidates with the real verbs.

    .venv/bin/python -m tools.make_sample_candidates

Results come from `casebook simulate`, peer evaluations from `evaluate --responses`, the
video submission from `check-submission` on tiny generated clips, its verdict from
`review-submission`; each dated with `--at` so that, decided as of 2026-04-15 (SAMPLE_TODAY),
the candidates come out as tests/commands/test_cli_certify_sample.py expects:

    C-1001  lung certificate: certified (a third peer evaluation is ignored)
    C-1002  lung certificate: one peer evaluation of two
    C-1003  lung certificate: the passing result came 7 days after the 90-day window
    C-1004  lung certificate: failed, 12 days left of the 30-day reapply wait
    C-1005  AAA specialty: the submission was sent back with comments, none newer passed

The signing keys are made afresh in a temporary folder and thrown away; only the public keys
are kept, in programme/keys/ (so regenerating changes every signature, and nobody holds the
sample keys afterwards). The records are replaced whole.
"""

from __future__ import annotations

import contextlib
import io
import shutil
import sys
import tempfile
from pathlib import Path

import yaml

from casebook_player.cli import main as casebook

ROOT = Path(__file__).resolve().parents[1]
PROGRAMME = ROOT / "programme"
SAMPLE_TODAY = "2026-04-15"
ROLES = ("centre", "evaluator-1", "evaluator-2", "evaluator-3", "office", "reviewer")
RATINGS = {
    "ratings": {
        "image_quality": 4,
        "gain": 4,
        "depth": 3,
        "transducer_placement": 4,
        "measurement_technique": 3,
        "compression": "n/a",
        "doppler_mmode": 3,
        "overall_experience": 4,
    },
    "comments": "Systematic and safe.",
}


def run(*argv: str) -> None:
    with contextlib.redirect_stdout(io.StringIO()) as out:
        status = casebook(list(argv))
    if status != 0:
        sys.exit(f"casebook {' '.join(argv)} failed ({status}):\n{out.getvalue()}")


def record(folder: Path, candidate: str, certificate: str, purchased: str, area: str) -> None:
    document = {
        "format": 1,
        "kind": "candidate-record",
        "id": candidate,
        "name": f"Dr Sample {candidate[-4:]}",
        "applications": [{"certificate": certificate, "purchased": purchased}],
        "prerequisites": [{"id": "fundamentals-certificate", "reference": f"F-{candidate}"}],
        "attestation": {
            "date": purchased,
            "areas": {area: {"cases": 32, "earliest": "2024-09-01"}},
        },
    }
    folder.mkdir(parents=True)
    (folder / "candidate.yaml").write_text(yaml.safe_dump(document, sort_keys=False))


class Sample:
    def __init__(self, keys: Path, scratch: Path) -> None:
        self.keys = keys
        self.scratch = scratch
        self.responses = scratch / "ratings.yaml"
        self.responses.write_text(yaml.safe_dump(RATINGS))

    def key(self, role: str) -> str:
        return str(self.keys / role / "casebook-signing.key")

    def result(self, folder: Path, case: str, answers: str, at: str) -> None:
        out = folder / "results" / f"{case}--{at[:10]}.signed.json"
        out.parent.mkdir(exist_ok=True)
        run(
            "simulate",
            str(ROOT / "cases" / case),
            "--responses",
            answers,
            "--candidate",
            folder.name,
            "--out",
            str(out),
            "--sign",
            self.key("centre"),
            "--at",
            at,
        )

    def evaluation(self, folder: Path, area: str, evaluator: int, at: str) -> None:
        out = folder / "evaluations" / f"peer-{area}--E-{evaluator}.signed.json"
        out.parent.mkdir(exist_ok=True)
        run(
            "evaluate",
            str(ROOT / "forms" / f"peer-{area}.yaml"),
            "--candidate",
            folder.name,
            "--evaluator",
            f"E-{evaluator}",
            "--responses",
            str(self.responses),
            "--sign",
            self.key(f"evaluator-{evaluator}"),
            "--out",
            str(out),
            "--at",
            at,
        )

    def submission(self, folder: Path, area: str, at: str) -> Path:
        from tests.videofactory import make_png, make_video

        sent = self.scratch / f"{folder.name}-{area}-{at[:10]}"
        sent.mkdir()
        make_video(sent / "normal.mp4", seconds=5.5, fps=2)
        make_video(sent / "pathology.mp4", seconds=5.5, fps=2)
        make_png(sent / "measurement.png")
        out = folder / "submissions" / f"{area}-{at[:10]}"
        run(
            "check-submission",
            str(sent),
            "--area",
            area,
            "--out",
            str(out),
            "--sign",
            self.key("office"),
            "--candidate",
            folder.name,
            "--at",
            at,
        )
        return out

    def review(self, submission: Path, verdict: str, comments: str, at: str) -> None:
        run(
            "review-submission",
            str(submission),
            "--programme",
            str(PROGRAMME / "programme.yaml"),
            "--keys",
            str(PROGRAMME / "keys"),
            "--reviewer",
            "R-7",
            "--verdict",
            verdict,
            "--comments",
            comments,
            "--sign",
            self.key("reviewer"),
            "--at",
            at,
        )


def lung(sample: Sample, candidates: Path, candidate: str, purchased: str) -> Path:
    folder = candidates / candidate
    record(folder, candidate, "lung-certificate", purchased, "lung")
    return folder


def main() -> None:
    candidates = PROGRAMME / "candidates"
    shutil.rmtree(candidates, ignore_errors=True)
    shutil.rmtree(PROGRAMME / "keys", ignore_errors=True)
    (PROGRAMME / "keys").mkdir()
    with tempfile.TemporaryDirectory() as temporary:
        keys, scratch = Path(temporary) / "keys", Path(temporary) / "scratch"
        scratch.mkdir()
        for role in ROLES:
            run("keygen", "--out", str(keys / role))
            shutil.copy(keys / role / "casebook-signing.pub", PROGRAMME / "keys" / f"{role}.pub")
        sample = Sample(keys, scratch)

        certified = lung(sample, candidates, "C-1001", "2026-02-01")
        sample.result(certified, "lung-pneumothorax", "correct", "2026-02-20T09:00:00Z")
        for evaluator, day in ((1, "2026-03-01"), (2, "2026-03-05"), (3, "2026-03-09")):
            sample.evaluation(certified, "lung", evaluator, f"{day}T12:00:00Z")

        one_evaluation = lung(sample, candidates, "C-1002", "2026-02-01")
        sample.result(one_evaluation, "lung-pneumothorax", "correct", "2026-02-20T09:00:00Z")
        sample.evaluation(one_evaluation, "lung", 1, "2026-03-01T12:00:00Z")

        late = lung(sample, candidates, "C-1003", "2025-11-01")
        sample.result(late, "lung-pneumothorax", "correct", "2026-02-06T09:00:00Z")
        sample.evaluation(late, "lung", 1, "2025-12-01T12:00:00Z")
        sample.evaluation(late, "lung", 2, "2025-12-02T12:00:00Z")

        waiting = lung(sample, candidates, "C-1004", "2026-03-01")
        sample.result(waiting, "lung-pneumothorax", "blank", "2026-03-28T09:00:00Z")
        sample.evaluation(waiting, "lung", 1, "2026-03-10T12:00:00Z")
        sample.evaluation(waiting, "lung", 2, "2026-03-11T12:00:00Z")

        specialty = candidates / "C-1005"
        record(specialty, "C-1005", "aaa-specialty", "2026-01-10", "aaa")
        sample.result(specialty, "aaa", "correct", "2026-01-20T09:00:00Z")
        sample.evaluation(specialty, "aaa", 1, "2026-01-25T12:00:00Z")
        sample.evaluation(specialty, "aaa", 2, "2026-01-26T12:00:00Z")
        sent_back = sample.submission(specialty, "aaa", "2026-02-01T10:00:00Z")
        sample.review(
            sent_back,
            "resubmit",
            "The pathology clip does not show the aneurysm in its long axis.",
            "2026-02-05T15:00:00Z",
        )
    print(f"sample records written to {candidates}")


if __name__ == "__main__":
    main()
