"""Case packages: signed, optionally encrypted, checked before anything is written or shown."""

from __future__ import annotations

import json
import os
import socket
import stat
import subprocess
import sys
import zipfile
from contextlib import nullcontext
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from packagetools import (
    ANSWER_FIELD,
    craft,
    data_offset,
    flip_byte,
    flip_in,
    rewrite,
    secrets_of,
    write_secret_case,
)

from casebook_player.core.case.problems import CaseError
from casebook_player.core.crypto import b64url
from casebook_player.core.crypto.keys import jwk_thumbprint
from casebook_player.core.delivery import encryption as package_crypto
from casebook_player.core.delivery import packages
from casebook_player.core.delivery.encryption import WRONG_SECRET, seal
from casebook_player.core.delivery.manifest import member_name_problem
from casebook_player.core.delivery.packages import (
    BadSignature,
    NotAPackage,
    OpenedPackage,
    OpeningCancelled,
    OversizedPackage,
    PackageError,
    SecretNeeded,
    TamperedPackage,
    UnsafeMember,
    UnsignedPackage,
    UntrustedSigner,
    WrongDeliverySecret,
    inspect_package,
    open_package,
    pack_case,
    read_package,
    refusal_message,
)
from casebook_player.core.delivery.private_temp import MARKER, private_root, remove_stale_folders
from casebook_player.core.delivery.trust import TrustedKeys
from casebook_player.core.session.results import score_timeline
from casebook_player.core.session.simulate import correct_answers, simulate

PASSPHRASE = b"correct horse battery staple"
ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(autouse=True)
def private_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Decrypted media go under the test's own runtime folder; scrypt is cheap in tests."""
    runtime = tmp_path / "run"
    runtime.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(package_crypto, "SCRYPT_N", 2**12)
    return runtime


@pytest.fixture(scope="module")
def author() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


@pytest.fixture
def trusted(author: Ed25519PrivateKey) -> TrustedKeys:
    return TrustedKeys.of([author.public_key()], "test keys")


@pytest.fixture
def case_dir(tmp_path: Path) -> Path:
    write_secret_case(tmp_path / "case")
    return tmp_path / "case"


@pytest.fixture
def key_file(tmp_path: Path) -> Path:
    path = tmp_path / "delivery.key"
    package_crypto.write_new_key_file(path)
    return path


@pytest.fixture(params=["plain", "passphrase", "key-file"])
def package(
    request: pytest.FixtureRequest,
    case_dir: Path,
    tmp_path: Path,
    author: Ed25519PrivateKey,
    key_file: Path,
) -> tuple[Path, dict[str, Any]]:
    """A package of each kind and the secret that opens it."""
    out = tmp_path / f"{request.param}.cbk"
    secret: dict[str, Any] = {}
    if request.param == "passphrase":
        pack_case(case_dir, out, author, passphrase=PASSPHRASE)
        secret = {"passphrase": PASSPHRASE}
    elif request.param == "key-file":
        pack_case(case_dir, out, author, key=package_crypto.read_key_file(key_file))
        secret = {"key_file": key_file}
    else:
        pack_case(case_dir, out, author)
    return out, secret


def opened_files(opened: OpenedPackage) -> dict[str, bytes]:
    return {
        p.relative_to(opened.case_dir).as_posix(): p.read_bytes()
        for p in opened.case_dir.rglob("*")
        if p.is_file() and p.name != MARKER
    }


def source_files(case_dir: Path) -> dict[str, bytes]:
    return {
        p.relative_to(case_dir).as_posix(): p.read_bytes()
        for p in case_dir.rglob("*")
        if p.is_file() and p.name != "case.yaml"
    }


def leftovers() -> list[Path]:
    """Private folders that exist now."""
    root = private_root()
    return list(root.iterdir()) if root.exists() else []


