"""``casebook report RESULT --pdf OUT.pdf``: a one-page score report."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from casebook_player.commands import EXIT_OK, Failed
from casebook_player.core import jsontext
from casebook_player.core.case.schema import validator
from casebook_player.core.crypto.keys import KeyFileError, jwk_thumbprint, load_public_key
from casebook_player.core.crypto.signing import (
    SignatureError,
    is_signed_file,
    read_unverified,
    verify_document,
)


def add_parsers(verbs: Any) -> None:
    parser = verbs.add_parser("report", help="render a result file as a one-page PDF")
    parser.add_argument("result", type=Path, metavar="RESULT")
    parser.add_argument("--pdf", type=Path, required=True, metavar="OUT.pdf")
    parser.add_argument("--key", type=Path, metavar="PUBLIC_KEY", help="check the signature")
    parser.set_defaults(func=run)


def read_result(path: Path, key_path: Path | None) -> tuple[dict[str, Any], str]:
    """The result document and a note on its signature; Failed when it cannot be used."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise Failed(f"cannot read {path}: {exc.strerror}") from None
    try:
        if not is_signed_file(data):
            document, note = jsontext.loads(data), "Unsigned result file."
        elif key_path is None:
            document = read_unverified(data)
            note = "Signed result file; signature NOT checked (no public key given)."
        else:
            key = load_public_key(key_path)
            document = verify_document(data, key)
            note = f"Signature valid (Ed25519, key id {jwk_thumbprint(key)})."
    except (SignatureError, KeyFileError) as exc:
        raise Failed(f"{path}: {exc}") from None
    except ValueError as exc:
        raise Failed(f"{path} is not a result file: {exc}") from None
    errors = sorted(validator("result").iter_errors(document), key=lambda e: e.path)
    if errors:
        raise Failed(f"{path} is not a result document: {errors[0].message}")
    return document, note


def run(args: argparse.Namespace) -> int:
    document, note = read_result(args.result, args.key)
    if args.key is None and "NOT checked" in note:
        print(f"casebook report: {note}", file=sys.stderr)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # a report needs no screen
    from casebook_player.ui.app import application
    from casebook_player.ui.report_pdf import write_report

    application()  # the same kind of application object a window would need later
    write_report(document, args.pdf, note)
    print(f"report written to {args.pdf}")
    return EXIT_OK
