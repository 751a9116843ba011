"""Case packages (``.cbk``): a case and its media in one signed, optionally encrypted file.

A package is a zip file holding:

- ``manifest.json``: format, case id and version, when it was made, the signer's key id (RFC
  7638 thumbprint), the encryption parameters, and the sha256 and size of every member;
- ``manifest.sig``: the Ed25519 signature of the exact bytes of ``manifest.json`` (base64url);
- the members. Plain: the case files under their own names (``case.yaml``, ``media/...``).
  Encrypted: ``index.enc`` (which member is which file) and ``0001.enc``... , each sealed
  with AES-256-GCM (core.delivery.encryption), so no file name, answer key or rationale is in
  clear text; the manifest holds only hashes and sizes of the sealed bytes.

Opening checks everything before anything is decrypted or written: the zip's entries (no
absolute, ``..``, backslash or drive names, no links, no duplicates), the declared sizes
against the limits, the signature against the trusted author keys, and every member's
hash against the signed manifest. Each refusal is a PackageError whose message says which.
An opened package keeps the case script in memory and writes only the media, into a private
folder that is removed when it is closed (core.private_temp).
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import IO

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from casebook_player.core import jsontext
from casebook_player.core.case.loader import CASE_FILE, case_file, parse_case
from casebook_player.core.case.model import Case
from casebook_player.core.case.problems import CaseError, Problem
from casebook_player.core.case.yamlsource import MAX_BYTES as MAX_SCRIPT_BYTES
from casebook_player.core.crypto import b64url
from casebook_player.core.crypto.keys import jwk_thumbprint
from casebook_player.core.delivery.encryption import (
    SEAL_OVERHEAD,
    WRONG_SECRET,
    CryptoError,
    ScryptParams,
    WrongSecret,
    check_key,
    key_check,
    key_from_passphrase,
    nonce_of,
    read_key_file,
    seal,
    unseal,
)
from casebook_player.core.delivery.manifest import (
    INDEX,
    KEY_FILE,
    KEY_PASSPHRASE,
    MANIFEST,
    PACKAGE_SUFFIX,
    SIGNATURE,
    Encryption,
    Manifest,
    ManifestError,
    Member,
    UnsafeName,
    member_name_problem,
    parse_index,
)
from casebook_player.core.delivery.private_temp import PrivateFolder, write_private_file
from casebook_player.core.delivery.trust import TrustedKeys
from casebook_player.core.files import Closing

# Limits a package must keep; opening checks the declared sizes and never reads past them.
# One member is sealed and decrypted in memory, hence the per-member bound.
MAX_MEMBER_BYTES = 256 * 1024 * 1024
MAX_TOTAL_BYTES = 2 * 1024 * 1024 * 1024
MAX_MEMBERS = 10_000
MAX_MANIFEST_BYTES = 4 * 1024 * 1024
_MAX_SIGNATURE_FILE_BYTES = 256
_SIGNATURE_BYTES = 64
_CHUNK = 1024 * 1024
# Already compressed: stored as they are (deflating them again gains nothing).
_STORED_SUFFIXES = frozenset(
    {".mp4", ".m4a", ".mp3", ".ogg", ".webm", ".mkv", ".mov", ".png", ".jpg", ".jpeg"}
)
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # fixed: the same files give the same zip entries
# What reading a damaged zip can raise, besides BadZipFile.
_ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError)


class PackageError(Exception):
    """The package is refused; the message says why."""


class NotAPackage(PackageError):
    """Not a zip file, truncated, or without a readable manifest."""


class UnsafeMember(PackageError):
    """A zip entry that could write outside the folder (zip-slip), a link, or a duplicate."""


class OversizedPackage(PackageError):
    """A member, the total, or the number of members is over the limits."""


class UnsignedPackage(PackageError):
    """No signature."""


class UntrustedSigner(PackageError):
    """Signed by a key that is not a trusted author key."""


TRUST_HINT = "add the author's public key with `casebook trust PUBLIC_KEY` if you trust it"


def refusal_message(exc: PackageError) -> str:
    """Why the package is refused, with what to do about an untrusted signer."""
    return f"{exc} ({TRUST_HINT})" if isinstance(exc, UntrustedSigner) else str(exc)


class BadSignature(PackageError):
    """The signature does not match the manifest: the manifest or the signature was altered."""


class TamperedPackage(PackageError):
    """A member differs from the signed manifest, is missing, or is not in it."""


class SecretNeeded(PackageError):
    """The package is encrypted and no passphrase or key file was given."""

    def __init__(self, message: str, key_source: str) -> None:
        super().__init__(message)
        self.key_source = key_source  # KEY_PASSPHRASE or KEY_FILE


class WrongDeliverySecret(PackageError):
    """The passphrase or key file does not decrypt the package."""


class OpeningCancelled(PackageError):
    """Opening was cancelled (``cancelled()`` said so); nothing decrypted was kept."""


# (stage, fraction of the whole opening, 0..1), called from the thread that opens.
Progress = Callable[[str, float], None]


@dataclass(frozen=True)
class VerifiedPackage:
    """A package whose signature and member hashes have been checked."""

    path: Path
    manifest: Manifest
    signer: str


@dataclass
class Inspection:
    """What ``inspect`` shows: the manifest (even unverified), and whether it verifies.

    ``signer`` is the key id whose signature was checked against a trusted key, None until
    then: the manifest's own ``signer`` field is only a claim.
    """

    path: Path
    manifest: Manifest | None
    verified: bool
    problem: str | None
    signer: str | None


class OpenedPackage(Closing):
    """A verified package with its media in a private folder; the script stays in memory."""

    def __init__(
        self, path: Path, manifest: Manifest, signer: str, script: bytes, folder: PrivateFolder
    ) -> None:
        self.path = path
        self.manifest = manifest
        self.signer = signer
        self.script = script
        self._folder = folder

    @property
    def case_dir(self) -> Path:
        return self._folder.path

    def load_case(self) -> Case:
        """The case, validated as ``casebook validate`` does; raises CaseError."""
        return parse_case(self.script, self.case_dir / CASE_FILE)

    def close(self) -> None:
        """Remove the decrypted media (also done at exit, and after a crash at next start)."""
        self._folder.close()


def is_package_path(path: Path) -> bool:
    return Path(path).suffix.lower() == PACKAGE_SUFFIX


# -- packing --------------------------------------------------------------------------


def pack_case(
    case_path: Path,
    out: Path,
    signing_key: Ed25519PrivateKey,
    *,
    passphrase: bytes | None = None,
    key: bytes | None = None,
) -> Manifest:
    """Write the case at ``case_path`` as a signed package at ``out``; its manifest.

    With a ``passphrase`` or a 32-byte ``key`` the members are encrypted. The case is
    validated first (CaseError lists its problems); limits raise OversizedPackage.
    """
    if passphrase is not None and key is not None:
        raise ValueError("give a passphrase or a key, not both")
    script_file = case_file(Path(case_path))
    script = _read_script(script_file)
    case = parse_case(script, script_file)
    files = _case_files(case)
    encryption: Encryption | None = None
    if passphrase is not None:
        params = ScryptParams.new()
        key = key_from_passphrase(passphrase, params)
        encryption = Encryption(KEY_PASSPHRASE, params, key_check(key))
    elif key is not None:
        encryption = Encryption(KEY_FILE, key_check=key_check(key))
    out = Path(out)
    partial = out.with_name(f".{out.name}.partial")
    try:
        with zipfile.ZipFile(partial, "w") as archive:
            writer = _Writer(archive)
            if key is None:
                writer.add_bytes(CASE_FILE, script)
                for name, path in files:
                    writer.add_file(name, path)
            else:
                _write_sealed(writer, key, script, files)
            manifest = Manifest(
                case_id=case.id,
                case_version=case.version,
                created=datetime.now(UTC).isoformat(timespec="seconds"),
                signer=jwk_thumbprint(signing_key.public_key()),
                members=writer.members,
                encryption=encryption,
            )
            manifest_bytes = manifest.to_json()
            signature = b64url.encode(signing_key.sign(manifest_bytes)).encode("ascii")
            writer.add_bytes(MANIFEST, manifest_bytes, listed=False)
            writer.add_bytes(SIGNATURE, signature, listed=False)
        with partial.open("rb") as file:
            os.fsync(file.fileno())
        partial.replace(out)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return _parse_manifest(manifest_bytes)


def _read_script(file: Path) -> bytes:
    try:
        with file.open("rb") as f:
            return f.read(MAX_SCRIPT_BYTES + 1)
    except OSError as exc:
        raise CaseError([Problem(file, 1, 1, "(case)", f"cannot read: {exc.strerror}")]) from None


def _case_files(case: Case) -> list[tuple[str, Path]]:
    """Every file the case names (media, captions, transcripts, posters), by member name."""
    paths: set[Path] = set()
    for segment in case.segments:
        paths.update((segment.media, segment.captions, segment.transcript))
        if segment.poster is not None:
            paths.add(segment.poster)
        for kp in segment.key_points:
            paths.update(m.path for m in kp.media)
    files = []
    for path in paths:
        name = PurePosixPath(path.relative_to(case.folder)).as_posix()
        problem = member_name_problem(name)
        if problem or name == CASE_FILE:
            raise PackageError(f"cannot pack the media file {name!r}: {problem or 'reserved'}")
        files.append((name, path))
    return sorted(files)


def _write_sealed(
    writer: _Writer, key: bytes, script: bytes, files: list[tuple[str, Path]]
) -> None:
    names = [CASE_FILE] + [name for name, _ in files]
    index = {f"{n:04d}.enc": name for n, name in enumerate(names, start=1)}
    writer.add_bytes(INDEX, seal(key, INDEX, json.dumps({"files": index}).encode("utf-8")))
    sources: dict[str, bytes | Path] = {CASE_FILE: script, **dict(files)}
    for member, name in index.items():
        source = sources[name]
        data = source if isinstance(source, bytes) else _read_limited(source, name)
        writer.add_bytes(member, seal(key, member, data))


def _read_limited(path: Path, name: str) -> bytes:
    with path.open("rb") as file:
        data = file.read(MAX_MEMBER_BYTES - SEAL_OVERHEAD + 1)
    if len(data) > MAX_MEMBER_BYTES - SEAL_OVERHEAD:
        raise OversizedPackage(_too_large(name))
    return data


class _Writer:
    """Adds members to the zip and notes their sha256 and size for the manifest."""

    def __init__(self, archive: zipfile.ZipFile) -> None:
        self.archive = archive
        self.members: dict[str, Member] = {}
        self.total = 0

    def add_bytes(self, name: str, data: bytes, listed: bool = True) -> None:
        if listed:
            self._note(name, hashlib.sha256(data).hexdigest(), len(data))
        self.archive.writestr(self._info(name), data)

    def add_file(self, name: str, path: Path) -> None:
        digest, size = hashlib.sha256(), 0
        with path.open("rb") as source, self.archive.open(self._info(name), "w") as target:
            while chunk := source.read(_CHUNK):
                size += len(chunk)
                if size > MAX_MEMBER_BYTES:
                    raise OversizedPackage(_too_large(name))
                digest.update(chunk)
                target.write(chunk)
        self._note(name, digest.hexdigest(), size)

    def _note(self, name: str, sha256: str, size: int) -> None:
        if size > MAX_MEMBER_BYTES:
            raise OversizedPackage(_too_large(name))
        self.total += size
        if self.total > MAX_TOTAL_BYTES:
            raise OversizedPackage(f"the case is larger than {MAX_TOTAL_BYTES:,} bytes in all")
        if len(self.members) >= MAX_MEMBERS:
            raise OversizedPackage(f"the case has more than {MAX_MEMBERS} files")
        self.members[name] = Member(sha256, size)

    def _info(self, name: str) -> zipfile.ZipInfo:
        info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
        info.external_attr = (stat.S_IFREG | 0o644) << 16
        # Sealed members do not compress; the manifest and signature stay readable as they are.
        stored = (
            name.endswith(".enc")
            or name in (MANIFEST, SIGNATURE)
            or PurePosixPath(name).suffix.lower() in _STORED_SUFFIXES
        )
        info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
        return info


# -- opening --------------------------------------------------------------------------


def read_package(path: Path, trusted: TrustedKeys) -> VerifiedPackage:
    """Check the package's signature and every member's hash; nothing is decrypted."""
    with _Reader(Path(path)) as reader:
        return reader.verify(trusted)


def open_package(
    path: Path,
    trusted: TrustedKeys,
    passphrase: bytes | None = None,
    key_file: Path | None = None,
    temp_root: Path | None = None,
    *,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> OpenedPackage:
    """Verify the package, then decrypt its media into a private folder.

    Raises a PackageError subclass saying why a package is refused. Close the result (it is
    a context manager) to remove the folder. ``progress`` hears each stage and how far the
    whole has come; ``cancelled`` is asked between chunks, and when it says so opening stops
    with OpeningCancelled and the private folder is removed.
    """
    steps = _Steps(progress, cancelled)
    with _Reader(Path(path), steps) as reader:
        verified = reader.verify(trusted)
        if verified.manifest.encryption is not None:
            steps.stage("Deriving the decryption key…", 0.45, 0.5)
        key = _delivery_key(verified.manifest, passphrase, key_file)
        total = verified.manifest.total_size
        steps.stage("Decrypting media…" if key is not None else "Unpacking media…", 0.5, 1.0, total)
        files = reader.file_map(verified.manifest, key)
        try:
            folder = PrivateFolder(temp_root)
        except OSError as exc:
            raise PackageError(f"cannot make a private folder for the media: {exc}") from None
        try:
            script = reader.extract(verified.manifest, key, files, folder.path)
            steps.stage("Media ready", 1.0, 1.0)  # a Cancel during the last write still counts
        except BaseException:
            folder.close()
            raise
    return OpenedPackage(Path(path), verified.manifest, verified.signer, script, folder)


def load_package_case(
    path: Path,
    trusted: TrustedKeys,
    passphrase: bytes | None = None,
    key_file: Path | None = None,
) -> Case:
    """The case in a package, for work that needs no media after loading (``simulate``).

    The media are decrypted only to validate the case, and removed before this returns.
    """
    with open_package(path, trusted, passphrase, key_file) as opened:
        return opened.load_case()


def inspect_package(path: Path, trusted: TrustedKeys) -> Inspection:
    """The manifest (as claimed, even when it does not verify) and whether it verifies."""
    path = Path(path)
    manifest: Manifest | None = None
    signer: str | None = None
    try:
        with _Reader(path) as reader:
            manifest = _parse_manifest(reader.manifest_bytes())
            signer, signed = reader.check_signature(trusted)
            reader.check_members(signed)
    except PackageError as exc:
        return Inspection(path, manifest, False, refusal_message(exc), signer)
    return Inspection(path, manifest, True, None, signer)


def _delivery_key(
    manifest: Manifest, passphrase: bytes | None, key_file: Path | None
) -> bytes | None:
    encryption = manifest.encryption
    if encryption is None:
        return None
    try:
        if encryption.key_source == KEY_FILE:
            if key_file is None:
                raise SecretNeeded(
                    "the package is encrypted with a key file: give the key file", KEY_FILE
                )
            return read_key_file(key_file)
        if passphrase is None:
            raise SecretNeeded(
                "the package is encrypted: give the delivery passphrase", KEY_PASSPHRASE
            )
        assert encryption.scrypt is not None
        return key_from_passphrase(passphrase, encryption.scrypt)
    except CryptoError as exc:
        raise PackageError(str(exc)) from None


class _Steps:
    """Where opening has got to, told to ``progress``; where a cancelled opening stops.

    A stage covers ``start``..``end`` of the whole, advanced by the bytes it has read of
    ``total``. The stages: checking (hashing every member), deriving the key, decrypting.
    """

    def __init__(self, progress: Progress | None, cancelled: Callable[[], bool] | None) -> None:
        self._progress = progress
        self._cancelled = cancelled
        self._text, self._start, self._end, self._total, self._done = "", 0.0, 0.0, 1, 0

    def stage(self, text: str, start: float, end: float, total: int = 0) -> None:
        self._text, self._start, self._end = text, start, end
        self._total, self._done = max(total, 1), 0
        self.advance(0)

    def advance(self, read: int) -> None:
        if self._cancelled is not None and self._cancelled():
            raise OpeningCancelled("opening the package was cancelled: nothing was kept")
        if self._progress is not None:
            self._done = min(self._done + read, self._total)
            span = self._end - self._start
            self._progress(self._text, self._start + span * self._done / self._total)


class _Reader(Closing):
    """One open package file: entries checked on opening, members read within their sizes."""

    def __init__(self, path: Path, steps: _Steps | None = None) -> None:
        self.path = path
        self._steps = steps or _Steps(None, None)
        self._nonces: dict[bytes, str] = {}  # of the sealed members read: nonce → member
        try:
            size = path.stat().st_size
            self._file: IO[bytes] = path.open("rb")
        except FileNotFoundError:
            raise NotAPackage(f"no such package: {path}") from None
        except OSError as exc:
            raise NotAPackage(f"cannot read {path}: {exc.strerror}") from None
        try:
            if size > MAX_TOTAL_BYTES + MAX_MANIFEST_BYTES + 64 * 1024 * 1024:
                raise OversizedPackage(f"{path} is larger than a package may be")
            self._zip = _open_zip(self._file, path)
            self.entries = _checked_entries(self._zip)
        except BaseException:
            self._file.close()
            raise

    def close(self) -> None:
        self._zip.close()
        self._file.close()

    def manifest_bytes(self) -> bytes:
        if MANIFEST not in self.entries:
            raise NotAPackage(f"{self.path} is not a case package: it has no {MANIFEST}")
        return self._read(MANIFEST, MAX_MANIFEST_BYTES)

    def check_signature(self, trusted: TrustedKeys) -> tuple[str, Manifest]:
        """The trusted signer's key id and the manifest it signed; raises otherwise."""
        raw = self.manifest_bytes()
        if SIGNATURE not in self.entries:
            raise UnsignedPackage(f"unsigned package: {self.path} has no {SIGNATURE}")
        signer = _check_signature(raw, self._read(SIGNATURE, _MAX_SIGNATURE_FILE_BYTES), trusted)
        return signer, _parse_manifest(raw)  # only now, known to be the signer's

    def verify(self, trusted: TrustedKeys) -> VerifiedPackage:
        signer, manifest = self.check_signature(trusted)
        self.check_members(manifest)
        return VerifiedPackage(self.path, manifest, signer)

    def check_members(self, manifest: Manifest) -> None:
        """Every member is there, within the limits, and hashes as the manifest says."""
        self._check_entries(manifest)
        self._steps.stage("Checking signature…", 0.0, 0.45, manifest.total_size)
        for name, member in manifest.members.items():
            digest = hashlib.sha256()
            for chunk in self._chunks(name, member.size):
                digest.update(chunk)
                self._steps.advance(len(chunk))
            _check_digest(name, digest.hexdigest(), member)

    def file_map(self, manifest: Manifest, key: bytes | None) -> dict[str, str]:
        """Member name → file name; for an encrypted package, from the decrypted index."""
        if key is None:
            files = {name: name for name in manifest.members}
        else:
            assert manifest.encryption is not None
            try:
                check_key(key, manifest.encryption.key_check)
            except WrongSecret:
                raise WrongDeliverySecret(WRONG_SECRET) from None
            try:
                sealed_index = self._member_bytes(manifest, INDEX)
                self._nonces = {nonce_of(sealed_index): INDEX}
                index = unseal(key, INDEX, sealed_index)
            except WrongSecret:
                if manifest.encryption.key_check is None:
                    raise WrongDeliverySecret(WRONG_SECRET) from None
                # The key is the right one (it gives the signed check value): the index
                # itself was altered, swapped or cut.
                raise TamperedPackage(f"the encrypted member {INDEX} was altered") from None
            except CryptoError as exc:
                raise TamperedPackage(str(exc)) from None
            try:
                files = parse_index(index, manifest)
            except UnsafeName as exc:
                raise UnsafeMember(str(exc)) from None
            except ManifestError as exc:
                raise NotAPackage(str(exc)) from None
        if CASE_FILE not in files.values():
            raise NotAPackage(f"the package holds no {CASE_FILE}")
        return files

    def extract(
        self, manifest: Manifest, key: bytes | None, files: dict[str, str], folder: Path
    ) -> bytes:
        """Write every file but the script into ``folder`` (0600); the script's bytes.

        Called after ``file_map``: in an encrypted package the index has authenticated with
        the key, so a member that does not is altered, not opened with a wrong secret.
        """
        script = b""
        for member, name in sorted(files.items(), key=lambda pair: pair[1]):
            data = self._member_bytes(manifest, member)
            if key is not None:
                data = self._unseal_member(key, member, data)
            if name == CASE_FILE:
                script = data
                continue
            target = folder.joinpath(*name.split("/"))
            try:
                for parent in reversed(target.relative_to(folder).parents[:-1]):
                    (folder / parent).mkdir(mode=0o700, exist_ok=True)
                write_private_file(target, data)
            except OSError as exc:
                raise PackageError(f"cannot write {name} to {folder}: {exc.strerror}") from None
        return script

    # -- internals ----------------------------------------------------------------------

    def _unseal_member(self, key: bytes, member: str, sealed: bytes) -> bytes:
        """A member's plaintext; TamperedPackage when it repeats a nonce or does not
        authenticate (the index did, so the key is right)."""
        first = self._nonces.setdefault(nonce_of(sealed), member)
        if first != member:
            raise TamperedPackage(
                f"member {member} repeats the nonce of member {first}: "
                "the package was altered (every member is sealed with a fresh nonce)"
            )
        try:
            return unseal(key, member, sealed)
        except WrongSecret:
            raise TamperedPackage(
                f"member {member} was altered, swapped or cut: it does not authenticate "
                "with the key that opens the index"
            ) from None
        except CryptoError as exc:
            raise TamperedPackage(str(exc)) from None

    def _check_entries(self, manifest: Manifest) -> None:
        listed = set(manifest.members)
        present = set(self.entries) - {MANIFEST, SIGNATURE}
        missing, extra = sorted(listed - present), sorted(present - listed)
        if missing:
            raise TamperedPackage(f"member {missing[0]} is listed in the manifest but missing")
        if extra:
            raise TamperedPackage(f"member {extra[0]} is not in the signed manifest")
        if len(listed) > MAX_MEMBERS:
            raise OversizedPackage(f"the package has more than {MAX_MEMBERS} members")
        if manifest.total_size > MAX_TOTAL_BYTES:
            raise OversizedPackage(f"the package is larger than {MAX_TOTAL_BYTES:,} bytes")
        for name, member in manifest.members.items():
            if member.size > MAX_MEMBER_BYTES:
                raise OversizedPackage(_too_large(name))
            if self.entries[name].file_size != member.size:
                raise TamperedPackage(
                    f"member {name} has {self.entries[name].file_size} bytes; the signed "
                    f"manifest says {member.size}"
                )
        if (manifest.encryption is not None) != (INDEX in listed):
            raise NotAPackage("the manifest's encryption does not match the members")

    def _member_bytes(self, manifest: Manifest, name: str) -> bytes:
        """A member's bytes, checked again against the manifest as they are read."""
        member = manifest.members[name]
        chunks = []
        for chunk in self._chunks(name, member.size):
            chunks.append(chunk)
            self._steps.advance(len(chunk))
        data = b"".join(chunks)
        _check_digest(name, hashlib.sha256(data).hexdigest(), member)
        return data

    def _read(self, name: str, limit: int) -> bytes:
        if self.entries[name].file_size > limit:
            raise OversizedPackage(f"{name} is larger than {limit:,} bytes")
        return b"".join(self._chunks(name, self.entries[name].file_size))

    def _chunks(self, name: str, size: int) -> Iterator[bytes]:
        """The member's bytes, refusing to read more than ``size``."""
        left = size
        try:
            with self._zip.open(self.entries[name]) as stream:
                while True:
                    chunk = stream.read(min(_CHUNK, left + 1))
                    if not chunk:
                        break
                    left -= len(chunk)
                    if left < 0:
                        raise TamperedPackage(f"member {name} is larger than {size} bytes")
                    yield chunk
        except _ZIP_ERRORS as exc:
            raise TamperedPackage(f"member {name} is damaged or altered ({exc})") from None
        if left:
            raise TamperedPackage(f"member {name} is shorter than {size} bytes")


