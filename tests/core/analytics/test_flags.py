"""A generated case with a mis-keyed item and a too-easy one: both are flagged."""

from __future__ import annotations

from pathlib import Path

from choicecases import write_choice_case
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from casebook_player.core.analytics import archive, ctt, synthetic
from casebook_player.core.analytics.case_tables import register_case
from casebook_player.core.case.loader import load_case

# q1's key says A, but those who know the answer choose B: the item is mis-keyed.
# q2 is so easy that nearly everyone knows it.
# The other items are moderate and discriminate well.
FLAWS = {
    **{f"q{n}": synthetic.ItemModel(1.5, 0.0) for n in range(3, 9)},
    "q1": synthetic.ItemModel(1.5, 0.0, believed="B"),
    "q2": synthetic.ItemModel(1.5, -5.0),
}


def test_miskeyed_and_too_easy_items_are_flagged(
    tmp_path: Path, signing_key: Ed25519PrivateKey
) -> None:
    case = load_case(write_choice_case(tmp_path / "case", 8))
    cohort = synthetic.Cohort(400, seed=3, models=FLAWS)
    files = synthetic.write_signed(case, cohort, signing_key, tmp_path / "r")
    db = tmp_path / "a.duckdb"
    archive.add_results(db, files, signing_key.public_key())
    with archive.open_archive(db) as connection:
        register_case(connection, case)
        flags = ctt.form_statistics(ctt.query_archive(connection))[case.sha256].flags
    assert any(f.startswith("negative discrimination") for f in flags["q1"])
    assert any(f.startswith("distractor B chosen more by the upper group") for f in flags["q1"])
    assert any(f.startswith("easy: p = ") for f in flags["q2"])
    assert set(flags) == {"q1", "q2"}  # the well-behaved items are not flagged
