"""PDF documents with Chinese text (decision letters, certificates).

Fonts are TrueType files committed under ``union_portal/fonts/`` (with their licences) and embedded, subset, in
every document, so no viewer substitutes a font of its own: WenQuanYi Micro Hei first, then HanaMin B for the CJK
Extension B–F plane (𠮷 U+20BB7, 𬌗 U+2C317) and a HanaMin A subset for what WenQuanYi lacks in the BMP (Extension
A: 䶮; and ǎ ℃ Ⅴ, which WenQuanYi has as blank glyphs). ReportLab embeds only
TrueType outlines (not the CFF of Noto/Source Han), hence these. Text is split into runs by the first font that has
each character; a character that no font has stops the document with ``UnprintableCharacter`` (a ValidationError
whose message tells staff which character), never printed as a box or as another glyph.

Lines break between any two CJK characters but never put closing punctuation (，。、）》…) at the start of a line
or opening punctuation (（《“) at its end, and never split a run of Latin letters and digits (a claim number, an
amount).
"""

import datetime as dt
import functools
import io
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfgen import canvas

FONT_DIR = Path(__file__).resolve().parent / "fonts"


@dataclass(frozen=True)
class _FontFile:
    name: str  # the name registered with ReportLab
    file: str
    subfont: int | None  # the face in a TrueType collection
    planes: tuple[int, ...]  # the Unicode planes it covers (0: the BMP); other planes are not looked up in it


# The fallback order. The Hanazono subsets hold only what WenQuanYi lacks, so the order among them is immaterial.
FONTS = (
    _FontFile("UnionPortal-WenQuanYiMicroHei", "wqy-microhei.ttc", 0, (0,)),
    _FontFile("UnionPortal-HanaMinB", "HanaMinB-ext.ttf", None, (2,)),
    _FontFile("UnionPortal-HanaMinA", "HanaMinA-gaps.ttf", None, (0,)),
)
FONT = FONTS[0].name  # the main font (also the canvas's initial font: no unembedded Helvetica)

RED = (0.80, 0.0, 0.0)

# Line-breaking rules for Chinese (避头尾; W3C "Requirements for Chinese Text Layout", GB/T 15834-2011): these
# never start a line ...
NO_LINE_START = frozenset(
    "，。、；：？！）》」』】〕〉］｝〗〙〞”’…—～·・‧%‰℃°′″,.;:?!)]}>"  # noqa: RUF001 (full-width punctuation)
)
# ... and these never end one.
NO_LINE_END = frozenset("（《「『【〔〈［｛〖〘〝“‘￥$([{<")  # noqa: RUF001


class UnprintableCharacter(ValidationError):
    """A character that none of the fonts has. The message (in the active language) names the character, its
    code point and where it is; the document is not made."""

    def __init__(self, char: str, *, text: str = "", field: str = ""):
        self.char = char
        params = {"char": char, "code": f"{ord(char):04X}", "field": field, "text": text}
        if field:
            message = _(
                "The character “%(char)s” (U+%(code)s) in %(field)s cannot be printed: no font of the portal has "
                "it. Please contact the administrator."
            )
        else:
            message = _(
                "The character “%(char)s” (U+%(code)s) in “%(text)s” cannot be printed: no font of the portal has "
                "it. Please contact the administrator."
            )
        super().__init__(message % params, code="unprintable")


# --- fonts ------------------------------------------------------------------------------------------------
def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """ReportLab's ToUnicode CMap writes each character as ``%04X``: a character outside the BMP (𠮷 U+20BB7) gets
    five hex digits, which readers take as U+20BB, so copied or searched text comes out wrong. A ToUnicode CMap
    wants UTF-16BE (a surrogate pair there); otherwise this is ReportLab's own ``makeToUnicodeCMap``."""
    lines = [
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        "/CIDSystemInfo",
        f"<< /Registry ({fontname})",
        f"/Ordering ({fontname})",
        "/Supplement 0",
        ">> def",
        f"/CMapName /{fontname} def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        f"<00> <{len(subset) - 1:02X}>",
        "endcodespacerange",
        f"{len(subset)} beginbfchar",
        *(f"<{i:02X}> <{chr(v).encode('utf-16-be', 'surrogatepass').hex().upper()}>" for i, v in enumerate(subset)),
        "endbfchar",
        "endcmap",
        "CMapName currentdict /CMap defineresource pop",
        "end",
        "end",
    ]
    return "\n".join(lines)


@functools.cache
def _load(index: int) -> ttfonts.TTFont:
    """Register font ``index`` of FONTS with ReportLab (once per process; the big ones only when needed)."""
    ttfonts.makeToUnicodeCMap = _to_unicode_cmap  # see _to_unicode_cmap
    spec = FONTS[index]
    kwargs = {"subfontIndex": spec.subfont} if spec.subfont is not None else {}
    font = ttfonts.TTFont(spec.name, str(FONT_DIR / spec.file), **kwargs)
    pdfmetrics.registerFont(font)
    return font


