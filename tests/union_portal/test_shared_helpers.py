"""Uploads by content, Excel reading/writing, Chinese PDFs: the helpers every domain app uses."""

import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from union_portal import excel, pdf
from union_portal.uploads import check_upload

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n" + b"x" * 64


def test_upload_kind_is_judged_by_content():
    assert check_upload(SimpleUploadedFile("发票.pdf", PDF)) == "pdf"
    assert check_upload(SimpleUploadedFile("scan.png", PNG)) == "png"


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("发票.pdf", PNG, "mismatch"),  # a PNG calling itself .pdf
        ("virus.exe", b"MZ" + b"\x00" * 64, "bad_type"),
        ("empty.pdf", b"", "empty"),
    ],
)
def test_bad_uploads_are_refused_with_a_reason(name, content, code):
    with pytest.raises(ValidationError) as info:
        check_upload(SimpleUploadedFile(name, content))
    assert info.value.code == code


def test_uploads_over_the_cap_are_refused(settings):
    settings.UPLOAD_MAX_BYTES = 100
    with pytest.raises(ValidationError) as info:
        check_upload(SimpleUploadedFile("big.pdf", PDF + b"x" * 200))
    assert info.value.code == "too_large"


def _xlsx(rows, merge=None) -> bytes:
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    if merge:
        ws.merge_cells(merge)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_read_table_returns_rows_numbered_as_excel_numbers_them():
    data = _xlsx([["姓名", "身份证号"], ["张三", "330603199001011234"], [None, None], ["李四", 123]])
    table = excel.read_table(io.BytesIO(data), required=["姓名", "身份证号"])
    assert table.rows == [
        (2, {"姓名": "张三", "身份证号": "330603199001011234"}),
        (4, {"姓名": "李四", "身份证号": "123"}),
    ]


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (b"", "empty"),
        (b"name,id\n1,2\n", "plain text \\(CSV\\)"),  # where the import takes no CSV
        (b"%PDF-1.4\n" + b"x" * 64, "PDF document"),
        (b"PK\x03\x04garbage", "damaged"),
        (_xlsx([["姓名"]]), "lacks column"),
        (_xlsx([["姓名", "备注X"]]), "Columns not recognised: 备注X"),  # listed where a column is missing
        (_xlsx([["姓名", "身份证号", "姓  名"]]), "repeats column"),
        (_xlsx([["姓名", "身份证号"], ["=1+1", "x"]]), "formula"),
        (_xlsx([["姓名", "身份证号"], ["a", "b"]], merge="A1:B1"), "merged"),
        (_xlsx([["姓名", "身份证号"]]), "no data rows"),
    ],
)
def test_read_table_refuses_bad_files_whole(data, fragment, settings):
    from django.utils import translation

    with translation.override("en"), pytest.raises(excel.ExcelFileError, match=fragment):
        excel.read_table(io.BytesIO(data), required=["姓名", "身份证号"])


def test_read_table_refuses_too_many_rows():
    data = _xlsx([["姓名", "身份证号"]] + [["a", "b"]] * 11)
    with pytest.raises(excel.ExcelFileError):
        excel.read_table(io.BytesIO(data), required=["姓名", "身份证号"], max_rows=10)


def test_errors_are_in_chinese_by_default():
    with pytest.raises(excel.ExcelFileError, match="不是"):
        excel.read_table(io.BytesIO(b"plain text"), required=["姓名"])


def test_written_workbooks_keep_money_exact_as_numbers_with_a_money_format():
    # issue 15: money is a number cell (was text "0.10") with format #,##0.00, exact to the fen
    data = excel.workbook_bytes(["金额"], [[Decimal("0.10")], [Decimal("12345678.91")]])
    ws = load_workbook(io.BytesIO(data)).active
    assert [c.value for c in ws["A"]] == ["金额", 0.1, 12345678.91]
    assert [(c.data_type, c.number_format) for c in ws["A"][1:]] == [("n", "#,##0.00")] * 2


def test_chinese_pdf_letter_and_certificate():
    letter = pdf.letter(
        title="医疗互助审核决定书", paragraphs=["陈小红同志：您的申请已审核通过。"], footer_lines=["柯桥区总工会"]
    )
    cert = pdf.certificate(
        heading="荣誉证书",
        name="陈小红",
        body="荣获2026年度先进个人。",
        issuer="柯桥区总工会",
        date_text="二〇二六年五月一日",
    )
    for document in (letter, cert):
        # Embedded TrueType (WenQuanYi Micro Hei), no longer the viewer's substitute for STSong-Light; the full
        # checks with pdffonts and pdftotext are in test_pdf.py.
        assert document.startswith(b"%PDF") and b"STSong-Light" not in document
        assert b"/FontFile2" in document and b"WenQuanYiMicroHei" in document
