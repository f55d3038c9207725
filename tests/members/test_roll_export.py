"""Issue 15 [Files], the roll export: typed cells (member, ID and mobile numbers as text, the join date as a
date), constant queries, and the roll too large for the request built in the background: a progress page,
a download for the requester only, checked and audited like the small export, its file purged after a day."""

import datetime as dt
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from members import services
from members.models import MemberExport
from union_portal.models import AuditLog
from union_portal.scoping import assignments_of

from .test_views import BASE, _many

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _in_huashe_firm() -> int:
    from members.models import Member
    from union_portal.models import OrgUnit

    return Member.objects.filter(org__path__startswith=OrgUnit.objects.get(code="KQ-HS-001").path).count()


def _rows(content: bytes):
    return list(load_workbook(io.BytesIO(content)).active.iter_rows())


def test_full_roll_export_writes_numbers_as_text_and_the_join_date_as_a_date(make_member, login, handler):
    member = make_member(mobile="13612340000")
    response = login(handler).post("/members/export.xlsx?full=1", {"reason": "核对会员信息"})
    header, row = _rows(response.content)[:2]
    assert [c.value for c in header][:5] == ["会员编号", "姓名", "性别", "身份证号码", "手机号码"]
    assert all(c.font.b for c in header)
    number, _name, _sex, id_number, mobile = row[:5]
    for cell, value in ((number, member.member_number), (id_number, member.id_number), (mobile, "13612340000")):
        assert (cell.value, cell.data_type, cell.number_format) == (value, "s", "@")
    joined = row[10]
    assert joined.data_type == "d" and joined.number_format == "yyyy-mm-dd"
    assert joined.value.date() == member.joined_on
    assert load_workbook(io.BytesIO(response.content)).active.freeze_panes == "A2"


def test_masked_roll_export_has_no_id_column_and_a_masked_mobile_as_text(make_member, login, handler):
    make_member(mobile="13612340000")
    header, row = _rows(login(handler).get("/members/export.xlsx").content)[:2]
    assert "身份证号码" not in [c.value for c in header]
    assert row[3].value == "*******0000" and row[3].number_format == "@"


def test_small_roll_export_queries_do_not_grow_with_rows(make_member, login, handler, django_assert_num_queries):
    client = login(handler)
    _many(make_member, 2)
    client.get("/members/export.xlsx")
    # BASE + the bounded count + the members with their unions + the audit insert (the audit row's subtrees
    # come from the user's assignments, already read)
    with django_assert_num_queries(BASE + 3):
        client.get("/members/export.xlsx")
    _many(make_member, 30)
    n = _in_huashe_firm()
    with django_assert_num_queries(BASE + 3):
        response = client.get("/members/export.xlsx")
    assert len(_rows(response.content)) == 1 + n


def test_a_large_roll_is_built_in_the_background_for_the_requester_only(
    settings, make_member, login, handler, handler_qixian, huashe_staff, django_capture_on_commit_callbacks
):
    settings.MEMBERS_EXPORT_INLINE_MAX_ROWS = 2
    _many(make_member, 3)
    client = login(handler)

    # when the handler exports the full roll of more members than a request writes
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/members/export.xlsx?full=1", {"reason": "年度核查"})

    # then a job was queued (Celery is eager: already built), audited once like the small export
    job = MemberExport.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/members/exports/{job.pk}/"
    n = _in_huashe_firm()
    assert (job.status, job.total, job.processed, job.full) == (MemberExport.Status.DONE, n, n, True)
    audit = AuditLog.objects.get(action="members.export")
    assert audit.detail["job"] == job.pk and audit.detail["reason"] == "年度核查" and audit.detail["rows"] == n
    # the stored file is encrypted at rest
    with open(job.file.path, "rb") as raw:
        assert not raw.read().startswith(b"PK")
    page = client.get(f"/members/exports/{job.pk}/").content.decode()
    assert f"/members/exports/{job.pk}/download/" in page and "<script>" not in page
    download = client.get(f"/members/exports/{job.pk}/download/")
    content = b"".join(download.streaming_content)
    rows = _rows(content)
    assert len(rows) == 1 + n and rows[1][3].data_type == "s" and rows[1][3].number_format == "@"
    # nobody else may see or download it, not even staff above the union
    for other in (handler_qixian, huashe_staff):
        assert login(other).get(f"/members/exports/{job.pk}/").status_code == 404
        assert login(other).get(f"/members/exports/{job.pk}/download/").status_code == 404


def test_a_background_full_export_still_needs_a_reason(settings, make_member, login, handler):
    settings.MEMBERS_EXPORT_INLINE_MAX_ROWS = 1
    _many(make_member, 2)
    response = login(handler).post("/members/export.xlsx?full=1", {"reason": ""})
    assert response.status_code == 200 and not MemberExport.objects.exists()
    assert not AuditLog.objects.filter(action="members.export").exists()


def test_the_progress_page_polls_without_inline_script(settings, make_member, login, handler):
    settings.MEMBERS_EXPORT_INLINE_MAX_ROWS = 1
    _many(make_member, 2)
    job = MemberExport.objects.create(by=handler, file_name="members.xlsx", total=2)
    page = login(handler).get(f"/members/exports/{job.pk}/").content.decode()
    assert "hx-get" in page and "hx-trigger" in page and "<noscript>" in page
    assert "onclick" not in page and "<script>" not in page


def test_export_job_run_is_idempotent_and_purged_after_a_day(
    settings, make_member, handler, tree, django_capture_on_commit_callbacks
):
    from members.selectors import MemberFilters

    _many(make_member, 2)
    with django_capture_on_commit_callbacks(execute=True):
        job = services.member_export_job_start(by=handler, filters=MemberFilters(org=tree["KQ-HS-001"]))
    job.refresh_from_db()
    name = job.file.name
    services.member_export_job_run(job.pk)  # a second run of a finished job changes nothing
    job.refresh_from_db()
    assert job.file.name == name and job.status == MemberExport.Status.DONE

    assert services.member_export_files_purge(now=timezone.now() + dt.timedelta(hours=1)) == 0
    later = timezone.now() + dt.timedelta(hours=settings.MEMBERS_EXPORT_RETENTION_HOURS + 1)
    assert services.member_export_files_purge(now=later) == 1
    job.refresh_from_db()
    assert job.status == MemberExport.Status.EXPIRED and not job.file
    assert AuditLog.objects.filter(action="members.export_purge").count() == 1
    assert services.member_export_files_purge(now=later) == 0


def test_export_job_build_queries_do_not_grow_with_rows(make_member, handler, tree, django_assert_num_queries):
    from members.selectors import MemberFilters

    filters = MemberFilters(org=tree["KQ-HS-001"])
    _many(make_member, 2)
    job = MemberExport.objects.create(
        by=handler, file_name="m.xlsx", filters=services.roll_export.filters_to_json(filters)
    )
    # the job, running, the union of the filters, the user's assignments (not cached yet), the members (one
    # cursor), done; the second run reads the assignments from the per-user cache
    with django_assert_num_queries(6):
        services.member_export_job_run(job.pk)
    _many(make_member, 40)
    job2 = MemberExport.objects.create(
        by=handler, file_name="m.xlsx", filters=services.roll_export.filters_to_json(filters)
    )
    # new units inserted in code order rewrite their later siblings' paths: the per-user cache refills
    assignments_of(type(handler).objects.get(pk=handler.pk))
    with django_assert_num_queries(5):
        services.member_export_job_run(job2.pk)
    job2.refresh_from_db()
    assert job2.total == _in_huashe_firm()
