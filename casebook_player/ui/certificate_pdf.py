"""The certificate of completion: one landscape A4 page with a verification code."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPen

from casebook_player.ui.pdfpage import Orientation, font, pdf_page

_TEXT = QColor("#111111")
_ACCENT = QColor("#2b6ca3")


@dataclass(frozen=True)
class CertificateText:
    """What the page says; every field comes from the decision and the signed badge."""

    candidate_name: str
    candidate_id: str
    certificate: str
    areas: tuple[str, ...]
    issued_on: str
    issuer: str
    programme: str
    code: str
    key_id: str


def write_certificate(text: CertificateText, path: Path) -> None:
    with pdf_page(path, f"{text.certificate}: {text.candidate_name}", Orientation.Landscape) as (
        painter,
        page,
    ):
        mm = painter.device().logicalDpiY() / 25.4
        painter.setPen(QPen(_ACCENT, 1.2 * mm))
        painter.drawRect(page.adjusted(2 * mm, 2 * mm, -2 * mm, -2 * mm))
        y = page.top() + 22 * mm
        centred = int(Qt.AlignmentFlag.AlignHCenter | Qt.TextFlag.TextWordWrap)

        def line(words: str, size: float, bold: bool = False, gap: float = 4.0) -> None:
            nonlocal y
            painter.setFont(font(size, bold))
            box = QRectF(page.left() + 12 * mm, y, page.width() - 24 * mm, page.height())
            used = painter.boundingRect(box, centred, words)
            painter.drawText(box, centred, words)
            y += used.height() + gap * mm

        painter.setPen(_TEXT)
        line(text.issuer, 14)
        line("Certificate of completion", 30, bold=True, gap=10)
        line("This certifies that", 12)
        line(text.candidate_name, 26, bold=True, gap=2)
        line(f"candidate {text.candidate_id}", 10, gap=8)
        line("has met every requirement of", 12)
        line(text.certificate, 20, bold=True, gap=3)
        line("Clinical areas: " + ", ".join(text.areas), 12, gap=10)
        line(f"Issued {text.issued_on} · {text.programme}", 11, gap=12)
        line(f"Verification code {text.code}", 14, bold=True, gap=2)
        line(
            "The digital badge (an Open Badges 3.0 credential) carries this code: check it "
            f"with `casebook verify BADGE --key PROGRAMME_KEY` (key id {text.key_id}).",
            8,
        )