# Never printed, whatever a font maps them to: private-use characters (their glyph is each font's own guess),
# combining marks (ReportLab does not position them on their base), control, format and surrogate codes.
_NEVER_PRINTED = {"Co", "Mn", "Mc", "Me", "Cc", "Cf", "Cs"}


@functools.lru_cache(maxsize=65536)
def font_for(char: str) -> str | None:
    """The name of the first font with a real glyph for ``char`` (an outline: WenQuanYi maps ǎ ǐ ǒ ǔ ℃ Ⅴ ... to
    an empty glyph, which would print a blank), or None."""
    if unicodedata.category(char) in _NEVER_PRINTED:
        return None
    code = ord(char)
    for index, spec in enumerate(FONTS):
        if code >> 16 not in spec.planes:
            continue
        face = _load(index).face
        glyph = face.charToGlyph.get(code, 0)
        if glyph and (face.glyphPos[glyph + 1] > face.glyphPos[glyph] or char.isspace()):
            return spec.name
    return None


@functools.lru_cache(maxsize=65536)
def _unit_width(char: str) -> float:
    """The advance of ``char`` at 1 pt in its font (ReportLab applies no kerning: a run is the sum of its chars)."""
    font = font_for(char)
    assert font is not None
    return pdfmetrics.stringWidth(char, font, 1)


# Characters with no glyph and no width that copy and paste brings along (zero-width space and joiners, word
# joiner, byte order mark): left out, which prints nothing different. Tabs print as a space, CR LF as a new line.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"), None) | {ord("\t"): " "}


