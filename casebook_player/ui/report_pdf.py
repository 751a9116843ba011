"""A one-page PDF score report drawn with Qt's own PDF writer."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen

from casebook_player.core.session.results import custody_lines
from casebook_player.ui.pdfpage import font, pdf_page

_TEXT = QColor("#111111")
_BAR = QColor("#2b6ca3")
_TRACK = QColor("#e3e6ea")


def write_report(document: dict[str, Any], path: Path, signature_note: str) -> None:
    """Candidate, case, pass/fail and a bar per blueprint domain, on one A4 page."""
    with pdf_page(path, f"Score report: {document['case']['title']}") as (painter, page):
        _draw(painter, page, document, signature_note)


def _draw(painter: QPainter, page: QRectF, document: dict[str, Any], signature_note: str) -> None:
    dpi = painter.device().logicalDpiY()
    mm = dpi / 25.4
    y = page.top()
    painter.setPen(_TEXT)

    def line(text: str, size: float, bold: bool = False, gap: float = 2.0) -> None:
        nonlocal y
        painter.setFont(font(size, bold))
        height = painter.fontMetrics().height()
        painter.drawText(QRectF(page.left(), y, page.width(), height), text)
        y += height + gap * mm

    case, candidate = document["case"], document["candidate"]
    line("Score report", 20, bold=True, gap=4)
    line(case["title"], 13, bold=True)
    line(f"Case {case['id']} · version {case['version']} · {case['clinical_area']}", 10)
    name = f" ({candidate['name']})" if candidate.get("name") else ""
    line(f"Candidate {candidate['id']}{name}", 10)
    line(
        f"Started {document['started_at']} · ended {document['ended_at']} "
        f"({document['end_reason'].replace('_', ' ')})",
        9,
        gap=6,
    )
    verdict = "PASS" if document["passed"] else "FAIL"
    line(
        f"{verdict}: {document['percent']:.1f} % (cut score {document['cut_score']:g} %)",
        18,
        bold=True,
        gap=1,
    )
    line(f"{document['raw']:g} of {document['max']:g} points", 10, gap=8)
    line("By blueprint domain (the vertical line marks the cut score)", 11, bold=True, gap=3)

    label_width = page.width() * 0.38
    bar_left = page.left() + label_width
    bar_width = page.width() - label_width - 22 * mm
    row = 9 * mm
    painter.setFont(font(10))
    for domain in document["domains"]:
        if not domain["max"]:
            continue
        text_rect = QRectF(page.left(), y, label_width - 3 * mm, row)
        painter.setPen(_TEXT)
        painter.drawText(text_rect, int(Qt.AlignmentFlag.AlignVCenter), domain["name"])
        bar = QRectF(bar_left, y + row * 0.25, bar_width, row * 0.5)
        painter.fillRect(bar, _TRACK)
        painter.fillRect(
            QRectF(bar.topLeft(), bar.size()).adjusted(
                0, 0, -bar_width * (1 - domain["percent"] / 100), 0
            ),
            _BAR,
        )
        cut_x = bar_left + bar_width * document["cut_score"] / 100
        painter.setPen(QPen(_TEXT, 0.6 * mm))
        painter.drawLine(
            int(cut_x), int(bar.top() - 1 * mm), int(cut_x), int(bar.bottom() + 1 * mm)
        )
        painter.setPen(_TEXT)
        value_rect = QRectF(bar.right() + 3 * mm, y, 20 * mm, row)
        painter.drawText(
            value_rect, int(Qt.AlignmentFlag.AlignVCenter), f"{domain['percent']:.0f} %"
        )
        y += row
    y += 6 * mm
    line(signature_note, 8)
    for custody in custody_lines(document):
        line(custody, 8)
    line(f"Case script sha256 {case['sha256']}", 7)
    line(f"{document['player']['name']} {document['player']['version']}", 7)