def _open_zip(file: IO[bytes], path: Path) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(file)
    except _ZIP_ERRORS:
        file.seek(0)
        if file.read(4) == b"PK\x03\x04":
            raise NotAPackage(
                f"{path} is truncated or damaged: its zip directory cannot be read"
            ) from None
        raise NotAPackage(f"{path} is not a case package (not a zip file)") from None


def _checked_entries(archive: zipfile.ZipFile) -> dict[str, zipfile.ZipInfo]:
    """The zip's entries by name, after refusing unsafe names, links, duplicates and sizes."""
    entries: dict[str, zipfile.ZipInfo] = {}
    folded: set[str] = set()
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS + 2:
        raise OversizedPackage(f"the package has more than {MAX_MEMBERS} members")
    total = 0
    for info in infos:
        name = info.filename
        problem = member_name_problem(info.orig_filename) or member_name_problem(name)
        if problem:
            raise UnsafeMember(f"unsafe member name {info.orig_filename!r}: {problem}")
        if name in entries or name.casefold() in folded:
            raise UnsafeMember(f"member {name} appears twice (names differ at most in case)")
        kind = stat.S_IFMT(info.external_attr >> 16)
        if kind not in (0, stat.S_IFREG):
            what = "a symbolic link" if kind == stat.S_IFLNK else "not a regular file"
            raise UnsafeMember(f"member {name} is {what}")
        if info.flag_bits & 0x1:
            raise UnsafeMember(f"member {name} uses zip encryption, which packages never do")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise NotAPackage(f"member {name} uses an unsupported compression method")
        if info.file_size > MAX_MEMBER_BYTES:
            raise OversizedPackage(_too_large(name))
        total += info.file_size
        if total > MAX_TOTAL_BYTES:
            raise OversizedPackage(f"the package is larger than {MAX_TOTAL_BYTES:,} bytes")
        entries[name] = info
        folded.add(name.casefold())
    return entries


