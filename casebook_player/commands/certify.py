"""``casebook certify``: certification decisions over candidates' records; the certificate
PDF and the Open Badges 3.0 badge for those certified.

``certify RECORD`` prints the decision per certificate applied for with every reason;
``certify FOLDER_OF_RECORDS`` a table of every candidate's progress (``--csv`` writes it).
Exit status 0 when every decision is "certified", 1 when any is not, 2 for a usage error.
"""

from __future__ import annotations

import argparse
import csv
import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from casebook_player.commands import EXIT_FAILED, EXIT_OK, Failed, UsageError
from casebook_player.commands.keys import load_signing_key
from casebook_player.commands.peer import load_public_keys
from casebook_player.core.certification.badge import (
    badge_credential,
    sign_badge,
    verification_code,
)
from casebook_player.core.certification.components import read_components
from casebook_player.core.certification.programme import Programme, ProgrammeError, load_programme
from casebook_player.core.certification.record import (
    CandidateRecord,
    RecordError,
    is_record,
    load_record,
)
from casebook_player.core.certification.rules import Decision, decide, unknown_certificates
from casebook_player.core.crypto.keys import jwk_thumbprint
from casebook_player.core.files import write_text_atomically
from casebook_player.core.printable import one_line

CERTIFICATES = "certificates"
_TABLE_COLUMNS = ("candidate", "name", "certificate", "decision", "days left", "missing")


def add_parsers(verbs: Any) -> None:
    certify = verbs.add_parser(
        "certify", help="decide certificates from candidates' signed components"
    )
    certify.add_argument(
        "folder",
        type=Path,
        metavar="CANDIDATE_FOLDER",
        help="a candidate's record (with candidate.yaml), or a folder of records",
    )
    add_programme_arguments(certify)
    certify.add_argument("--today", metavar="YYYY-MM-DD", help="decide as of this date")
    certify.add_argument(
        "--sign",
        type=Path,
        metavar="PROGRAMME_KEY",
        help="issue the badge and certificate PDF of each certified candidate, signed with it",
    )
    certify.add_argument(
        "--out", type=Path, metavar="DIR", help="where to issue them (default: RECORD/certificates)"
    )
    certify.add_argument("--csv", type=Path, metavar="FILE", help="write the table as CSV")
    certify.set_defaults(func=run_certify)


def add_programme_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--programme", type=Path, required=True, metavar="PROGRAMME.yaml")
    parser.add_argument(
        "--keys",
        type=Path,
        nargs="+",
        required=True,
        metavar="TRUSTED",
        help="public keys (files or folders of them) trusted to sign components",
    )


def programme_argument(path: Path) -> Programme:
    if not path.is_file():
        raise UsageError(f"no such programme file: {path}")
    try:
        return load_programme(path)
    except ProgrammeError as exc:
        raise Failed("the programme definition cannot be used:", exc.problems) from None


def trusted_keys(paths: Sequence[Path]) -> list[Ed25519PublicKey]:
    return [key for path in paths for key in load_public_keys(path)]


def today_argument(text: str | None) -> date:
    if text is None:
        return date.today()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"--today {text!r} is not a date (YYYY-MM-DD)") from None


@dataclass
class Assessed:
    record: CandidateRecord
    decisions: list[Decision]
    not_counted: list[str]


def run_certify(args: argparse.Namespace) -> int:
    if not args.folder.is_dir():
        raise UsageError(f"no such folder: {args.folder}")
    if args.out is not None and args.sign is None:
        raise UsageError("--out needs --sign PROGRAMME_KEY")
    programme = programme_argument(args.programme)
    keys = trusted_keys(args.keys)
    today = today_argument(args.today)
    signer = load_signing_key(args.sign) if args.sign is not None else None
    single = is_record(args.folder)
    folders = [args.folder] if single else sorted(p for p in args.folder.iterdir() if is_record(p))
    if not folders:
        raise UsageError(f"{args.folder} holds no candidate.yaml, nor folders that do")
    assessed = [assess(programme, folder, keys, today) for folder in folders]
    if single:
        print_decisions(assessed[0])
    else:
        print_table(assessed)
    if args.csv is not None:
        write_csv(args.csv, assessed)
    if signer is not None:
        for one in assessed:
            issue(programme, one, signer, args.out, today)
    certified = all(d.certified for one in assessed for d in one.decisions)
    return EXIT_OK if certified and all(one.decisions for one in assessed) else EXIT_FAILED


def assess(
    programme: Programme, folder: Path, keys: Sequence[Ed25519PublicKey], today: date
) -> Assessed:
    try:
        record = load_record(folder)
    except RecordError as exc:
        raise Failed(f"the record {folder} cannot be used:", exc.problems) from None
    components = read_components(programme, record, keys)
    not_counted = [
        f"the record applies for {c!r}, which the programme does not offer"
        for c in unknown_certificates(programme, record)
    ]
    return Assessed(
        record,
        decide(programme, record, components, today),
        [
            *not_counted,
            *components.invalid,
        ],
    )


