"""Uploads on an S3-compatible store (issue 18, past one machine): a member import spreadsheet is checked from
the bucket and deleted from it once stored; a background roll export is stored there and downloaded through the
portal (tests.s3: moto's S3 server)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from members.imports import COLUMNS
from members.models import Member, MemberExport, MemberImport
from tests.factories import new_id_number
from tests.s3 import keys, moto_s3_fixture, s3_fixture, stored  # noqa: F401  (fixtures)

from .conftest import xlsx_bytes


@pytest.mark.django_db
def test_a_member_import_file_is_read_from_the_bucket_and_deleted_once_stored(
    s3, tree, login, handler, django_capture_on_commit_callbacks
):
    rows = [
        [f"桶{i}", new_id_number(), f"1370000{i:04d}", "2024-03-01", "挡车工", "是", "否", "否", "", "", ""]
        for i in range(3)
    ]
    client = login(handler)
    upload = SimpleUploadedFile("roll.xlsx", xlsx_bytes(COLUMNS, rows))

    # when: the spreadsheet is uploaded (checked from the bucket) and committed
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/members/imports/", {"org": tree["KQ-HS-001"].pk, "file": upload})
    record = MemberImport.objects.get()
    assert record.status == "ready" and record.total == 3
    assert record.file.name in keys(s3) and not stored(s3, record.file.name).startswith(b"PK")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/members/imports/{record.pk}/commit/")

    # then: the members are stored and the file (clear ID numbers) is gone from the bucket
    record.refresh_from_db()
    assert record.status == "done" and Member.objects.filter(name__startswith="桶").count() == 3
    assert keys(s3) == set()


@pytest.mark.django_db
def test_a_background_roll_export_is_stored_in_the_bucket_and_downloaded(
    s3, settings, make_member, login, handler, django_capture_on_commit_callbacks
):
    settings.MEMBERS_EXPORT_INLINE_MAX_ROWS = 1
    make_member()
    make_member()
    client = login(handler)

    # when: the handler's export is built in the background
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/members/export.xlsx")
    job = MemberExport.objects.get()

    # then: the workbook is an encrypted object in the bucket, downloaded through the portal
    assert job.status == MemberExport.Status.DONE and job.file.name in keys(s3)
    assert not stored(s3, job.file.name).startswith(b"PK")
    response = client.get(f"/members/exports/{job.pk}/download/")
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows())
    assert len(rows) == 1 + job.total
