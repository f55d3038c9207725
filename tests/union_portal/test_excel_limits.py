"""M12 Excel memory bomb and L3 malformed uploads: every import checks the unpacked size and the packing
ratio of each part of an .xlsx before reading it, and a file it cannot parse is a clear error, never a 500."""

import io
import zipfile

import pytest
from openpyxl import Workbook

from union_portal.excel import ExcelFileError, check_zip_limits, read_table, workbook_bytes


def _bomb(shared_strings_bytes: int) -> bytes:
    """A real workbook whose sharedStrings.xml is ``shared_strings_bytes`` of one repeated string: packs
    about a thousand to one, as the file that drove the worker to 1.1 GB did."""
    good = zipfile.ZipFile(io.BytesIO(workbook_bytes(["会员编号"], [["A1"]])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in good.infolist():
            archive.writestr(info.filename, good.read(info.filename))
        si = b"<si><t>" + b"A" * 1000 + b"</t></si>"
        body = si * (shared_strings_bytes // len(si))
        archive.writestr(
            "xl/sharedStrings.xml",
            b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' + body + b"</sst>",
        )
    return out.getvalue()


def test_an_xlsx_packed_more_tightly_than_the_ratio_is_refused_before_it_is_unpacked():
    data = _bomb(4 * 1024 * 1024)
    assert len(data) < 100 * 1024  # a small upload ...

    for reader in (read_table,):  # the one reader of uploaded workbooks (sheets.read_sheet)
        with pytest.raises(ExcelFileError, match="压缩炸弹"):
            reader(data, required=["会员编号"])


def test_an_xlsx_that_unpacks_beyond_the_total_cap_is_refused(settings):
    settings.EXCEL_MAX_UNCOMPRESSED_BYTES = 5 * 1024 * 1024
    settings.EXCEL_MAX_COMPRESSION_RATIO = 10_000  # only the total is at stake here
    data = _bomb(8 * 1024 * 1024)

    for reader in (read_table,):
        with pytest.raises(ExcelFileError, match="5 MB"):
            reader(data, required=["会员编号"])


def test_a_large_genuine_import_file_passes_the_limits():
    from bench.members_import import build_xlsx

    check_zip_limits(build_xlsx(5000))  # packs about 12 to 1


def test_the_member_import_page_reports_a_bomb_in_words(tree, handler):
    from members.imports import import_file

    with pytest.raises(ExcelFileError, match="压缩炸弹"):
        import_file(_bomb(4 * 1024 * 1024), org=tree["KQ-HS-001"], by=handler)


def _with_broken_sheet() -> bytes:
    workbook = Workbook()
    workbook.active.append(["会员编号"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    good = zipfile.ZipFile(buffer)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for info in good.infolist():
            content = good.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                content = content[: len(content) // 2]  # cut mid-tag: not well-formed XML
            archive.writestr(info.filename, content)
    return out.getvalue()


def test_malformed_xml_in_an_uploaded_workbook_is_a_clear_error_not_a_500():
    data = _with_broken_sheet()
    for reader in (read_table,):
        with pytest.raises(ExcelFileError, match="损坏"):
            reader(data, required=["会员编号"])