def print_decisions(assessed: Assessed) -> None:
    record = assessed.record
    for decision in assessed.decisions:
        print(f"{one_line(record.id)} · {one_line(record.name)}")
        print(f"{one_line(decision.certificate.name)}: {window_line(decision)}")
        print("CERTIFIED" if decision.certified else "NOT CERTIFIED")
        for reason in decision.reasons:
            print(f"  ✗ {one_line(reason)}")
        for counted in decision.counted:
            print(f"  ✓ {one_line(counted)}")
        print()
    if assessed.not_counted:
        print("not counted:")
        for line in assessed.not_counted:
            print(f"  - {one_line(line)}")


def window_line(decision: Decision) -> str:
    left = decision.days_left
    state = f"{left} days left" if left >= 0 else f"closed {-left} days ago"
    return (
        f"purchased {decision.purchased}, {decision.certificate.window_days}-day window to "
        f"{decision.deadline} ({state})"
    )


def table_rows(assessed: Sequence[Assessed]) -> list[tuple[tuple[str, ...], Decision]]:
    """A row per candidate and certificate applied for, beside its decision."""
    rows: list[tuple[tuple[str, ...], Decision]] = []
    for one in assessed:
        for d in one.decisions:
            left = "" if d.certified else str(d.days_left)
            verdict = "certified" if d.certified else "not certified"
            cells = (one.record.id, one.record.name, d.certificate.id, verdict, left)
            rows.append(((*cells, "; ".join(d.missing)), d))
    return rows


def print_table(assessed: Sequence[Assessed]) -> None:
    rows = [tuple(one_line(cell) for cell in row) for row, _ in table_rows(assessed)]
    widths = [max(len(c) for c in column) for column in zip(_TABLE_COLUMNS, *rows, strict=True)]
    for row in [_TABLE_COLUMNS, *rows]:
        cells = (cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        print("  ".join(cells).rstrip())
    for one in assessed:
        for decision in one.decisions:
            if not decision.certified:
                print(f"\n{one_line(one.record.id)} · {one_line(decision.certificate.name)}:")
                for reason in decision.reasons:
                    print(f"  ✗ {one_line(reason)}")
    certified = sum(1 for row in rows if row[3] == "certified")
    print(f"\n{certified} of {len(rows)} certified")


def write_csv(path: Path, assessed: Sequence[Assessed]) -> None:
    try:
        with path.open("w", newline="", encoding="utf-8") as file:
            writer = csv.writer(file)
            writer.writerow([*_TABLE_COLUMNS, "reasons"])
            for row, decision in table_rows(assessed):
                writer.writerow([*row, "; ".join(decision.reasons)])
    except OSError as exc:
        raise Failed(f"cannot write {path}: {exc.strerror}") from None
    print(f"table written to {path}")


def issue(
    programme: Programme,
    assessed: Assessed,
    key: Ed25519PrivateKey,
    out: Path | None,
    today: date,
) -> None:
    """The signed badge and the certificate PDF for each certificate granted."""
    record = assessed.record
    folder = out if out is not None else record.folder / CERTIFICATES
    issued = datetime.combine(today, time(), UTC)
    for decision in assessed.decisions:
        if not decision.certified:
            continue
        certificate = decision.certificate
        credential = badge_credential(programme, record.id, record.name, certificate, issued)
        stem = f"{record.id}--{certificate.id}"
        badge = folder / f"{stem}.badge.jwt"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            write_text_atomically(badge, sign_badge(credential, key) + "\n")
        except OSError as exc:
            raise Failed(f"cannot write {badge}: {exc.strerror}") from None
        pdf = folder / f"{stem}.pdf"
        write_certificate_pdf(programme, record, decision, credential["id"], key, pdf)
        print(f"issued: {one_line(str(badge))} and {one_line(str(pdf))}")


def write_certificate_pdf(
    programme: Programme,
    record: CandidateRecord,
    decision: Decision,
    credential_id: str,
    key: Ed25519PrivateKey,
    path: Path,
) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # a PDF needs no screen
    from casebook_player.ui.app import application
    from casebook_player.ui.certificate_pdf import CertificateText, write_certificate

    application()
    text = CertificateText(
        candidate_name=record.name,
        candidate_id=record.id,
        certificate=decision.certificate.name,
        areas=tuple(programme.areas[a].name for a in decision.certificate.areas),
        issued_on=decision.today.isoformat(),
        issuer=programme.issuer.name,
        programme=programme.name,
        code=verification_code(credential_id),
        key_id=jwk_thumbprint(key.public_key()),
    )
    try:
        write_certificate(text, path)
    except OSError as exc:
        raise Failed(f"cannot write {path}: {exc.strerror}") from None
