"""Video submissions: the rules per file and folder, clean copies without metadata, manifest."""

from __future__ import annotations

from pathlib import Path

import av
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from videofactory import IDENTIFYING, make_jpeg, make_png, make_video

from casebook_player.core.submissions.check import AREAS, check_submission, write_clean_copies
from casebook_player.core.submissions.manifest import (
    SIGNED_NAME,
    manifest_document,
    verify_submission,
    write_manifest,
)
from casebook_player.core.submissions.metadata import Removed, mask
from casebook_player.core.submissions.stills import inspect_still, write_clean_still
from casebook_player.core.submissions.videos import inspect_video, write_clean_copy


@pytest.fixture(scope="module")
def clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A good 6-second MP4, made once and copied where needed."""
    return make_video(tmp_path_factory.mktemp("clips") / "clip.mp4")


def folder_with(tmp_path: Path, clip: Path, **files: Path | bytes | None) -> Path:
    """A submission folder: normal.mp4 and pathology.mp4 copies of ``clip`` unless replaced."""
    folder = tmp_path / "submission"
    folder.mkdir(parents=True)
    defaults: dict[str, Path | bytes | None] = {"normal.mp4": clip, "pathology.mp4": clip}
    for name, source in {**defaults, **files}.items():
        if source is not None:
            data = source if isinstance(source, bytes) else source.read_bytes()
            (folder / name).write_bytes(data)
    return folder


def problems(folder: Path, area: str = "lung") -> list[str]:
    return check_submission(folder, area).all_problems()


def test_a_good_submission_passes(tmp_path: Path, clip: Path) -> None:
    folder = folder_with(tmp_path, clip, **{".DS_Store": b"x"})
    check = check_submission(folder, "lung")
    assert check.ok, check.all_problems()
    assert [(f.role, f.duration) for f in check.files] == [("normal", 6.0), ("pathology", 6.0)]
    assert check.ignored == [".DS_Store: hidden file"]


def test_roles_come_from_the_start_of_the_name(tmp_path: Path, clip: Path) -> None:
    folder = folder_with(
        tmp_path,
        clip,
        **{"normal.mp4": None, "pathology.mp4": None},
        **{"Normal RUQ.mp4": clip, "PATHOLOGY free fluid.mp4": clip, "notes.txt": b"hi"},
    )
    assert problems(folder) == [
        "notes.txt: the name does not say what it is: start it with 'normal', 'pathology' or "
        "'measurement'"
    ]


def test_a_missing_or_doubled_role(tmp_path: Path, clip: Path) -> None:
    folder = folder_with(tmp_path, clip, **{"normal-2.mp4": clip, "pathology.mp4": None})
    assert problems(folder) == [
        "2 files claim the role normal (normal-2.mp4, normal.mp4): keep one",
        "no pathology video: add it as pathology.mp4 (any .mp4 name starting with 'pathology')",
    ]


def test_areas_that_need_a_measurement_still(tmp_path: Path, clip: Path) -> None:
    assert {a.id for a in AREAS.values() if a.needs_measurement} == {
        "aaa",
        "obstetrics",
        "hepatobiliary",
        "renal",
    }
    folder = folder_with(tmp_path, clip)
    assert problems(folder, "aaa") == [
        "no still image with a measurement (maximal aortic diameter): Abdominal aortic "
        "aneurysm needs one; add it as measurement.png or measurement.jpg"
    ]
    make_png(folder / "measurement.png")
    assert problems(folder, "aaa") == []


@pytest.mark.parametrize(
    ("seconds", "fps", "message"),
    [
        (3, 4, "too short: 3.0 s; videos must last 5–60 s"),
        (62, 1, "too long: 62.0 s; videos must last 5–60 s"),
    ],
)
def test_too_short_and_too_long(
    tmp_path: Path, clip: Path, seconds: float, fps: int, message: str
) -> None:
    video = make_video(tmp_path / "v.mp4", seconds=seconds, fps=fps)
    assert problems(folder_with(tmp_path, clip, **{"normal.mp4": video})) == [
        f"normal.mp4: {message}"
    ]


def test_limits_are_inclusive(tmp_path: Path, clip: Path) -> None:
    five = make_video(tmp_path / "5.mp4", seconds=5)
    sixty = make_video(tmp_path / "60.mp4", seconds=60, fps=1)
    folder = folder_with(tmp_path, clip, **{"normal.mp4": five, "pathology.mp4": sixty})
    assert problems(folder) == []


@pytest.mark.parametrize(
    ("container", "name", "expected"),
    [
        (
            "matroska",
            "normal.mp4",
            [
                "normal.mp4: the file is Matroska/WebM (.mkv, .webm), not MP4 (whatever its name "
                "says): export or convert it to MP4"
            ],
        ),
        (
            "mov",
            "normal.mp4",
            [
                "normal.mp4: the file is QuickTime (.mov), not MP4 (whatever its name says): "
                "export or convert it to MP4"
            ],
        ),
        (
            "avi",
            "normal.avi",
            [
                "normal.avi: the name ends in '.avi': videos must be .mp4",
                "normal.avi: the file is AVI, not MP4 (whatever its name says): export or "
                "convert it to MP4",
            ],
        ),
    ],
)
def test_wrong_container_is_found_by_content_not_name(
    tmp_path: Path, clip: Path, container: str, name: str, expected: list[str]
) -> None:
    video = make_video(tmp_path / "v", container=container)
    folder = folder_with(tmp_path, clip, **{"normal.mp4": None, name: video})
    assert problems(folder) == expected


def test_a_mp4_named_otherwise(tmp_path: Path, clip: Path) -> None:
    folder = folder_with(tmp_path, clip, **{"normal.mp4": None, "normal.mov": clip})
    assert problems(folder) == ["normal.mov: the name ends in '.mov': videos must be .mp4"]


def test_corrupt_files(tmp_path: Path, clip: Path) -> None:
    whole = clip.read_bytes()
    folder = folder_with(
        tmp_path,
        clip,
        **{"normal.mp4": whole[: len(whole) // 2], "pathology.mp4": b"\0not a video" * 50},
    )
    found = problems(folder)
    assert found[0].startswith("normal.mp4: not a usable video: ")
    assert found[1] == (
        "pathology.mp4: not a usable video: FFmpeg cannot read it: Invalid data found when "
        "processing input"
    )


def test_a_video_cut_short_with_its_index_first_does_not_decode_to_the_end(
    tmp_path: Path, clip: Path
) -> None:
    # With the index (moov) first, a truncated file still opens and says how long it is.
    fast = tmp_path / "fast.mp4"
    with (
        av.open(str(clip)) as src,
        av.open(str(fast), "w", format="mp4", options={"movflags": "+faststart"}) as out,
    ):
        stream = out.add_stream_from_template(src.streams.video[0])
        for packet in src.demux(src.streams.video[0]):
            if packet.dts is not None:
                packet.stream = stream
                out.mux(packet)
    data = fast.read_bytes()
    folder = folder_with(tmp_path, clip, **{"normal.mp4": data[: len(data) * 2 // 3]})
    (problem,) = problems(folder)
    assert problem.startswith("normal.mp4: ")
    assert "does not decode to the end" in problem or "frames decode" in problem


def test_clean_copy_has_no_metadata_and_the_same_frames(tmp_path: Path) -> None:
    source = make_video(tmp_path / "in.mp4", metadata=IDENTIFYING, handler_name="DOE^JANE")
    found = {(r.where, r.key) for r in inspect_video(source).metadata}
    assert {("container", k) for k in IDENTIFYING} <= found
    assert ("stream #0 (video)", "handler_name") in found
    target = tmp_path / "out.mp4"
    removed = write_clean_copy(source, target)
    assert {(r.where, r.key) for r in removed} >= found
    assert Removed("container", "serial_number", "SN-0012345") in removed
    with av.open(str(target)) as clean:
        assert set(clean.metadata) <= {"major_brand", "minor_version", "compatible_brands"}
        assert clean.streams.video[0].metadata.get("handler_name") == "VideoHandler"
        assert "creation_time" not in clean.streams.video[0].metadata
    data = target.read_bytes()
    for value in [*IDENTIFYING.values(), "DOE^JANE", "Lavf"]:
        assert value.encode() not in data, value
    assert _packets(target) == _packets(source)


def _packets(path: Path) -> list[bytes]:
    with av.open(str(path)) as container:
        return [bytes(p) for p in container.demux(video=0) if p.size]


def test_reported_values_are_masked() -> None:
    assert mask("DOE^JANE 1970-01-01") == "DOE^*************** (19 characters)"
    assert mask("abc") == "***"
    assert str(Removed("container", "encoder", "Lavf62")) == "container: encoder = Lavf62"
    assert (
        str(Removed("container", "title", "Jane Doe"))
        == "container: title = Ja****** (8 characters)"
    )


def test_png_text_chunks_are_removed_and_the_pixels_kept(tmp_path: Path) -> None:
    source = make_png(tmp_path / "m.png", text={"Author": "Jane Doe", "Comment": "MRN 12345"})
    assert {r.key for r in inspect_still(source).metadata} == {"Author", "Comment"}
    removed = write_clean_still(source, tmp_path / "clean.png")
    assert [str(r) for r in removed] == [
        "PNG tEXt chunk: Author",
        "PNG tEXt chunk: Comment",
        "image: Author = Ja****** (8 characters)",
        "image: Comment = MR******* (9 characters)",
    ]
    data = (tmp_path / "clean.png").read_bytes()
    assert b"Jane" not in data and b"tEXt" not in data
    assert inspect_still(tmp_path / "clean.png").metadata == ()


def test_jpeg_exif_and_comments_are_removed(tmp_path: Path) -> None:
    source = make_jpeg(tmp_path / "m.jpg", make="Acme", comment="DOE^JANE")
    assert [(r.key, r.value) for r in inspect_still(source).metadata] == [("Make", "Acme")]
    removed = {str(r) for r in write_clean_still(source, tmp_path / "clean.jpg")}
    assert "JPEG APP1 EXIF: 37 bytes" in removed
    assert "JPEG comment: text = DO****** (8 characters)" in removed
    data = (tmp_path / "clean.jpg").read_bytes()
    assert b"Exif" not in data and b"DOE^JANE" not in data and b"Acme" not in data


def test_a_still_that_is_not_an_image(tmp_path: Path, clip: Path) -> None:
    folder = folder_with(tmp_path, clip, **{"measurement.png": b"GIF89a junk"})
    assert problems(folder, "aaa")[0].startswith("measurement.png: not a usable image: ")
    folder2 = folder_with(tmp_path / "b", clip, **{"measurement.png": clip})
    assert problems(folder2, "aaa")[-1].startswith("measurement.png: it is not a PNG or JPEG image")


def test_manifest_signed_verified_and_tampering_found(tmp_path: Path, clip: Path) -> None:
    key = Ed25519PrivateKey.generate()
    source = folder_with(tmp_path, clip, **{"normal.mp4": make_video(tmp_path / "n.mp4", 7)})
    make_png(source / "measurement.png", text={"Author": "x"})
    check = check_submission(source, "aaa")
    out = tmp_path / "out"
    write_clean_copies(check, out)
    document = manifest_document(check, out, "C-7", checked_at=1_767_225_600.0)
    assert [(f["name"], f["role"], f["duration_s"]) for f in document["files"]] == [
        ("normal.mp4", "normal", 7.0),
        ("pathology.mp4", "pathology", 6.0),
        ("measurement.png", "measurement", None),
    ]
    assert document["checked_at"] == "2026-01-01T00:00:00.000+00:00"
    assert write_manifest(out, document, key).name == SIGNED_NAME
    result = verify_submission(out, [key.public_key()])
    assert result.ok and result.checked == ["normal.mp4", "pathology.mp4", "measurement.png"]

    assert not verify_submission(out, [Ed25519PrivateKey.generate().public_key()]).ok
    with (out / "pathology.mp4").open("ab") as f:
        f.write(b"\0")
    (out / "extra.mp4").write_bytes(b"x")
    (out / "measurement.png").unlink()
    assert verify_submission(out, [key.public_key()]).problems == [
        "pathology.mp4: changed since it was checked (sha256 differs)",
        "measurement.png: missing",
        "extra.mp4: not in the manifest",
    ]
    manifest = out / SIGNED_NAME
    manifest.write_text(manifest.read_text().replace("a", "b", 1))
    (problem,) = verify_submission(out, [key.public_key()]).problems
    assert problem.startswith(f"{SIGNED_NAME}: ")


def test_an_unsigned_manifest_does_not_verify(tmp_path: Path, clip: Path) -> None:
    check = check_submission(folder_with(tmp_path, clip), "lung")
    out = tmp_path / "out"
    write_clean_copies(check, out)
    write_manifest(out, manifest_document(check, out, None), None)
    result = verify_submission(out, [Ed25519PrivateKey.generate().public_key()])
    assert result.problems == [
        f"no {SIGNED_NAME} in {out}: manifest.json is not signed, so nothing proves it unchanged"
    ]
