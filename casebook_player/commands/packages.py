"""``casebook pack``, ``inspect`` and ``trust``: signed, optionally encrypted case packages.

Also the options and helpers that let ``play`` and ``simulate`` take a package (``.cbk``).
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from casebook_player.commands import EXIT_FAILED, EXIT_OK, Failed, UsageError
from casebook_player.commands.keys import load_signing_key
from casebook_player.commands.terminal import end_progress_line, progress_line
from casebook_player.core.case.loader import case_file, load_case
from casebook_player.core.case.model import Case
from casebook_player.core.case.normalize import NormalizeError
from casebook_player.core.case.problems import CaseError
from casebook_player.core.crypto.keys import KeyFileError, jwk_thumbprint, load_public_key
from casebook_player.core.delivery.encryption import (
    MIN_PASSPHRASE_CHARS,
    CryptoError,
    passphrase_bytes,
    read_key_file,
    write_new_key_file,
)
from casebook_player.core.delivery.manifest import KEY_FILE, PACKAGE_SUFFIX
from casebook_player.core.delivery.packages import (
    Inspection,
    PackageError,
    SecretNeeded,
    inspect_package,
    is_package_path,
    load_package_case,
    open_package,
    pack_case,
    refusal_message,
)
from casebook_player.core.delivery.staging import convertible_media, normalized_copy
from casebook_player.core.delivery.trust import (
    TrustedKeys,
    load_trusted_keys,
    trust_key,
)
from casebook_player.core.paths import trusted_authors_dir
from casebook_player.core.printable import one_line


def add_parsers(verbs: Any) -> None:
    pack = verbs.add_parser("pack", help="make a signed (optionally encrypted) case package")
    pack.add_argument("case", type=Path, metavar="CASE_DIR", help="a case folder or its case.yaml")
    pack.add_argument(
        "--sign", type=Path, required=True, metavar="AUTHOR_KEY", help="the author's private key"
    )
    pack.add_argument("--out", type=Path, required=True, metavar="CASE.cbk")
    pack.add_argument("--encrypt", action="store_true", help="encrypt the case and its media")
    pack.add_argument(
        "--normalize",
        action="store_true",
        help="convert media the player cannot present exactly into the package, as "
        "`casebook media normalize` does (the case folder is not changed)",
    )
    secret = pack.add_mutually_exclusive_group()
    secret.add_argument(
        "--passphrase-env", metavar="VAR", help="take the delivery passphrase from VAR"
    )
    secret.add_argument(
        "--key-file", type=Path, metavar="FILE", help="encrypt with this key file (32 bytes)"
    )
    secret.add_argument(
        "--new-key-file", type=Path, metavar="FILE", help="make a new key file and encrypt with it"
    )
    pack.set_defaults(func=run_pack)

    inspect = verbs.add_parser("inspect", help="show a package's manifest and whether it verifies")
    inspect.add_argument("package", type=Path, metavar="CASE.cbk")
    add_trusted_argument(inspect)
    inspect.add_argument("--key", type=Path, metavar="PUBLIC_KEY", help="also trust this key")
    inspect.set_defaults(func=run_inspect)

    trust = verbs.add_parser("trust", help="trust an author's public key (no key: list them)")
    trust.add_argument("key", type=Path, nargs="?", metavar="PUBLIC_KEY")
    add_trusted_argument(trust)
    trust.set_defaults(func=run_trust)


def add_trusted_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--trusted",
        type=Path,
        metavar="DIR",
        help=f"folder of trusted author keys (default {trusted_authors_dir()})",
    )


def add_delivery_arguments(parser: argparse.ArgumentParser) -> None:
    """--trusted, --passphrase-env, --key-file: what opening a package needs."""
    add_trusted_argument(parser)
    secret = parser.add_mutually_exclusive_group()
    secret.add_argument(
        "--passphrase-env", metavar="VAR", help="delivery passphrase of an encrypted package"
    )
    secret.add_argument(
        "--key-file", type=Path, metavar="FILE", help="key file of an encrypted package"
    )


# -- helpers for play and simulate ---------------------------------------------------------


def trusted_keys(folder: Path | None) -> TrustedKeys:
    """The trusted author keys; key files that cannot be used are named on stderr."""
    trusted = load_trusted_keys(folder)
    for problem in trusted.problems:
        print(f"casebook: {one_line(str(problem))}", file=sys.stderr)
    return trusted


def env_passphrase(variable: str | None) -> bytes | None:
    """The delivery passphrase in the environment variable ``variable`` (None: not given)."""
    if variable is None:
        return None
    value = os.environ.get(variable)
    if value is None:
        raise UsageError(f"the environment variable {variable} is not set")
    if not value:
        raise UsageError(f"the environment variable {variable} is empty")
    return passphrase_bytes(value)


def ask_passphrase(prompt: str, confirm: bool = False) -> bytes:
    """The delivery passphrase typed on the terminal (never echoed); Failed with no terminal."""
    if not sys.stdin.isatty():
        raise Failed(
            "no terminal to ask for the delivery passphrase: give it with --passphrase-env VAR"
            + (" (or use --key-file or --new-key-file)" if confirm else "")
        )
    secret = getpass.getpass(prompt)
    if confirm and getpass.getpass("The same again: ") != secret:
        raise Failed("the two passphrases differ")
    return passphrase_bytes(secret)


def load_case_argument(args: argparse.Namespace) -> Case:
    """The case named by ``args.case``: a folder or script, or a package (checked first)."""
    if not is_package_path(args.case):
        return load_case(args.case)
    trusted = trusted_keys(args.trusted)
    passphrase = env_passphrase(args.passphrase_env)
    try:
        try:
            return load_package_case(args.case, trusted, passphrase, args.key_file)
        except SecretNeeded as exc:
            if exc.key_source == KEY_FILE or args.key_file is not None or passphrase is not None:
                raise Failed(f"{args.case}: {exc} (--key-file FILE)") from None
            secret = ask_passphrase(f"Delivery passphrase for {args.case.name}: ")
            return load_package_case(args.case, trusted, secret, args.key_file)
    except PackageError as exc:
        raise Failed(f"{args.case} refused: {refusal_message(exc)}") from None


# -- pack ---------------------------------------------------------------------------


def run_pack(args: argparse.Namespace) -> int:
    if not args.case.exists():
        raise UsageError(f"no such case: {args.case}")
    if args.out.suffix.lower() != PACKAGE_SUFFIX:
        raise UsageError(f"--out must name a {PACKAGE_SUFFIX} file")
    secret_options = (args.passphrase_env, args.key_file, args.new_key_file)
    if not args.encrypt and any(option is not None for option in secret_options):
        raise UsageError("--passphrase-env, --key-file and --new-key-file go with --encrypt")
    with tempfile.TemporaryDirectory(prefix="casebook-pack-") as staging:
        case = _packable(args, Path(staging) / "case")
        signing_key = load_signing_key(args.sign)
        passphrase, key, key_file = _delivery_secret(args)
        return _pack(args, case, signing_key, passphrase, key, key_file)


def _packable(args: argparse.Namespace, staging: Path) -> Path:
    """The case to pack: the one named, or (--normalize) a copy with its media converted."""
    try:
        load_case(args.case)
        return args.case
    except CaseError as exc:
        problems = exc.problems
    convertible = convertible_media(problems)
    if not (convertible and args.normalize):
        for problem in problems:
            print(problem)
        if convertible:
            print(
                "every problem above is fixed by converting the media: pack with --normalize "
                "to convert them into the package (the case folder is not changed)"
            )
        raise Failed(f"{args.case} is not a valid case: nothing was packed")
    script = case_file(args.case)
    try:
        for report in normalized_copy(script, problems, staging, progress_line):
            end_progress_line()
            print(f"converted {report.summary()}")
    except (NormalizeError, OSError) as exc:
        end_progress_line()
        raise Failed(f"cannot convert the media of {args.case}: {exc}") from None
    return staging / script.name


def _pack(
    args: argparse.Namespace,
    case: Path,
    signing_key: Ed25519PrivateKey,
    passphrase: bytes | None,
    key: bytes | None,
    key_file: Path | None,
) -> int:
    try:
        manifest = pack_case(case, args.out, signing_key, passphrase=passphrase, key=key)
        # Open what was written, as a player would: the package verifies and the case loads.
        trusted = TrustedKeys.of([signing_key.public_key()], "the signing key")
        with open_package(args.out, trusted, passphrase, key_file) as opened:
            opened.load_case()
    except (PackageError, CaseError) as exc:
        raise Failed(f"cannot pack {args.case}: {exc}") from None
    except OSError as exc:
        raise Failed(f"cannot write {args.out}: {exc.strerror or exc}") from None
    files = len(manifest.members) - (1 if manifest.encryption else 0)
    print(
        f"packed {args.out}: case {manifest.case_id} {manifest.case_version}, {files} files, "
        f"{manifest.total_size:,} bytes"
    )
    print(f"signed by key {manifest.signer}")
    if manifest.encryption is None:
        print("not encrypted: whoever has the file can read the case, answer keys included")
    else:
        print(f"encrypted: {manifest.encryption.describe()}")
    if args.new_key_file is not None:
        print(f"new key file {args.new_key_file} (mode 0600): deliver it apart from the package")
    print("checked: the package verifies and the case in it is valid")
    return EXIT_OK


def _delivery_secret(args: argparse.Namespace) -> tuple[bytes | None, bytes | None, Path | None]:
    """(passphrase, key, key file) for ``pack``; all None without --encrypt."""
    if not args.encrypt:
        return None, None, None
    try:
        if args.key_file is not None:
            return None, read_key_file(args.key_file), args.key_file
        if args.new_key_file is not None:
            return None, write_new_key_file(args.new_key_file), args.new_key_file
    except CryptoError as exc:
        raise Failed(str(exc)) from None
    passphrase = env_passphrase(args.passphrase_env)
    if passphrase is None:
        passphrase = ask_passphrase("New delivery passphrase: ", confirm=True)
    if len(passphrase.decode("utf-8")) < MIN_PASSPHRASE_CHARS:
        raise Failed(
            f"the delivery passphrase is too short: use at least {MIN_PASSPHRASE_CHARS} "
            "characters (or a key file)"
        )
    return passphrase, None, None


# -- inspect and trust ------------------------------------------------------------------


def run_inspect(args: argparse.Namespace) -> int:
    if not args.package.exists():
        raise UsageError(f"no such package: {args.package}")
    trusted = trusted_keys(args.trusted)
    if args.key is not None:
        try:
            key = load_public_key(args.key)
        except KeyFileError as exc:
            raise Failed(str(exc)) from None
        trusted.keys[jwk_thumbprint(key)] = key
        trusted.files[jwk_thumbprint(key)] = args.key
    inspection = inspect_package(args.package, trusted)
    print(_inspection_text(inspection, trusted))
    return EXIT_OK if inspection.verified else EXIT_FAILED


def _inspection_text(inspection: Inspection, trusted: TrustedKeys) -> str:
    """What inspect prints; every text from the package is escaped (it may not verify)."""
    lines = [f"package:   {one_line(str(inspection.path))}"]
    manifest = inspection.manifest
    if manifest is not None:
        signer = one_line(manifest.signer)
        if inspection.signer is not None:
            source = trusted.files.get(inspection.signer, trusted.source)
            trust = f"trusted ({one_line(str(source))}): the signature checks out"
        elif manifest.signer in trusted.keys:
            trust = "claimed by the manifest, NOT verified: the signature is not this key's"
        else:
            trust = f"NOT trusted (no key with this id in {one_line(str(trusted.source))})"
        encryption = manifest.encryption.describe() if manifest.encryption else "no"
        lines += [
            f"case:      {one_line(manifest.case_id)} {one_line(manifest.case_version)}",
            f"created:   {one_line(manifest.created)}",
            f"signer:    {signer}, {trust}",
            f"encrypted: {encryption}",
            f"members:   {len(manifest.members)}, {manifest.total_size:,} bytes",
        ]
        lines += [
            f"  {m.sha256}  {m.size:>12,}  {one_line(name)}"
            for name, m in sorted(manifest.members.items())
        ]
    if inspection.verified:
        lines.append("VERIFIED: signed by a trusted author and every member matches the manifest")
    else:
        lines.append(f"NOT VERIFIED: {one_line(inspection.problem or 'unknown')}")
    return "\n".join(lines)


def run_trust(args: argparse.Namespace) -> int:
    folder = args.trusted or trusted_authors_dir()
    if args.key is None:
        trusted = trusted_keys(folder)
        print(f"trusted author keys in {one_line(str(folder))}: {len(trusted.keys) or 'none'}")
        for kid, file in sorted(trusted.files.items()):
            print(f"  {kid}  {one_line(str(file))}")
        return EXIT_OK
    try:
        kid, file, new = trust_key(args.key, folder)
    except KeyFileError as exc:
        raise Failed(str(exc)) from None
    print(f"{'now trusted' if new else 'already trusted'}: key {kid} ({one_line(str(file))})")
    return EXIT_OK
