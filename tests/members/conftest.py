"""Fixtures of the members app: members made through the real services, valid ID numbers, small files."""

import datetime as dt
import io
import itertools

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from members import services
from tests import clock
from union_portal.identity import make_id_number

# The year of the members test data that may not lie in the future (meetings, status changes): last year.
YEAR = clock.last_year()

_seq = itertools.count(1)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def new_id_number() -> str:
    n = next(_seq)
    return make_id_number("330621", dt.date(1980 + n % 20, 1 + n % 12, 1 + n % 28), n % 1000)


@pytest.fixture
def make_member(tree, district_admin):
    """make_member(org_code="KQ-HS-001", **fields) -> Member, added through member_create."""

    def _make(org_code: str = "KQ-HS-001", **fields):
        fields.setdefault("name", "测试会员")
        fields.setdefault("id_number", new_id_number())
        fields.setdefault("mobile", f"138{next(_seq):08d}")
        fields.setdefault("joined_on", dt.date(2020, 1, 1))
        return services.member_create(by=district_admin, org=tree[org_code], **fields)

    return _make


@pytest.fixture
def pdf_upload():
    return SimpleUploadedFile("election.pdf", PDF, content_type="application/pdf")


def xlsx_bytes(headers, rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(headers)
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