def members(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as archive:
        return archive.namelist()


# -- round trip -----------------------------------------------------------------------


def test_round_trip_gives_the_same_case_and_full_marks(
    package: tuple[Path, dict[str, Any]], case_dir: Path, trusted: TrustedKeys
) -> None:
    path, secret = package
    with open_package(path, trusted, **secret) as opened:
        case = opened.load_case()
        assert opened.script == (case_dir / "case.yaml").read_bytes()
        assert opened_files(opened) == source_files(case_dir)
        assert not (opened.case_dir / "case.yaml").exists()  # keys stay in memory
        assert opened.signer == jwk_thumbprint(next(iter(trusted.keys.values())))
        assert (opened.manifest.case_id, opened.manifest.case_version) == ("test-case", "1.0.0")
    assert score_timeline(simulate(case, correct_answers(case)).timeline).percent == 100.0


def test_progress_rises_through_each_stage_to_the_whole(
    package: tuple[Path, dict[str, Any]], trusted: TrustedKeys, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(packages, "_CHUNK", 4096)  # many steps even for small media
    path, secret = package
    heard: list[tuple[str, float]] = []
    with open_package(path, trusted, **secret, progress=lambda s, f: heard.append((s, f))):
        pass
    fractions = [f for _, f in heard]
    assert fractions == sorted(fractions) and fractions[0] == 0.0 and fractions[-1] == 1.0
    assert len(set(fractions)) > 10
    stages = list(dict.fromkeys(s for s, _ in heard))
    opening = "Decrypting media…" if secret else "Unpacking media…"
    assert stages[0] == "Checking signature…" and opening in stages


@pytest.mark.parametrize("at", [0.2, 0.7, 1.0], ids=["checking", "decrypting", "last-write"])
def test_cancelling_stops_opening_and_keeps_nothing(
    at: float,
    package: tuple[Path, dict[str, Any]],
    trusted: TrustedKeys,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(packages, "_CHUNK", 4096)
    path, secret = package
    heard: list[float] = []
    with pytest.raises(OpeningCancelled, match="cancelled: nothing was kept"):
        open_package(
            path,
            trusted,
            **secret,
            progress=lambda s, f: heard.append(f),
            cancelled=lambda: bool(heard) and heard[-1] >= at,
        )
    assert heard[-1] >= at and (at == 1.0 or heard[-1] < 1.0)
    assert leftovers() == []  # the private folder, and any media written to it, are gone


def test_the_refusal_of_an_untrusted_signer_says_how_to_trust_it() -> None:
    assert refusal_message(UntrustedSigner("signed by key K")).endswith(
        "(add the author's public key with `casebook trust PUBLIC_KEY` if you trust it)"
    )
    assert refusal_message(TamperedPackage("member x was altered")) == "member x was altered"


def test_media_are_private_while_open_and_gone_after_close(
    package: tuple[Path, dict[str, Any]], trusted: TrustedKeys, private_dirs: Path
) -> None:
    path, secret = package
    opened = open_package(path, trusted, **secret)
    folder = opened.case_dir
    assert folder.parent == private_root() and private_root().is_relative_to(private_dirs)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    for entry in folder.rglob("*"):
        mode = stat.S_IMODE(entry.stat().st_mode)
        assert mode == (0o700 if entry.is_dir() else 0o600), entry
    opened.close()
    assert not folder.exists()
    opened.close()  # twice is harmless


def test_pack_refuses_an_invalid_case(
    case_dir: Path, tmp_path: Path, author: Ed25519PrivateKey
) -> None:
    (case_dir / "media" / "still.png").unlink()
    with pytest.raises(CaseError):
        pack_case(case_dir, tmp_path / "x.cbk", author)
    assert not (tmp_path / "x.cbk").exists()
    assert not list(tmp_path.glob(".*partial"))


def test_sample_library_case_round_trips(
    tmp_path: Path, author: Ed25519PrivateKey, trusted: TrustedKeys
) -> None:
    out = pack_case(ROOT / "cases" / "lung-pneumothorax", tmp_path / "l.cbk", author, key=b"k" * 32)
    assert out.case_id == "lung-pneumothorax"
    key_file = tmp_path / "k"
    key_file.write_bytes(b"k" * 32)
    with open_package(tmp_path / "l.cbk", trusted, key_file=key_file) as opened:
        case = opened.load_case()
    assert score_timeline(simulate(case, correct_answers(case)).timeline).percent == 100.0


# -- what an encrypted package shows ----------------------------------------------------


@pytest.mark.parametrize("how", ["passphrase", "key"])
def test_encrypted_package_holds_no_case_text_in_clear(
    how: str, case_dir: Path, tmp_path: Path, author: Ed25519PrivateKey
) -> None:
    data = write_secret_case(case_dir)
    out = tmp_path / "e.cbk"
    secret: dict[str, Any] = (
        {"passphrase": PASSPHRASE} if how == "passphrase" else {"key": b"\1" * 32}
    )
    pack_case(case_dir, out, author, **secret)
    raw = out.read_bytes()
    telling = [*secrets_of(data), b"case.yaml", b"media/", b"Which view?", b"A test case"]
    telling += [b"Subxiphoid", b"Standard views", b"The patient arrives"]
    assert [t for t in telling if t in raw] == []
    assert not ANSWER_FIELD.search(raw)
    manifest = json.loads(zipfile.ZipFile(out).read("manifest.json"))
    assert set(manifest) == {"format", "case", "created", "signer", "encryption", "members"}
    assert manifest["case"] == {"id": "test-case", "version": "1.0.0"}
    assert all(name.endswith(".enc") for name in manifest["members"])


def test_a_plain_package_says_it_is_readable(
    case_dir: Path, tmp_path: Path, author: Ed25519PrivateKey
) -> None:
    manifest = pack_case(case_dir, tmp_path / "p.cbk", author)
    assert manifest.encryption is None
    assert "case.yaml" in manifest.members and "media/still.png" in manifest.members


# -- tampering --------------------------------------------------------------------------


def test_a_flipped_byte_in_any_member_is_detected(
    package: tuple[Path, dict[str, Any]], trusted: TrustedKeys, tmp_path: Path
) -> None:
    """In the raw file (the zip's own checks or the hashes catch it) and in a rebuilt zip
    with valid CRCs (only the signed hashes can catch it).

    A flip in a deflated member's raw bytes can leave its content as it was (the final-block
    bit, the padding bits of the last byte): then the package must open unchanged.
    """
    path, secret = package
    with open_package(path, trusted, **secret) as opened:
        script, files = opened.script, opened_files(opened)
    for info in zipfile.ZipFile(path).infolist():
        name = info.filename
        start, length = data_offset(path, name)
        for offset in {0, length // 2, length - 1}:
            damaged = tmp_path / "raw.cbk"
            damaged.write_bytes(path.read_bytes())
            flip_byte(damaged, start + offset)
            if info.compress_type == zipfile.ZIP_STORED:
                with pytest.raises(PackageError):
                    open_package(damaged, trusted, **secret)
            else:
                try:
                    with open_package(damaged, trusted, **secret) as opened:
                        assert (opened.script, opened_files(opened)) == (script, files)
                except PackageError:
                    pass

            def change(member: str, data: bytes, name: str = name, offset: int = offset) -> bytes:
                return flip_in(data, min(offset, len(data) - 1)) if member == name else data

            rebuilt = rewrite(path, tmp_path / "rebuilt.cbk", change)
            with pytest.raises(PackageError) as refused:
                open_package(rebuilt, trusted, **secret)
            if name not in ("manifest.json", "manifest.sig"):
                assert isinstance(refused.value, TamperedPackage)
                assert f"member {name} was altered" in str(refused.value)
    assert not leftovers()  # nothing was written for any of them


def test_an_altered_manifest_or_signature_is_a_bad_signature(
    package: tuple[Path, dict[str, Any]], trusted: TrustedKeys, tmp_path: Path
) -> None:
    path, secret = package
    manifest = zipfile.ZipFile(path).read("manifest.json")
    # A size or a hash changed: still JSON, still names the trusted signer.
    forged = manifest.replace(b'"size": ', b'"size": 1', 1)
    rebuilt = rewrite(path, tmp_path / "m.cbk", lambda n, d: forged if n == "manifest.json" else d)
    with pytest.raises(BadSignature, match="altered after signing"):
        open_package(rebuilt, trusted, **secret)
    signature = b64url.decode(zipfile.ZipFile(path).read("manifest.sig").decode())
    for index in (0, 31, 63):
        flipped = b64url.encode(flip_in(signature, index)).encode()
        rebuilt = rewrite(
            path, tmp_path / "s.cbk", lambda n, d, f=flipped: f if n == "manifest.sig" else d
        )
        with pytest.raises(BadSignature):
            open_package(rebuilt, trusted, **secret)
    garbled = rewrite(path, tmp_path / "g.cbk", lambda n, d: b"x" + d if n == "manifest.sig" else d)
    with pytest.raises(BadSignature, match="not an Ed25519 signature"):
        read_package(garbled, trusted)


def test_every_flipped_byte_of_the_file_is_refused_or_harmless(
    case_dir: Path, tmp_path: Path, author: Ed25519PrivateKey, trusted: TrustedKeys
) -> None:
    """Some zip bytes (a local header's time, say) are not content; a flip there must leave
    the opened case exactly as packed. Anywhere else it must be refused with a PackageError."""
    path = tmp_path / "p.cbk"
    pack_case(case_dir, path, author)
    original = path.read_bytes()
    expected = source_files(case_dir)
    script = (case_dir / "case.yaml").read_bytes()
    step = max(1, len(original) // 150)
    for offset in [*range(0, len(original), step), *range(len(original) - 200, len(original))]:
        damaged = tmp_path / "d.cbk"
        damaged.write_bytes(flip_in(original, offset))
        try:
            opened = open_package(damaged, trusted)
        except PackageError:
            continue
        with opened:
            assert opened.script == script and opened_files(opened) == expected, offset


def test_missing_and_extra_members_are_refused(
    package: tuple[Path, dict[str, Any]], trusted: TrustedKeys, tmp_path: Path
) -> None:
    path, secret = package
    victim = next(n for n in members(path) if n not in ("manifest.json", "manifest.sig"))
    dropped = rewrite(path, tmp_path / "a.cbk", lambda n, d: None if n == victim else d)
    with pytest.raises(TamperedPackage, match=f"member {victim} is listed in the manifest"):
        open_package(dropped, trusted, **secret)
    added = rewrite(path, tmp_path / "b.cbk", extra={"media/extra.png": b"x"})
    with pytest.raises(TamperedPackage, match=r"member media/extra\.png is not in the signed"):
        open_package(added, trusted, **secret)


def test_unsigned_package_is_refused(
    package: tuple[Path, dict[str, Any]], trusted: TrustedKeys, tmp_path: Path
) -> None:
    path, secret = package
    unsigned = rewrite(path, tmp_path / "u.cbk", lambda n, d: None if n == "manifest.sig" else d)
    with pytest.raises(UnsignedPackage, match="unsigned package"):
        open_package(unsigned, trusted, **secret)


def test_untrusted_signer_is_refused(
    package: tuple[Path, dict[str, Any]], author: Ed25519PrivateKey
) -> None:
    path, secret = package
    other = TrustedKeys.of([Ed25519PrivateKey.generate().public_key()], "the trusted folder")
    kid = jwk_thumbprint(author.public_key())
    for trusted in (other, TrustedKeys()):
        with pytest.raises(UntrustedSigner, match=f"signed by key {kid}, which is not a trusted"):
            open_package(path, trusted, **secret)


def test_truncated_or_foreign_files_are_refused(
    package: tuple[Path, dict[str, Any]], trusted: TrustedKeys, tmp_path: Path
) -> None:
    path, secret = package
    data = path.read_bytes()
    cut = tmp_path / "cut.cbk"
    for length in (10, len(data) // 3, len(data) // 2, len(data) - 22, len(data) - 1):
        cut.write_bytes(data[:length])
        with pytest.raises(NotAPackage, match="truncated or damaged"):
            open_package(cut, trusted, **secret)
    for foreign in (b"", b"format: 1\nid: x\n", b"\x89PNG\r\n\x1a\n" + bytes(100)):
        cut.write_bytes(foreign)
        with pytest.raises(NotAPackage, match=r"not a case package \(not a zip file\)"):
            open_package(cut, trusted, **secret)
    with pytest.raises(NotAPackage, match="no such package"):
        open_package(tmp_path / "absent.cbk", trusted)
    plain_zip = tmp_path / "z.cbk"
    with zipfile.ZipFile(plain_zip, "w") as archive:
        archive.writestr("case.yaml", b"id: x")
    with pytest.raises(NotAPackage, match=r"no manifest\.json"):
        open_package(plain_zip, trusted)


# -- secrets ----------------------------------------------------------------------------


def test_wrong_passphrase_or_key_file_is_said_clearly(
    case_dir: Path, tmp_path: Path, author: Ed25519PrivateKey, trusted: TrustedKeys, key_file: Path
) -> None:
    by_passphrase, by_key = tmp_path / "p.cbk", tmp_path / "k.cbk"
    pack_case(case_dir, by_passphrase, author, passphrase=PASSPHRASE)
    pack_case(case_dir, by_key, author, key=package_crypto.read_key_file(key_file))
    other_key = tmp_path / "other.key"
    package_crypto.write_new_key_file(other_key)
    with pytest.raises(WrongDeliverySecret) as wrong:
        open_package(by_passphrase, trusted, passphrase=b"correct horse battery stapler")
    assert str(wrong.value) == WRONG_SECRET == "wrong delivery passphrase or key file"
    with pytest.raises(WrongDeliverySecret, match=WRONG_SECRET):
        open_package(by_key, trusted, key_file=other_key)
    with pytest.raises(SecretNeeded, match="give the delivery passphrase"):
        open_package(by_passphrase, trusted)
    with pytest.raises(SecretNeeded, match="give the key file"):
        open_package(by_key, trusted, passphrase=PASSPHRASE)
    bad = tmp_path / "bad.key"
    bad.write_bytes(b"not a key")
    with pytest.raises(PackageError, match="not a delivery key file"):
        open_package(by_key, trusted, key_file=bad)
    assert not leftovers()


def test_key_files_are_raw_or_hex_and_made_private(tmp_path: Path) -> None:
    made = tmp_path / "new.key"
    key = package_crypto.write_new_key_file(made)
    assert stat.S_IMODE(made.stat().st_mode) == 0o600
    assert package_crypto.read_key_file(made) == key
    raw = tmp_path / "raw.key"
    raw.write_bytes(key)
    assert package_crypto.read_key_file(raw) == key
    with pytest.raises(package_crypto.CryptoError, match="not overwriting"):
        package_crypto.write_new_key_file(made)


def test_a_member_sealed_under_another_name_does_not_open() -> None:
    key = b"\7" * 32
    sealed = seal(key, "0001.enc", b"text")
    assert package_crypto.unseal(key, "0001.enc", sealed) == b"text"
    with pytest.raises(package_crypto.WrongSecret):
        package_crypto.unseal(key, "0002.enc", sealed)


def test_scrypt_parameters_from_a_package_are_bounded() -> None:
    with pytest.raises(package_crypto.CryptoError, match="unsupported scrypt"):
        package_crypto.key_from_passphrase(b"x", package_crypto.ScryptParams(b"s" * 16, n=3))


def test_scrypt_costlier_than_the_players_own_is_refused_before_deriving(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def derive(*args: object, **kwargs: object) -> None:
        raise AssertionError("scrypt ran")

    monkeypatch.setattr(package_crypto, "Scrypt", derive)
    # The red team's package: n=2^20, r=16, p=16 took 67 s and 2.1 GB per passphrase tried.
    for n, r, p in ((2**20, 16, 16), (2**18, 8, 1), (2**17, 9, 1), (2**17, 8, 2)):
        params = package_crypto.ScryptParams(b"s" * 16, n=n, r=r, p=p)
        with pytest.raises(package_crypto.CryptoError, match="costlier key derivation"):
            package_crypto.key_from_passphrase(b"x", params)
    assert package_crypto.MAX_SCRYPT_N == 2**17  # the cost new packages are made with
    assert (package_crypto.MAX_SCRYPT_R, package_crypto.MAX_SCRYPT_P) == (8, 1)


def _resigned(
    package: Path, out: Path, author: Ed25519PrivateKey, change: Any, key_check: bool = True
) -> Path:
    """The package with its members changed by ``change(members)`` (and without its key check
    value unless ``key_check``) signed again by its author, as an author (or whoever holds
    the author's key) could."""
    with zipfile.ZipFile(package) as archive:
        encryption = json.loads(archive.read("manifest.json"))["encryption"]
        data = {n: archive.read(n) for n in archive.namelist() if n.endswith(".enc")}
    change(data)
    assert "check" in encryption
    if not key_check:
        del encryption["check"]
    return craft(out, author, data, encryption=encryption)


@pytest.fixture
def key_package(case_dir: Path, tmp_path: Path, author: Ed25519PrivateKey, key_file: Path) -> Path:
    """The case packed, encrypted with the key file."""
    package = tmp_path / "k.cbk"
    pack_case(case_dir, package, author, key=package_crypto.read_key_file(key_file))
    return package


def _swap(data: dict[str, bytes]) -> None:
    data["0002.enc"], data["0003.enc"] = data["0003.enc"], data["0002.enc"]


def _cut_tag(data: dict[str, bytes]) -> None:
    data["0002.enc"] = data["0002.enc"][:-4]


def _cut_index(data: dict[str, bytes]) -> None:
    data["index.enc"] = data["index.enc"][:-4]


def _swap_index(data: dict[str, bytes]) -> None:
    data["index.enc"], data["0001.enc"] = data["0001.enc"], data["index.enc"]


@pytest.mark.parametrize(
    "change",
    [_swap, _cut_tag, _cut_index, _swap_index],
    ids=["swapped", "tag cut", "index cut", "index swapped"],
)
def test_members_altered_under_a_new_signature_are_altered_not_a_wrong_secret(
    change: Any,
    key_package: Path,
    tmp_path: Path,
    author: Ed25519PrivateKey,
    trusted: TrustedKeys,
    key_file: Path,
) -> None:
    altered = _resigned(key_package, tmp_path / "altered.cbk", author, change)
    with pytest.raises(TamperedPackage, match="was altered") as caught:
        open_package(altered, trusted, key_file=key_file)
    assert WRONG_SECRET not in str(caught.value)
    assert not leftovers()


@pytest.mark.parametrize("recorded", [True, False], ids=["key check", "made before it"])
def test_a_wrong_key_is_still_a_wrong_key(
    recorded: bool,
    key_package: Path,
    tmp_path: Path,
    author: Ed25519PrivateKey,
    trusted: TrustedKeys,
) -> None:
    package = _resigned(key_package, tmp_path / "again.cbk", author, lambda data: None, recorded)
    other = tmp_path / "other.key"
    package_crypto.write_new_key_file(other)
    with pytest.raises(WrongDeliverySecret, match=WRONG_SECRET):
        open_package(package, trusted, key_file=other)


def test_a_repeated_nonce_is_refused(
    key_package: Path,
    tmp_path: Path,
    author: Ed25519PrivateKey,
    trusted: TrustedKeys,
    key_file: Path,
) -> None:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    key = package_crypto.read_key_file(key_file)

    def reuse_nonce(data: dict[str, bytes]) -> None:
        # 0003.enc sealed again, properly, but with the nonce of 0002.enc.
        nonce = data["0002.enc"][:12]
        plain = package_crypto.unseal(key, "0003.enc", data["0003.enc"])
        ad = b"casebook-package/1\x00" + b"0003.enc"
        data["0003.enc"] = nonce + AESGCM(key).encrypt(nonce, plain, ad)

    altered = _resigned(key_package, tmp_path / "altered.cbk", author, reuse_nonce)
    with pytest.raises(TamperedPackage, match=r"0003\.enc repeats the nonce of member 0002\.enc"):
        open_package(altered, trusted, key_file=key_file)
    assert not leftovers()


# -- names and sizes ----------------------------------------------------------------------

UNSAFE = ["../x", "/etc/x", "a\\b", "C:x", "media/../../x", "./x", "a//b", "a/", "x\x01y"]


@pytest.mark.parametrize("name", UNSAFE)
def test_unsafe_member_names_are_refused(
    name: str,
    package: tuple[Path, dict[str, Any]],
    trusted: TrustedKeys,
    tmp_path: Path,
    author: Ed25519PrivateKey,
) -> None:
    assert member_name_problem(name) is not None
    path, secret = package
    sneaked = rewrite(path, tmp_path / "x.cbk", extra={name: b"payload"})
    with pytest.raises(UnsafeMember, match="unsafe member name"):
        open_package(sneaked, trusted, **secret)
    # Signed into the manifest as well: refused all the same, before anything is written.
    signed = craft(tmp_path / "s.cbk", author, {"case.yaml": b"id: x", name: b"payload"})
    with pytest.raises(UnsafeMember, match="unsafe member name"):
        open_package(signed, trusted)
    assert not leftovers()
    assert not (tmp_path / "x").exists()


@pytest.mark.parametrize("name", ["../evil.txt", "/tmp/evil.txt", "media\\evil.txt", "C:evil"])
def test_unsafe_names_in_the_encrypted_index_are_refused(
    name: str, tmp_path: Path, author: Ed25519PrivateKey, trusted: TrustedKeys
) -> None:
    key = b"\3" * 32
    key_file = tmp_path / "k"
    key_file.write_bytes(key)
    index = json.dumps({"files": {"0001.enc": "case.yaml", "0002.enc": name}}).encode()
    sealed = {
        "index.enc": seal(key, "index.enc", index),
        "0001.enc": seal(key, "0001.enc", b"id: x"),
        "0002.enc": seal(key, "0002.enc", b"payload"),
    }
    path = craft(tmp_path / "i.cbk", author, sealed, {"cipher": "AES-256-GCM", "key": "key-file"})
    with pytest.raises(UnsafeMember, match="unsafe file name"):
        open_package(path, trusted, key_file=key_file)
    assert not leftovers()
    assert not list(tmp_path.rglob("evil*"))


def test_links_and_duplicate_entries_are_refused(
    tmp_path: Path, author: Ed25519PrivateKey, trusted: TrustedKeys
) -> None:
    link = zipfile.ZipInfo("media/link.png")
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    path = craft(
        tmp_path / "l.cbk",
        author,
        {"case.yaml": b"id: x", "media/link.png": b"/etc/passwd"},
        infos={"media/link.png": link},
    )
    with pytest.raises(UnsafeMember, match=r"media/link\.png is a symbolic link"):
        open_package(path, trusted)
    plain = craft(tmp_path / "p.cbk", author, {"case.yaml": b"id: x"})
    for other in ("CASE.yaml", "case.yaml"):
        with pytest.warns(UserWarning) if other == "case.yaml" else nullcontext():
            twice = rewrite(plain, tmp_path / "t.cbk", extra={other: b"id: y"})
        with pytest.raises(UnsafeMember, match="appears twice"):
            open_package(twice, trusted)


def test_oversized_members_are_refused_before_reading(
    package: tuple[Path, dict[str, Any]],
    trusted: TrustedKeys,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path, secret = package
    monkeypatch.setattr(packages, "MAX_MEMBER_BYTES", 50_000)  # the .wav files are 80 kB
    with pytest.raises(OversizedPackage, match="larger than 50,000 bytes, the limit for one"):
        open_package(path, trusted, **secret)
    monkeypatch.setattr(packages, "MAX_MEMBER_BYTES", 10**6)
    monkeypatch.setattr(packages, "MAX_TOTAL_BYTES", 100_000)
    with pytest.raises(OversizedPackage, match="larger than 100,000 bytes"):
        open_package(path, trusted, **secret)


def test_declared_sizes_bound_what_is_read(
    tmp_path: Path, author: Ed25519PrivateKey, trusted: TrustedKeys
) -> None:
    path = craft(
        tmp_path / "s.cbk",
        author,
        {"case.yaml": b"id: x", "media/a.png": b"x" * 1000},
        sizes={"media/a.png": 10},
    )
    with pytest.raises(TamperedPackage, match=r"media/a\.png has 1000 bytes; the signed manifest"):
        open_package(path, trusted)


def test_pack_refuses_an_oversized_media_file(
    case_dir: Path, tmp_path: Path, author: Ed25519PrivateKey, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(packages, "MAX_MEMBER_BYTES", 50_000)
    for secret in ({}, {"key": b"\1" * 32}):
        with pytest.raises(OversizedPackage, match=r"media/\w+\.wav is larger"):
            pack_case(case_dir, tmp_path / "o.cbk", author, **secret)
        assert not (tmp_path / "o.cbk").exists()


# -- private folders after a crash ----------------------------------------------------------


def _dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def _left_folder(root: Path, name: str, pid: int, host: str | None = None) -> Path:
    folder = root / f"open-{name}"
    (folder / "media").mkdir(parents=True)
    (folder / "media" / "clip.mp4").write_bytes(b"decrypted")
    marker = {"pid": pid, "host": host or socket.gethostname(), "created": 0}
    (folder / MARKER).write_text(json.dumps(marker))
    return folder


def test_folders_of_dead_processes_are_removed_at_next_open(
    package: tuple[Path, dict[str, Any]], trusted: TrustedKeys
) -> None:
    path, secret = package
    root = private_root()
    root.mkdir(parents=True)
    dead = _left_folder(root, "dead", _dead_pid())
    ours = _left_folder(root, "ours", os.getpid())
    elsewhere = _left_folder(root, "elsewhere", _dead_pid(), host="another-machine")
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        alive = _left_folder(root, "alive", sleeper.pid)
        with open_package(path, trusted, **secret):
            assert not dead.exists()
            assert ours.exists() and alive.exists() and elsewhere.exists()
    finally:
        sleeper.kill()
        sleeper.wait()
    assert remove_stale_folders() == [alive]


_OPEN_AND_EXIT = """
import os, sys
from pathlib import Path
from casebook_player.core.delivery.packages import open_package
from casebook_player.core.delivery.trust import load_trusted_keys
trusted = load_trusted_keys(Path(sys.argv[2]))
opened = open_package(Path(sys.argv[1]), trusted, key_file=Path(sys.argv[3]))
print(opened.case_dir, flush=True)
if sys.argv[4] == "crash":
    os._exit(9)
"""


@pytest.mark.parametrize("ending", ["crash", "exit"])
def test_a_process_that_ends_without_closing_leaves_nothing_for_long(
    ending: str,
    case_dir: Path,
    tmp_path: Path,
    author: Ed25519PrivateKey,
    trusted: TrustedKeys,
    key_file: Path,
) -> None:
    """A normal exit removes the folder at exit; after a crash the next open removes it."""
    path = tmp_path / "k.cbk"
    pack_case(case_dir, path, author, key=package_crypto.read_key_file(key_file))
    trusted_dir = tmp_path / "trusted"
    trusted_dir.mkdir()
    (trusted_dir / "author.pub").write_text(json.dumps(_jwk(author)))
    args = [str(path), str(trusted_dir), str(key_file), ending]
    run = subprocess.run(
        [sys.executable, "-c", _OPEN_AND_EXIT, *args], capture_output=True, text=True
    )
    assert run.returncode == (9 if ending == "crash" else 0), run.stderr
    folder = Path(run.stdout.strip())
    assert folder.parent == private_root()
    assert folder.exists() == (ending == "crash")
    with open_package(path, trusted, key_file=key_file) as opened:
        assert not folder.exists()
        assert opened.case_dir.exists()


def _jwk(key: Ed25519PrivateKey) -> dict[str, str]:
    from casebook_player.core.crypto.keys import public_jwk

    return public_jwk(key.public_key())


def test_inspect_reports_the_manifest_even_when_it_does_not_verify(
    package: tuple[Path, dict[str, Any]], trusted: TrustedKeys, tmp_path: Path
) -> None:
    path, _ = package
    good = inspect_package(path, trusted)
    assert good.verified and good.problem is None and good.manifest is not None
    assert good.signer == good.manifest.signer
    untrusted = inspect_package(path, TrustedKeys())
    assert not untrusted.verified and untrusted.signer is None
    assert untrusted.manifest == good.manifest
    victim = next(n for n in members(path) if n.startswith(("media/", "0")))
    altered = rewrite(path, tmp_path / "a.cbk", lambda n, d: flip_in(d, 0) if n == victim else d)
    bad = inspect_package(altered, trusted)
    assert not bad.verified and bad.signer == good.signer and victim in (bad.problem or "")


def test_inspect_names_a_signer_only_once_its_signature_checks_out(
    package: tuple[Path, dict[str, Any]], trusted: TrustedKeys, tmp_path: Path
) -> None:
    path, _ = package
    altered = rewrite(
        path, tmp_path / "a.cbk", lambda n, d: d + b" " if n == "manifest.json" else d
    )
    shown = inspect_package(altered, trusted)
    assert shown.manifest is not None and shown.manifest.signer in trusted.keys  # claimed
    assert not shown.verified and shown.signer is None
    assert "the signature does not match the manifest" in (shown.problem or "")


def test_a_deeply_nested_manifest_is_refused_not_a_traceback(
    package: tuple[Path, dict[str, Any]], trusted: TrustedKeys, tmp_path: Path
) -> None:
    path, _ = package
    deep = b"[" * 100_000 + b"]" * 100_000
    altered = rewrite(path, tmp_path / "a.cbk", lambda n, d: deep if n == "manifest.json" else d)
    shown = inspect_package(altered, trusted)
    assert not shown.verified and "nesting deeper than 64 levels" in (shown.problem or "")
