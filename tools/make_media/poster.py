"""The poster shown while audio-only narration plays: a simple patient card, drawn by
ffmpeg's drawtext (DejaVu fonts, Debian package fonts-dejavu-core) into a grey PNG."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

import numpy as np

from .pngio import write_gray_png

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
FONT_BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
W, H = 480, 360


def write_poster(path: Path, heading: str, name: str, details: list[str], setting: str) -> None:
    """Card: a heading band, the simulated patient's name, detail lines, the setting."""
    with tempfile.TemporaryDirectory() as tmp:
        lines: list[tuple[str, str, int, int, int, str]] = [
            (heading.upper(), FONT_BOLD, 15, 24, 20, "0xD8D8D8"),
            (name, FONT_BOLD, 24, 24, 74, "white"),
        ]
        y = 118
        for d in details:
            lines.append((d, FONT, 17, 24, y, "0xE0E0E0"))
            y += 30
        lines.append((setting, FONT, 14, 24, H - 44, "0xB0B0B0"))
        filters = [
            f"drawbox=x=0:y=0:w={W}:h=58:color=0x303030:t=fill",
            f"drawbox=x=24:y=104:w={W - 48}:h=2:color=0x707070:t=fill",
        ]
        for i, (text, font, size, x, yy, colour) in enumerate(lines):
            tf = Path(tmp) / f"l{i}.txt"
            tf.write_text(text, encoding="utf-8")
            filters.append(
                f"drawtext=fontfile={font}:textfile={tf}:fontsize={size}:x={x}:y={yy}"
                f":fontcolor={colour}"
            )
        out = subprocess.run(
            ["ffmpeg", "-loglevel", "error", "-f", "lavfi", "-i", f"color=c=0x161616:s={W}x{H}",
             "-vf", ",".join(filters), "-frames:v", "1", "-pix_fmt", "gray", "-f", "rawvideo",
             "-"],
            check=True, capture_output=True,
        )  # fmt: skip
    img = np.frombuffer(out.stdout, np.uint8).reshape(H, W)
    write_gray_png(path, img)
