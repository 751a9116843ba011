"""Peer evaluations: the document, and the summary that counts the first two valid ones."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from casebook_player.core.crypto.signing import EVALUATION_TYPE, sign_document
from casebook_player.core.peer.evaluations import (
    EvaluationError,
    evaluation_document,
    load_responses,
    rating_problems,
    read_evaluation,
    write_evaluation,
)
from casebook_player.core.peer.forms import CRITERIA, NOT_APPLICABLE, FormError, PeerForm, load_form
from casebook_player.core.peer.summary import summarise

ROOT = Path(__file__).resolve().parents[3]
T0 = 1_767_225_600.0  # 2026-01-01T00:00:00Z


@pytest.fixture(scope="module")
def form() -> PeerForm:
    return load_form(ROOT / "forms" / "peer-lung.yaml")


@pytest.fixture(scope="module")
def key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


def ratings(value: int = 4, **overrides: int | str) -> dict[str, int | str]:
    return {c: overrides.get(c, value) for c in CRITERIA}


def evaluation(
    form: PeerForm,
    tmp_path: Path,
    key: Ed25519PrivateKey | None,
    evaluator: str,
    at: float,
    candidate: str = "C-1",
    name: str | None = None,
    **overrides: int | str,
) -> Path:
    document = evaluation_document(
        form, candidate, evaluator, ratings(**overrides), "ok", at - 60, at
    )
    path = tmp_path / (name or f"{candidate}-{evaluator}-{int(at)}.json")
    write_evaluation(path, document, key)
    return path


def test_the_document_is_well_formed_and_round_trips(
    form: PeerForm, key: Ed25519PrivateKey, tmp_path: Path
) -> None:
    path = evaluation(form, tmp_path, key, "E-1", T0, measurement_technique=NOT_APPLICABLE)
    read = read_evaluation(path, [key.public_key()])
    assert read.candidate == "C-1" and read.evaluator == "E-1" and read.area == "lung"
    assert read.ended_at == "2026-01-01T00:00:00.000+00:00"
    assert read.ratings()["measurement_technique"] == NOT_APPLICABLE
    assert read.document["form"]["sha256"] == form.sha256


def test_incomplete_answers_cannot_become_a_document(form: PeerForm) -> None:
    partial = ratings()
    del partial["gain"]
    partial["image_quality"] = NOT_APPLICABLE
    assert rating_problems(form, partial, "") == [
        "Images of diagnostic quality: 'not applicable' is not allowed; give a rating",
        "Use of gain: not rated yet",
    ]
    with pytest.raises(ValueError, match="not rated yet"):
        evaluation_document(form, "C-1", "E-1", partial, "", T0, T0)
    too_long = "x" * (form.comments_max_length + 1)
    assert rating_problems(form, ratings(), too_long)[0].endswith("at most 2000")


def test_responses_file_problems_are_placed(form: PeerForm, tmp_path: Path) -> None:
    file = tmp_path / "r.yaml"
    file.write_text(
        "ratings:\n  gain: 7\n  image_quality: n/a\n  gian: 3\ncomment: hi\n", encoding="utf-8"
    )
    with pytest.raises(FormError) as caught:
        load_responses(form, file)
    found = [str(p).removeprefix(f"{file}:") for p in caught.value.problems]
    assert found[0].startswith("2:3: ratings: not rated: depth, transducer_placement")
    assert found[1:] == [
        "2:9: ratings.gain: 7 is not a rating: give a value of 1–5 or n/a",
        "3:18: ratings.image_quality: 'not applicable' is not allowed for this criterion: "
        "give a rating",
        "4:9: ratings.gian: 'gian' is not a criterion (one of image_quality, gain, depth, "
        "transducer_placement, measurement_technique, compression, doppler_mmode, "
        "overall_experience)",
        "5:1: comment: unknown field 'comment'",
    ]


def test_responses_file_accepts_n_a_spellings(form: PeerForm, tmp_path: Path) -> None:
    file = tmp_path / "r.yaml"
    lines = [f"  {c}: 3" for c in CRITERIA if c not in ("gain", "depth")]
    file.write_text(
        "ratings:\n" + "\n".join(lines) + "\n  gain: N/A\n  depth: not applicable\n"
        "comments: Fine.\n",
        encoding="utf-8",
    )
    given, comments = load_responses(form, file)
    assert given["gain"] == given["depth"] == NOT_APPLICABLE and comments == "Fine."


def test_first_two_by_submission_time_count_and_the_third_is_ignored(
    form: PeerForm, key: Ed25519PrivateKey, tmp_path: Path
) -> None:
    late = evaluation(form, tmp_path, key, "E-9", T0 + 300, gain=1)
    first = evaluation(form, tmp_path, key, "E-1", T0 + 100, gain=3)
    second = evaluation(form, tmp_path, key, "E-2", T0 + 200, gain=NOT_APPLICABLE)
    summary = summarise([late, first, second], [key.public_key()])
    assert summary.invalid == []
    (area,) = summary.areas
    assert [e.path for e in area.counted] == [first, second]
    assert area.ratings("gain") == [3, NOT_APPLICABLE]
    assert area.mean("gain") == 3.0 and area.mean("depth") == 4.0
    assert [str(i) for i in area.ignored] == [
        f"ignored: 3rd evaluation of C-1 lung by E-9 (only the first two count) [{late}]"
    ]


def test_invalid_files_are_listed_with_the_reason_and_do_not_take_a_place(
    form: PeerForm, key: Ed25519PrivateKey, tmp_path: Path
) -> None:
    other = Ed25519PrivateKey.generate()
    foreign = evaluation(form, tmp_path, other, "E-5", T0 + 1)
    unsigned = evaluation(form, tmp_path, None, "E-6", T0 + 2)
    tampered = evaluation(form, tmp_path, key, "E-7", T0 + 3)
    data = bytearray(tampered.read_bytes())
    data[40] ^= 1
    tampered.write_bytes(bytes(data))
    a = evaluation(form, tmp_path, key, "E-1", T0 + 10)
    b = evaluation(form, tmp_path, key, "E-2", T0 + 20)
    summary = summarise([foreign, unsigned, tampered, a, b], [key.public_key()])
    reasons = {i.path: i.reason for i in summary.invalid}
    assert "signed with key id" in reasons[foreign]
    assert reasons[unsigned] == "not signed: only signed evaluations count"
    assert "altered" in reasons[tampered]
    assert [e.evaluator for e in summary.areas[0].counted] == ["E-1", "E-2"]
    assert summary.areas[0].ignored == []


def test_a_folder_of_keys_verifies_each_evaluator(
    form: PeerForm, key: Ed25519PrivateKey, tmp_path: Path
) -> None:
    other = Ed25519PrivateKey.generate()
    a = evaluation(form, tmp_path, key, "E-1", T0)
    b = evaluation(form, tmp_path, other, "E-2", T0 + 1)
    summary = summarise([a, b], [key.public_key(), other.public_key()])
    assert summary.invalid == [] and summary.areas[0].complete


def test_one_evaluator_counts_once_and_a_file_given_twice_once(
    form: PeerForm, key: Ed25519PrivateKey, tmp_path: Path
) -> None:
    a = evaluation(form, tmp_path, key, "E-1", T0)
    again = evaluation(form, tmp_path, key, "E-1", T0 + 5)
    b = evaluation(form, tmp_path, key, "E-2", T0 + 9)
    summary = summarise([a, again, a, b], [key.public_key()])
    (area,) = summary.areas
    assert [e.path for e in area.counted] == [a, b]
    assert [str(i) for i in area.ignored] == [
        f"ignored: 2nd evaluation of C-1 lung by E-1 is the same evaluation as {a} "
        f"(given twice) [{a}]",
        "ignored: 3rd evaluation of C-1 lung by E-1 (this evaluator is already counted; two "
        f"evaluators are needed) [{again}]",
    ]


def test_candidates_and_areas_are_counted_separately(
    form: PeerForm, key: Ed25519PrivateKey, tmp_path: Path
) -> None:
    cardiac = load_form(ROOT / "forms" / "peer-cardiac.yaml")
    files = [
        evaluation(form, tmp_path, key, "E-1", T0, candidate="C-1"),
        evaluation(form, tmp_path, key, "E-1", T0, candidate="C-2"),
        evaluation(cardiac, tmp_path, key, "E-3", T0 + 1, candidate="C-1", name="c.json"),
    ]
    summary = summarise(files, [key.public_key()])
    assert [(a.candidate, a.area, len(a.counted)) for a in summary.areas] == [
        ("C-1", "cardiac", 1),
        ("C-1", "lung", 1),
        ("C-2", "lung", 1),
    ]
    assert not summary.areas[0].complete


def signed_document(key: Ed25519PrivateKey, document: dict[str, Any], path: Path) -> Path:
    path.write_text(sign_document(document, key, typ=EVALUATION_TYPE), encoding="ascii")
    return path


def test_validly_signed_but_malformed_documents_do_not_count(
    form: PeerForm, key: Ed25519PrivateKey, tmp_path: Path
) -> None:
    good = evaluation_document(form, "C-1", "E-1", ratings(), "", T0, T0)
    off_scale = json.loads(json.dumps(good))
    off_scale["ratings"][1]["rating"] = 9
    missing = json.loads(json.dumps(good))
    missing["ratings"][1]["criterion"] = "depth"
    self_rated = json.loads(json.dumps(good))
    self_rated["evaluator"]["id"] = "C-1"
    no_format = {k: v for k, v in good.items() if k != "format"}
    cases = {
        "off_scale": (off_scale, "gain is rated off the scale"),
        "missing": (missing, "each criterion must be rated once"),
        "self": (self_rated, "the evaluator is the candidate"),
        "no_format": (no_format, "(evaluation): 'format' is a required property"),
    }
    for name, (document, reason) in cases.items():
        path = signed_document(key, document, tmp_path / f"{name}.json")
        with pytest.raises(EvaluationError) as caught:
            read_evaluation(path, [key.public_key()])
        assert reason in str(caught.value), name


def test_a_result_file_is_not_an_evaluation(key: Ed25519PrivateKey, tmp_path: Path) -> None:
    path = tmp_path / "result.json"
    path.write_text(sign_document({"format": "casebook-result/1"}, key), encoding="ascii")
    summary = summarise([path, tmp_path / "missing.json"], [key.public_key()])
    assert [i.reason for i in summary.invalid] == [
        "not a signed evaluation file: type 'casebook-result' is not 'casebook-evaluation'",
        "cannot read: No such file or directory",
    ]