def _check_signature(manifest: bytes, signature_file: bytes, trusted: TrustedKeys) -> str:
    """The key id of the trusted key that signed ``manifest``; raises otherwise."""
    try:
        signature = b64url.decode(signature_file.decode("ascii"))
    except (UnicodeDecodeError, ValueError):
        signature = b""
    if len(signature) != _SIGNATURE_BYTES:
        raise BadSignature(f"{SIGNATURE} is not an Ed25519 signature (damaged or altered)")
    claimed = _claimed_signer(manifest)
    for kid, key in trusted.keys.items():
        try:
            key.verify(signature, manifest)
        except InvalidSignature:
            continue
        if claimed != kid:
            raise BadSignature(f"the manifest names signer {claimed!r} but key {kid} signed it")
        return kid
    if claimed is not None and claimed not in trusted.keys:
        raise UntrustedSigner(
            f"signed by key {claimed}, which is not a trusted author key ({trusted.source})"
        )
    raise BadSignature(
        "the signature does not match the manifest: the package was altered after signing"
    )


def _claimed_signer(manifest: bytes) -> str | None:
    """The signer the (not yet verified) manifest names, to say whose signature it is."""
    try:
        signer = jsontext.loads(manifest.decode("utf-8")).get("signer")
    except (ValueError, AttributeError):
        return None
    return signer if isinstance(signer, str) else None


def _check_digest(name: str, digest: str, member: Member) -> None:
    if digest != member.sha256:
        raise TamperedPackage(
            f"member {name} was altered: its sha256 differs from the signed manifest"
        )


def _parse_manifest(raw: bytes) -> Manifest:
    try:
        return Manifest.parse(raw)
    except ManifestError as exc:
        raise NotAPackage(str(exc)) from None


def _too_large(name: str) -> str:
    return f"member {name} is larger than {MAX_MEMBER_BYTES:,} bytes, the limit for one member"
