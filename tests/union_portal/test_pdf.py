"""Chinese PDFs: embedded TrueType fonts with a fallback for rare characters, a clear error for a character no
font has, line breaking that keeps closing punctuation off the start of a line. Read back with poppler-utils."""

import datetime as dt

import pytest
from django.utils import translation

from union_portal import pdf

from . import poppler

LONG = (
    "经审核，您于2026年3月1日至3月15日在绍兴市柯桥区中医医院住院治疗（住院号：MA01-0000123），医保范围内个人"
    "自付金额为12,345.67元。根据《柯桥区职工医疗互助管理办法》第十二条的规定，扣除除外项目后，按分段比例计算，"
    "核定互助金为5,700.00元。如有疑问，请于工作日致电：12351、0575-84128888；或到区总工会服务窗口咨询！"
    "“第二医保”……已惠及全区职工。"
) * 3


def _documents(name: str) -> dict[str, bytes]:
    return {
        "letter": pdf.letter(
            title="医疗互助审核决定书", paragraphs=[f"{name}同志：", LONG], footer_lines=["柯桥区总工会"]
        ),
        "official letter": pdf.official_letter(
            letterhead="柯桥区总工会",
            document_number="柯工互〔2026〕12号",
            title="职工医疗互助理赔审核决定书",
            addressee=f"{name}同志：",
            paragraphs=[LONG],
            signature="柯桥区总工会",
            date=dt.date(2026, 12, 1),
        ),
        "certificate": pdf.certificate(
            heading="荣誉证书",
            name=name,
            body="荣获2026年度先进个人。",
            issuer="柯桥区总工会",
            date_text="2026年5月1日",
        ),
    }


@pytest.mark.parametrize("kind", ["letter", "official letter", "certificate"])
def test_every_font_is_embedded_truetype_and_no_cid_font_is_left_to_the_viewer(kind):
    document = _documents("阿依古丽·买买提")[kind]
    fonts = poppler.fonts(document)
    assert fonts, "a PDF with text has fonts"
    for font in fonts:
        assert font["emb"] == "yes" and font["sub"] == "yes" and font["uni"] == "yes", font
        assert font["type"] == "TrueType" and "STSong" not in font["name"], font


@pytest.mark.parametrize("kind", ["letter", "official letter", "certificate"])
@pytest.mark.parametrize("name", ["阿依古丽·买买提", "陈𠮷", "王𬌗", "李䶮", "吕Lǚ"])
def test_rare_characters_and_the_middle_dot_come_back_exactly(kind, name):
    text = poppler.text(_documents(name)[kind])
    assert name in text


def test_characters_beyond_the_first_font_use_the_fallback_fonts():
    assert pdf.font_for("陈") == pdf.font_for("·") == pdf.FONTS[0].name
    assert pdf.font_for("𠮷") == pdf.font_for("𬌗") == "UnionPortal-HanaMinB"
    assert pdf.font_for("䶮") == "UnionPortal-HanaMinA"
    # WenQuanYi maps these to an empty glyph: they would print blank
    assert {pdf.font_for(char) for char in "ǎǐǒǔǘǚǜ℃Ⅴ"} == {"UnionPortal-HanaMinA"}
    assert pdf.font_for("\u3000") == pdf.font_for(" ") == pdf.FONTS[0].name  # spaces are meant to be blank
    assert [font for font, _chars in pdf.runs("陈𠮷𠮷·买")] == [
        pdf.FONTS[0].name,
        "UnionPortal-HanaMinB",
        pdf.FONTS[0].name,
    ]
    document = _documents("陈𠮷")["official letter"]
    names = {font["name"].split("+")[1] for font in poppler.fonts(document)}
    assert names == {"WenQuanYiMicroHei-0", "HanaMinB"}


def test_the_whole_of_cjk_extension_b_in_the_font_is_there():
    """The subset keeps every Extension B character HanaMinB has (all but the 9 added to Unicode after 2017)."""
    covered = [cp for cp in range(0x20000, 0x2A6E0) if pdf.font_for(chr(cp))]
    assert len(covered) >= 42711


# Ext G (no font), private use (each font's own glyph), unassigned, a combining mark ReportLab would not place
@pytest.mark.parametrize("char", ["\U00031350", "\ue000", "\u0378", "\u0301"])
def test_a_character_no_font_has_stops_the_document_with_a_message_for_staff(char):
    with translation.override("zh-hans"), pytest.raises(pdf.UnprintableCharacter) as raised:
        pdf.certificate(
            heading="荣誉证书", name=f"张{char}", body="荣获先进个人。", issuer="柯桥区总工会", date_text=""
        )
    assert raised.value.char == char
    message = raised.value.messages[0]
    assert f"U+{ord(char):04X}" in message and "无法打印" in message and "联系管理员" in message
    with translation.override("zh-hans"), pytest.raises(pdf.UnprintableCharacter, match="姓名中的字符"):
        pdf.check_printable(f"张{char}", field="姓名")


def test_lines_never_start_with_closing_punctuation_nor_end_with_opening():
    for width in range(120, 400, 7):  # many widths, so that punctuation falls at every position of a line
        lines = pdf.wrap(LONG, width, 12)
        assert "".join(lines) == LONG
        for line in lines[1:]:
            assert line[0] not in pdf.NO_LINE_START, (width, line)
        for line in lines[:-1]:
            assert line[-1] not in pdf.NO_LINE_END, (width, line)
            assert not (
                line[-1].isascii()
                and line[-1].isalnum()
                and lines[lines.index(line) + 1][0].isalnum()
                and lines[lines.index(line) + 1][0].isascii()
            ), (width, line)
            assert pdf.text_width(line, 12) <= width


def test_pdftotext_lines_of_a_long_paragraph_never_begin_with_closing_punctuation():
    text = poppler.text(_documents("陈小红")["official letter"])
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    assert any("……" in line for line in lines)
    assert [line for line in lines if line[0] in pdf.NO_LINE_START] == []


def test_the_date_in_chinese():
    assert pdf.chinese_date(dt.date(2026, 12, 1)) == "2026年12月1日"


def test_line_ends_tabs_and_invisible_characters_from_a_form_are_not_refused():
    assert pdf.wrap("第一行\r\n第二行\t完\u200b毕\ufeff", 400, 12) == ["第一行", "第二行 完毕"]
    pdf.check_printable("原因：\r\n材料不全\u200d")
