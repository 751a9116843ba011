"""The report's click maps are drawn on the picture candidates clicked on."""

from __future__ import annotations

from pathlib import Path

import av

from casebook_player.core.analytics.report import first_picture
from casebook_player.core.case.loader import load_case

ROOT = Path(__file__).resolve().parents[3]


def test_a_clip_and_a_still_give_their_picture_at_their_size() -> None:
    case = load_case(ROOT / "cases" / "aaa")
    media = [m for _, kp in case.key_points() for m in kp.media]
    clips = [m for m in media if m.path.suffix == ".mp4"]
    stills = [m for m in media if m.path.suffix == ".png"]
    assert clips and stills
    for entry in (clips[0], stills[0]):
        picture = first_picture(entry.path)
        assert picture is not None
        with av.open(str(entry.path)) as container:
            stream = container.streams.video[0]
            assert picture.shape == (stream.height, stream.width, 3)
        assert picture.max() > 0  # a picture, not a black frame


def test_an_unreadable_picture_gives_none(tmp_path: Path) -> None:
    broken = tmp_path / "broken.mp4"
    broken.write_bytes(b"not a video")
    assert first_picture(broken) is None
    assert first_picture(tmp_path / "missing.png") is None
