"""Fixtures of the members app: small files (members come from tests.factories, through the real services)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from tests import clock
from tests.factories import new_id_number  # noqa: F401  (test_formula_injection and test_identity_normalisation import it from here)

# The year of the members test data that may not lie in the future (meetings, status changes): last year.
YEAR = clock.last_year()

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


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
