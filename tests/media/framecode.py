"""Read back the frame number that tools/make_test_clips.py draws into tests/data/frames.mp4.

The top band holds BITS black/white blocks (most significant bit left); sampling the middle
of each block keeps the reading immune to scaling, compression and chroma subsampling.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QColor, QImage

DATA = Path(__file__).resolve().parent.parent / "data"
CLIP = DATA / "frames.mp4"  # 160×96, 25 fps, 50 frames (2000 ms), every frame a keyframe
GOP_CLIP = DATA / "frames_gop.mp4"  # the same frames, a keyframe every 25 frames, B-frames
TONE = DATA / "tone.m4a"  # 1000 ms sine, audio only
FPS = 25
FRAME_MS = 40
CLIP_FRAMES = 50
CLIP_MS = 2000
TONE_MS = 1000

BITS = 8
BAND_HEIGHT, HEIGHT = 40, 96  # in the clip's own pixels


def frame_number(image: QImage) -> int:
    """The frame number encoded in `image`'s top band."""
    if image.isNull():
        raise ValueError("null image")
    y = int(image.height() * (BAND_HEIGHT / 2) / HEIGHT)
    number = 0
    for bit in range(BITS):
        x = int(image.width() * (bit + 0.5) / BITS)
        lightness = QColor(image.pixel(x, y)).lightness()
        number = number * 2 + (1 if lightness > 127 else 0)
    return number


def frame_at(ms: int) -> int:
    """The clip's frame on screen at `ms`."""
    return min(CLIP_FRAMES - 1, ms // FRAME_MS)
