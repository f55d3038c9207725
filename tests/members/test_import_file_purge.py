"""Uploaded member-import spreadsheets (ID numbers in clear) do not stay on disk (issue 14 L4): deleted once
imported, and those of abandoned imports IMPORT_FILE_RETENTION_DAYS after upload by a nightly task. Audited."""

from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from members import services
from members.imports import COLUMNS
from members.models import MemberImport
from tests.factories import new_id_number
from union_portal.models import AuditLog

from .conftest import xlsx_bytes


def _row(name="张三", mobile="13800000001"):
    return [name, new_id_number(), mobile, "2024-03-01", "挡车工", "是", "否", "否", "", "", ""]


def _start(tree, handler, rows) -> MemberImport:
    upload = SimpleUploadedFile("roll.xlsx", xlsx_bytes(COLUMNS, rows))
    record = services.member_import_start(by=handler, org=tree["KQ-HS-001"], uploaded=upload)
    return services.member_import_check(record.pk)


def _age(record: MemberImport, days: int) -> None:
    MemberImport.objects.filter(pk=record.pk).update(created_at=timezone.now() - timedelta(days=days))


def test_an_abandoned_import_file_is_deleted_after_the_retention_days(tree, handler, settings):
    settings.IMPORT_FILE_RETENTION_DAYS = 7
    # given a checked import never committed, and one with problems, both uploaded 8 days ago, and a fresh one
    ready = _start(tree, handler, [_row()])
    invalid = _start(tree, handler, [_row(mobile="12")])
    fresh = _start(tree, handler, [_row(name="李四", mobile="13800000002")])
    assert (ready.status, invalid.status) == ("ready", "invalid")
    _age(ready, 8)
    _age(invalid, 8)
    paths = [Path(ready.file.path), Path(invalid.file.path)]
    assert all(p.exists() for p in paths)
    # when the nightly purge runs
    purged = services.member_import_files_purge()
    # then the old files are gone, the fresh one stays, and each deletion is audited
    assert purged == 2
    assert not any(p.exists() for p in paths)
    ready.refresh_from_db()
    fresh.refresh_from_db()
    assert not ready.file and fresh.file and Path(fresh.file.path).exists()
    assert ready.status == "invalid"  # it can no longer be committed without its file
    audited = AuditLog.objects.filter(action="member.import_file_delete", detail__reason="expired")
    assert sorted(int(a.object_id) for a in audited) == sorted([ready.pk, invalid.pk])
    # and running again does nothing more
    assert services.member_import_files_purge() == 0


def test_the_purge_is_scheduled_nightly_by_celery_beat():
    from members.tasks import member_import_files_purge_task

    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert member_import_files_purge_task.name in tasks


def test_the_file_of_a_committed_import_is_deleted_and_audited(tree, handler):
    record = _start(tree, handler, [_row()])
    path = Path(record.file.path)
    services.member_import_commit(by=handler, record=record)
    services.member_import_run(record.pk)
    record.refresh_from_db()
    assert record.status == "done" and not record.file and not path.exists()
    assert AuditLog.objects.filter(
        action="member.import_file_delete", object_id=str(record.pk), detail__reason="imported"
    ).exists()
