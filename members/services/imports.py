"""Excel imports of members: upload, check (the preview), commit, and the run that stores the rows.
The row rules are in ``members.imports``; the work runs in Celery (``members.tasks``)."""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from union_portal.audit import audit_record
from union_portal.models import OrgUnit, User
from union_portal.notifications import notify
from union_portal.stored_text import Msg, stored

from .. import locks
from ..models import MemberImport
from ..permissions import can_keep_roll
from ._common import _check_grassroots

MAX_STORED_ERRORS = 5000


def import_progress_key(import_id: int) -> str:
    return f"members:import:{import_id}:progress"


def _progress_writer(import_id: int):
    from django.core.cache import cache

    def write(done: int, total: int) -> None:
        # The cache, not the row: the store runs inside one transaction other connections cannot see into.
        cache.set(import_progress_key(import_id), [done, total], timeout=3600)

    return write


def member_import_start(*, by: User, org: OrgUnit, uploaded) -> MemberImport:
    """Accept an uploaded workbook (.xlsx, .xls, .xlsb, .ods, by content) for ``org`` and queue its check
    (Celery after commit)."""
    from union_portal.uploads import check_sheet_upload

    if not can_keep_roll(by, org):
        raise PermissionDenied
    _check_grassroots(org)
    check_sheet_upload(uploaded, max_bytes=50 * 1024 * 1024)
    with transaction.atomic():
        record = MemberImport.objects.create(org=org, file=uploaded, file_name=uploaded.name[:200], by=by)
        audit_record(actor=by, action="member.import_upload", obj=record, detail={"org": org.code})
        from ..tasks import member_import_check_task

        transaction.on_commit(lambda: member_import_check_task.delay(record.pk))
    return record


def _read(record: MemberImport):
    from ..imports import read_file

    with record.file.open("rb") as fh:
        return read_file(fh.read(), name=record.file_name)


def _save_errors(record: MemberImport, errors) -> None:
    # codes and parameters, shown in the reader's language (union_portal.stored_text)
    record.errors = [[e.row, e.column, stored(e.message)] for e in errors[:MAX_STORED_ERRORS]]
    record.error_count = len(errors)


def member_import_check(import_id: int) -> MemberImport:
    """Check every row of an uploaded import and store the problems (the preview). Idempotent: an import
    already past checking is left alone."""
    from union_portal.excel import ExcelFileError

    from ..imports import check_rows

    record = MemberImport.objects.select_related("org").get(pk=import_id)
    if record.status != MemberImport.Status.CHECKING:
        return record
    try:
        table = _read(record)
    except ExcelFileError as exc:
        record.errors = [[0, "", stored(exc.args[0] if exc.args else str(exc))]]
        record.error_count = 1
        record.status = MemberImport.Status.INVALID
        record.save()
        return record
    record.total = len(table.rows)
    record.notes = [stored(note) for note in table.notes()]
    checked, errors = check_rows(table, org=record.org, progress=_progress_writer(record.pk))
    _save_errors(record, errors)
    record.processed = record.total
    record.status = MemberImport.Status.INVALID if errors else MemberImport.Status.READY
    record.save()
    return record


def member_import_commit(*, by: User, record: MemberImport) -> MemberImport:
    """Queue the store of a clean import (Celery after commit). Only a READY import can be committed."""
    with transaction.atomic():
        record = locks.member_import_for_update(record.pk)
        if not can_keep_roll(by, record.org):
            raise PermissionDenied
        if record.status != MemberImport.Status.READY:
            raise ValidationError(_("Only a checked file without problems can be imported."))
        record.status = MemberImport.Status.IMPORTING
        record.processed = 0
        record.save()
        audit_record(actor=by, action="member.import_commit", obj=record, detail={"rows": record.total})
        from ..tasks import member_import_run_task

        transaction.on_commit(lambda: member_import_run_task.delay(record.pk))
    return record


