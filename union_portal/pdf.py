"""PDF documents with Chinese text (decision letters, certificates) using ReportLab's built-in CID font
STSong-Light: no font file to ship or download."""

import io
from collections.abc import Iterable

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

FONT = "STSong-Light"
_registered = False


def _font() -> str:
    global _registered
    if not _registered:
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
        _registered = True
    return FONT


def wrap(text: str, width_pt: float, size: float) -> list[str]:
    """Break text (Chinese has no spaces) into lines that fit ``width_pt``."""
    font = _font()
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for ch in paragraph:
            if pdfmetrics.stringWidth(line + ch, font, size) > width_pt:
                lines.append(line)
                line = ch
            else:
                line += ch
        lines.append(line)
    return lines


def letter(*, title: str, paragraphs: Iterable[str], footer_lines: Iterable[str] = (), page=A4) -> bytes:
    """A one-or-more-page letter: a centred title, body paragraphs, right-aligned signature lines."""
    font = _font()
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=page)
    c.setTitle(title)
    width, height = page
    left, right, top = 25 * mm, width - 25 * mm, height - 30 * mm
    c.setFont(font, 20)
    c.drawCentredString(width / 2, top, title)
    y = top - 18 * mm
    c.setFont(font, 12)
    for paragraph in paragraphs:
        for line in wrap("　　" + paragraph, right - left, 12):
            if y < 30 * mm:
                c.showPage()
                c.setFont(font, 12)
                y = height - 30 * mm
            c.drawString(left, y, line)
            y -= 8 * mm
        y -= 2 * mm
    y -= 10 * mm
    for line in footer_lines:
        c.drawRightString(right, y, line)
        y -= 8 * mm
    c.showPage()
    c.save()
    return buffer.getvalue()


def certificate(*, heading: str, name: str, body: str, issuer: str, date_text: str) -> bytes:
    """A landscape A4 certificate with a border."""
    font = _font()
    buffer = io.BytesIO()
    page = landscape(A4)
    c = canvas.Canvas(buffer, pagesize=page)
    c.setTitle(heading)
    width, height = page
    c.setStrokeColorRGB(0.72, 0.11, 0.11)
    c.setLineWidth(4)
    c.rect(12 * mm, 12 * mm, width - 24 * mm, height - 24 * mm)
    c.setLineWidth(1)
    c.rect(16 * mm, 16 * mm, width - 32 * mm, height - 32 * mm)
    c.setFillColorRGB(0.72, 0.11, 0.11)
    c.setFont(font, 40)
    c.drawCentredString(width / 2, height - 55 * mm, heading)
    c.setFillColorRGB(0, 0, 0)
    c.setFont(font, 22)
    c.drawString(40 * mm, height - 85 * mm, f"{name}：")
    c.setFont(font, 18)
    y = height - 100 * mm
    for line in wrap("　　" + body, width - 80 * mm, 18):
        c.drawString(40 * mm, y, line)
        y -= 11 * mm
    c.setFont(font, 16)
    c.drawRightString(width - 40 * mm, 45 * mm, issuer)
    c.drawRightString(width - 40 * mm, 35 * mm, date_text)
    c.showPage()
    c.save()
    return buffer.getvalue()