def _normalise(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").translate(_INVISIBLE)


def _snippet(text: str, at: int) -> str:
    return text[max(0, at - 8) : at + 8]


def check_printable(text: str, *, field: str = "") -> None:
    """Raise UnprintableCharacter for the first character of ``text`` that no font has (``field``: what the text
    is, e.g. "the name", for the message)."""
    text = _normalise(text)
    for at, char in enumerate(text):
        if char != "\n" and font_for(char) is None:
            raise UnprintableCharacter(char, text=_snippet(text, at), field=field)


def runs(text: str) -> list[tuple[str, str]]:
    """``text`` as (font name, characters) runs, each in the first font that has its characters."""
    result: list[tuple[str, str]] = []
    text = _normalise(text).replace("\n", " ")
    for at, char in enumerate(text):
        font = font_for(char)
        if font is None:
            raise UnprintableCharacter(char, text=_snippet(text, at))
        if result and result[-1][0] == font:
            result[-1] = (font, result[-1][1] + char)
        else:
            result.append((font, char))
    return result


def text_width(text: str, size: float) -> float:
    """The width of ``text`` at ``size`` pt, each run measured in its own font."""
    return sum(pdfmetrics.stringWidth(chars, font, size) for font, chars in runs(text))


def chinese_date(day: dt.date) -> str:
    """2026年12月1日 (the date as official documents write it, GB/T 9704: Arabic numerals, no leading zeros)."""
    return f"{day.year}年{day.month}月{day.day}日"


# --- line breaking ----------------------------------------------------------------------------------------
def _is_word(char: str) -> bool:
    return char.isascii() and not char.isspace()


def _can_break(text: str, at: int) -> bool:
    """May a line end between text[at - 1] and text[at]?"""
    before, after = text[at - 1], text[at]
    if after == " ":
        return True
    return after not in NO_LINE_START and before not in NO_LINE_END and not (_is_word(before) and _is_word(after))


def wrap(text: str, width_pt: float, size: float) -> list[str]:
    """Break ``text`` (Chinese has no spaces; "\\n" starts a paragraph) into lines that fit ``width_pt``, by the
    rules above. Raises UnprintableCharacter first if a character cannot be printed."""
    text = _normalise(text)
    check_printable(text)
    lines: list[str] = []
    for paragraph in text.split("\n"):
        start, x, at = 0, 0.0, 0
        while at < len(paragraph):
            advance = _unit_width(paragraph[at]) * size
            if x + advance <= width_pt or at == start:
                x += advance
                at += 1
                continue
            end = next((k for k in range(at, start, -1) if _can_break(paragraph, k)), at)
            if end == at:  # no allowed break: hang closing punctuation rather than start a line with it
                while end < len(paragraph) and paragraph[end] in NO_LINE_START:
                    end += 1
            lines.append(paragraph[start:end].rstrip(" "))
            start = end
            while start < len(paragraph) and paragraph[start] == " ":
                start += 1
            at, x = start, 0.0
        lines.append(paragraph[start:])
    return lines


# --- drawing ----------------------------------------------------------------------------------------------
def draw_text(c: canvas.Canvas, x: float, y: float, text: str, size: float, *, align: str = "left") -> float:
    """Draw one line in runs of the right fonts (``align``: left, centre or right of ``x``); its width."""
    parts = runs(text)
    width = sum(pdfmetrics.stringWidth(chars, font, size) for font, chars in parts)
    if align == "centre":
        x -= width / 2
    elif align == "right":
        x -= width
    text_object = c.beginText(x, y)
    for font, chars in parts:
        text_object.setFont(font, size)
        text_object.textOut(chars)
    c.drawText(text_object)
    return width


def _new_canvas(buffer: io.BytesIO, page, title: str) -> canvas.Canvas:
    _load(0)
    c = canvas.Canvas(buffer, pagesize=page, initialFontName=FONT, initialFontSize=12)
    c.setTitle(title)
    return c


class _Page:
    """A cursor down the pages of a document: lines of text, paragraphs, page breaks."""

    def __init__(self, c: canvas.Canvas, page, *, left: float, right: float, top: float, bottom: float):
        self.c, self.width, self.height = c, page[0], page[1]
        self.left, self.right, self.top, self.bottom = left, right, top, bottom
        self.y = self.height - top

    def fits(self, height: float) -> bool:
        return self.y - height >= self.bottom

    def need(self, height: float) -> None:
        if not self.fits(height):
            self.c.showPage()
            self.y = self.height - self.top

    def line(self, text: str, size: float, *, align: str = "left", leading: float | None = None) -> None:
        leading = leading or size * 1.75
        self.need(leading)
        x = {"left": self.left, "centre": (self.left + self.right) / 2, "right": self.right}[align]
        draw_text(self.c, x, self.y - size, text, size, align=align)
        self.y -= leading

    def paragraph(self, text: str, size: float, *, indent: bool = True, align: str = "left") -> None:
        for line in wrap(("　　" if indent else "") + text, self.right - self.left, size):
            self.line(line, size, align=align)


def letter(*, title: str, paragraphs: Iterable[str], footer_lines: Iterable[str] = (), page=A4) -> bytes:
    """A one-or-more-page letter: a centred title, body paragraphs, right-aligned signature lines."""
    buffer = io.BytesIO()
    c = _new_canvas(buffer, page, title)
    body = _Page(c, page, left=25 * mm, right=page[0] - 25 * mm, top=25 * mm, bottom=25 * mm)
    body.paragraph(title, 20, indent=False, align="centre")
    body.y -= 8 * mm
    for paragraph in paragraphs:
        body.paragraph(paragraph, 12)
    body.y -= 10 * mm
    for line in footer_lines:
        body.line(line, 12, align="right")
    c.showPage()
    c.save()
    return buffer.getvalue()


def official_letter(
    *,
    letterhead: str,
    document_number: str,
    title: str,
    addressee: str,
    paragraphs: Iterable[str],
    signature: str,
    date: dt.date,
) -> bytes:
    """An official letter (GB/T 9704 in outline): the issuer's name in red as the letterhead, the document number
    (文号) under it and a red rule; the title, the addressee, the body; the issuer and the date in Chinese at the
    foot, with a circle marking where the seal goes (盖章处)."""
    page = A4
    buffer = io.BytesIO()
    c = _new_canvas(buffer, page, title)
    body = _Page(c, page, left=28 * mm, right=page[0] - 26 * mm, top=30 * mm, bottom=25 * mm)
    # Letterhead: as large as fits the text width, at most 30 pt.
    size = min(30.0, (body.right - body.left) / max(text_width(letterhead, 1), 1))
    c.setFillColorRGB(*RED)
    body.line(letterhead, size, align="centre", leading=size + 10 * mm)
    c.setFillColorRGB(0, 0, 0)
    body.line(document_number, 14, align="centre", leading=14 + 3 * mm)
    c.setStrokeColorRGB(*RED)
    c.setLineWidth(1.2)
    c.line(body.left, body.y, body.right, body.y)
    c.setStrokeColorRGB(0, 0, 0)
    body.y -= 12 * mm
    body.paragraph(title, 20, indent=False, align="centre")
    body.y -= 4 * mm
    body.paragraph(addressee, 14, indent=False)
    lines = [line for paragraph in paragraphs for line in wrap("　　" + paragraph, body.right - body.left, 14)]
    leading, closing = 14 * 1.75, 14 * mm + 2 * 14 * 1.75 + 25 * mm  # the signature block, with the seal's circle
    for at, line in enumerate(lines):
        # The last two lines go over with the signature when it does not fit under them: a page with the seal
        # and no text would not be part of the letter.
        if at == max(len(lines) - 2, 0) and not body.fits((len(lines) - at) * leading + closing):
            body.need(body.height)
        body.line(line, 14, leading=leading)
    # The signature block: issuer and date right-aligned four characters in from the margin (GB/T 9704), the
    # seal's circle centred over them.
    body.need(closing)
    body.y -= 14 * mm
    date_text = chinese_date(date)
    sig_right = body.right - 4 * 14
    centre_x = sig_right - max(text_width(signature, 14), text_width(date_text, 14)) / 2
    draw_text(c, sig_right, body.y - 14, signature, 14, align="right")
    draw_text(c, sig_right, body.y - 14 - 14 * 1.75, date_text, 14, align="right")
    seal_y = body.y - 14 * 1.75
    c.setStrokeColorRGB(0.6, 0.6, 0.6)
    c.setDash(3, 3)
    c.circle(centre_x, seal_y, 20 * mm)
    c.setDash()
    c.setFillColorRGB(0.6, 0.6, 0.6)
    draw_text(c, centre_x, seal_y + 12 * mm, "盖章处", 9, align="centre")
    c.setFillColorRGB(0, 0, 0)
    c.showPage()
    c.save()
    return buffer.getvalue()


def certificate(*, heading: str, name: str, body: str, issuer: str, date_text: str) -> bytes:
    """A landscape A4 certificate with a border."""
    buffer = io.BytesIO()
    page = landscape(A4)
    c = _new_canvas(buffer, page, heading)
    width, height = page
    c.setStrokeColorRGB(0.72, 0.11, 0.11)
    c.setLineWidth(4)
    c.rect(12 * mm, 12 * mm, width - 24 * mm, height - 24 * mm)
    c.setLineWidth(1)
    c.rect(16 * mm, 16 * mm, width - 32 * mm, height - 32 * mm)
    c.setFillColorRGB(0.72, 0.11, 0.11)
    draw_text(c, width / 2, height - 55 * mm, heading, 40, align="centre")
    c.setFillColorRGB(0, 0, 0)
    draw_text(c, 40 * mm, height - 85 * mm, f"{name}：", 22)
    y = height - 100 * mm
    for line in wrap("　　" + body, width - 80 * mm, 18):
        draw_text(c, 40 * mm, y, line, 18)
        y -= 11 * mm
    draw_text(c, width - 40 * mm, 45 * mm, issuer, 16, align="right")
    draw_text(c, width - 40 * mm, 35 * mm, date_text, 16, align="right")
    c.showPage()
    c.save()
    return buffer.getvalue()


def poster(*, heading: str, name: str, qr_data: str, qr_caption: str, steps: Iterable[str], footer: str) -> bytes:
    """A portrait A4 poster to put up on a wall: a red heading, the name, a large QR code (of ``qr_data``, with
    ``qr_caption`` under it, e.g. the address for those who cannot scan), numbered steps and a footer line."""
    import segno

    for text in (heading, name, qr_caption, footer, *steps):
        check_printable(text)
    buffer = io.BytesIO()
    page = A4
    c = _new_canvas(buffer, page, f"{heading} · {name}")
    width, height = page
    c.setStrokeColorRGB(*RED)
    c.setLineWidth(3)
    c.rect(10 * mm, 10 * mm, width - 20 * mm, height - 20 * mm)
    c.setFillColorRGB(*RED)
    size = min(40.0, (width - 40 * mm) / max(text_width(heading, 1), 1))
    draw_text(c, width / 2, height - 40 * mm, heading, size, align="centre")
    c.setFillColorRGB(0, 0, 0)
    body = _Page(c, page, left=25 * mm, right=width - 25 * mm, top=52 * mm, bottom=20 * mm)
    body.paragraph(
        name, min(24.0, (body.right - body.left) / max(text_width(name, 1), 1)), indent=False, align="centre"
    )
    # The QR code, drawn module by module (vector: sharp at any print size), with its quiet zone.
    qr = segno.make(qr_data, error="m")
    modules = qr.symbol_size(border=0)[0]
    side = 95 * mm
    cell = side / modules
    left, top = (width - side) / 2, body.y - 8 * mm
    for row, bits in enumerate(qr.matrix):
        for col, bit in enumerate(bits):
            if bit:
                c.rect(left + col * cell, top - (row + 1) * cell, cell, cell, stroke=0, fill=1)
    body.y = top - side - 6 * mm
    body.paragraph(qr_caption, 12, indent=False, align="centre")
    body.y -= 6 * mm
    for number, step in enumerate(steps, start=1):
        body.paragraph(f"{number}. {step}", 15, indent=False)
    c.setFillColorRGB(0.4, 0.4, 0.4)
    draw_text(c, width / 2, 18 * mm, footer, 11, align="centre")
    c.showPage()
    c.save()
    return buffer.getvalue()
