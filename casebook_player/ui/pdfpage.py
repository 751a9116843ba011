"""One A4 page in a PDF, drawn with Qt's own PDF writer: the score report and the certificate."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from PySide6.QtCore import QMarginsF, QRectF
from PySide6.QtGui import QFont, QPageLayout, QPageSize, QPainter, QPdfWriter

Orientation = QPageLayout.Orientation


@contextmanager
def pdf_page(
    path: Path, title: str, orientation: Orientation = Orientation.Portrait
) -> Iterator[tuple[QPainter, QRectF]]:
    """A painter on one A4 page at 300 dpi with 18 mm margins, and the page's drawable area."""
    path.parent.mkdir(parents=True, exist_ok=True)
    writer = QPdfWriter(str(path))
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            orientation,
            QMarginsF(18, 18, 18, 18),
            QPageLayout.Unit.Millimeter,
        )
    )
    writer.setResolution(300)
    writer.setTitle(title)
    writer.setCreator("casebook_player")
    painter = QPainter(writer)
    try:
        yield painter, QRectF(painter.viewport())
    finally:
        painter.end()


def font(points: float, bold: bool = False) -> QFont:
    result = QFont("DejaVu Sans")
    result.setPointSizeF(points)
    result.setBold(bold)
    return result