def member_import_run(import_id: int) -> MemberImport:
    """Store all rows of a committed import in one transaction. The rows are checked again (the roll may
    have changed since the preview); any problem stores nothing and returns the import to the preview.
    Idempotent: only an import in IMPORTING state runs, and it is locked while it runs."""
    from ..imports import check_rows, store_rows

    with transaction.atomic():
        record = locks.member_import_for_update(import_id)
        if record.status != MemberImport.Status.IMPORTING:
            return record
        table = _read(record)
        checked, errors = check_rows(table, org=record.org)
        if errors:
            _save_errors(record, errors)
            record.status = MemberImport.Status.INVALID
            record.save()
            return record
        created = store_rows(by=record.by, org=record.org, rows=checked, progress=_progress_writer(record.pk))
        record.created_count = created
        record.processed = created
        record.status = MemberImport.Status.DONE
        record.save()
        audit_record(actor=record.by, action="member.import", obj=record, detail={"created": created})
    # The spreadsheet holds ID numbers in clear: once its rows are on the (encrypted) roll it goes.
    _delete_file(record, reason="imported")
    notify(
        user=record.by,
        event_key=f"member-import:{record.pk}:done",
        title=_("Member import finished"),
        body=_("%(count)s members were added to %(union)s.") % {"count": created, "union": record.org.name},
        link=f"/members/imports/{record.pk}/",
    )
    return record


def member_import_refused_rows(*, by: User, record: MemberImport) -> bytes:
    """The refused rows of a checked import as a sheet: the uploaded columns as they were, 错误说明 with every
    problem of the row, and the row's number; fix it and upload it again. The rows are checked again (the
    stored list of problems is cut at MAX_STORED_ERRORS). ValidationError when the file is gone."""
    from union_portal.excel import ExcelFileError
    from union_portal.sheets import raw_rows, refused_rows_workbook

    from ..imports import SPEC, check_rows

    if not can_keep_roll(by, record.org):
        raise PermissionDenied
    if not record.file:
        raise ValidationError(_("The uploaded file was deleted; there is nothing to download."))
    with record.file.open("rb") as fh:
        data = fh.read()
    try:
        from ..imports import read_file

        _checked, errors = check_rows(read_file(data, name=record.file_name), org=record.org)
        headers, rows = raw_rows(data, SPEC, name=record.file_name)
    except ExcelFileError as exc:
        raise ValidationError(str(exc)) from None
    problems: dict[int, list[str]] = {}
    for error in errors:
        problems.setdefault(error.row, []).append(f"{error.column}：{error.message}" if error.column else error.message)
    audit_record(actor=by, action="member.import_refused_download", obj=record, detail={"rows": len(problems)})
    return refused_rows_workbook(
        headers, ((number, cells, "；".join(problems[number])) for number, cells in rows if number in problems)
    )


def _delete_file(record: MemberImport, *, reason: str) -> None:
    record.file.delete(save=False)
    MemberImport.objects.filter(pk=record.pk).update(file="")
    audit_record(actor=None, action="member.import_file_delete", obj=record, detail={"reason": reason})


def member_import_files_purge(*, now: datetime | None = None) -> int:
    """Delete the uploaded spreadsheets (ID numbers in clear) of imports older than IMPORT_FILE_RETENTION_DAYS
    that were never stored: left with problems, checked but never committed, or stuck. Such an import is
    marked as having a problem (upload the file again), so it can no longer be committed. Audited per file;
    idempotent (a purged import has no file). Returns how many files were deleted."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.IMPORT_FILE_RETENTION_DAYS)
    purged = 0
    for pk in MemberImport.objects.filter(created_at__lt=cutoff).exclude(file="").values_list("pk", flat=True):
        with transaction.atomic():
            record = locks.member_import_for_update(pk)
            if not record.file:
                continue
            if record.status != MemberImport.Status.DONE:
                record.status = MemberImport.Status.INVALID
                record.errors = [
                    [0, "", stored(Msg("The uploaded file was deleted after it was kept unused; upload it again."))]
                ]
                record.error_count = 1
                record.save(update_fields=["status", "errors", "error_count", "updated_at"])
            _delete_file(record, reason="expired")
            purged += 1
    return purged
