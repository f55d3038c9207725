"""The roll as an Excel file: its typed columns and rows, and the export too large for the request.

A roll export of up to MEMBERS_EXPORT_INLINE_MAX_ROWS members is written in the request
(``services.member_export``). A larger one (a township's or the whole district's roll) is a ``MemberExport``
job: ``member_export_job_start`` checks and audits it exactly like the small one (a full export needs the
right and a reason), and Celery builds the file after commit (``member_export_job_run``, streamed, the
progress in the row). The file is stored encrypted (the default storage), served only to the person who
asked for it, and deleted after MEMBERS_EXPORT_RETENTION_HOURS (``member_export_files_purge``, nightly).
"""

from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta
from io import BytesIO

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from union_portal import sheets_out as so
from union_portal.audit import audit_record
from union_portal.crypto import mask_phone
from union_portal.enqueue import enqueue_on_commit
from union_portal.models import OrgUnit, User
from union_portal.replica import replica_reads

from ..models import Member, MemberExport
from .roll import export_audit, export_check

# The most rows a background export holds: Excel's own limit of a sheet is 1,048,576 rows.
JOB_MAX_ROWS = 1_000_000
PROGRESS_EVERY = 2000


def roll_columns(*, full: bool) -> list[so.Column]:
    columns = [
        so.identifier(_("Member number")),
        so.text(_("Full name")),
        so.text(_("Sex")),
        so.identifier(_("Resident ID number")),
        so.identifier(_("Mobile phone")),
        so.text(_("Grassroots union")),
        so.text(_("Job")),
        so.text(_("Frontline worker")),
        so.text(_("Migrant worker")),
        so.text(_("Hardship")),
        so.date(_("Joined on")),
        so.text(_("Status")),
    ]
    if not full:
        del columns[3]
    return columns


def roll_rows(members: Iterable[Member], *, full: bool) -> Iterator[list]:
    yes, no = _("Yes"), _("No")
    for m in members:
        row = [
            m.member_number,
            m.name,
            m.get_sex_display(),
            (m.id_number or "") if full else "",  # deferred in a masked export: never read
            m.mobile if full else mask_phone(m.mobile),
            m.org.name,
            m.job,
            yes if m.is_frontline else no,
            yes if m.is_migrant else no,
            yes if m.is_hardship else no,
            m.joined_on,
            m.get_status_display(),
        ]
        if not full:
            del row[3]
        yield row


def roll_file_name(*, today=None) -> str:
    return f"members-{(today or timezone.localdate()):%Y%m%d}.xlsx"


def filters_to_json(filters) -> dict:
    from ..selectors import MemberFilters

    f = filters or MemberFilters()
    return {
        "q": f.q,
        "org": f.org.pk if f.org is not None else None,
        "status": f.status,
        "frontline": f.frontline,
        "migrant": f.migrant,
        "hardship": f.hardship,
        "sort": f.sort,
    }


def filters_from_json(data: dict):
    from ..selectors import MemberFilters

    org = OrgUnit.objects.filter(pk=data["org"]).first() if data.get("org") else None
    return MemberFilters(
        q=data.get("q", ""),
        org=org,
        status=data.get("status", ""),
        frontline=data.get("frontline"),
        migrant=data.get("migrant"),
        hardship=data.get("hardship"),
        sort=data.get("sort", "number"),
    )


@transaction.atomic
def member_export_job_start(
    *, by: User, filters=None, full: bool = False, reason: str = "", query: str = ""
) -> MemberExport:
    """Queue a roll export to be built in the background (after commit). Checked and audited like
    ``member_export``, with the number of members it will hold."""
    from .. import selectors

    reason = export_check(by=by, full=full, reason=reason)
    rows = selectors.member_export_list(user=by, filters=filters, full=full).order_by().count()
    job = MemberExport.objects.create(
        by=by,
        full=full,
        filters=filters_to_json(filters),
        query=query[:500],
        total=min(rows, JOB_MAX_ROWS),
        file_name=roll_file_name(),
    )
    export_audit(by=by, filters=filters, full=full, reason=reason, query=query, rows=job.total, job=job.pk)
    from ..tasks import member_export_task

    enqueue_on_commit(member_export_task, job.pk, what="members.export")
    return job


def member_export_job_run(job_id: int) -> None:
    """Build the file of a queued export: the members the requester may see now, with the filters they
    chose, streamed into the workbook. Idempotent: a finished, failed or purged job is left as it is; a job
    interrupted while running is built again from the start."""
    from .. import selectors

    job = MemberExport.objects.select_related("by").filter(pk=job_id).first()
    if job is None or not job.running:
        return
    MemberExport.objects.filter(pk=job.pk).update(status=MemberExport.Status.RUNNING, processed=0)
    try:
        filters = filters_from_json(job.filters)
        members = selectors.member_export_list(user=job.by, filters=filters, full=job.full)[:JOB_MAX_ROWS]

        def progress(done: int) -> None:
            MemberExport.objects.filter(pk=job.pk).update(processed=done, updated_at=timezone.now())

        buffer = BytesIO()
        # The members are read from the replica when one is configured (the job's progress is written to
        # the primary: writes never follow the reads there).
        with replica_reads():
            written = so.write_xlsx(
                buffer,
                roll_columns(full=job.full),
                roll_rows(members.iterator(chunk_size=PROGRESS_EVERY), full=job.full),
                title=_("Members"),
                progress=progress,
                progress_every=PROGRESS_EVERY,
            )
        job.file.save(job.file_name, ContentFile(buffer.getvalue()), save=False)
    except Exception:
        MemberExport.objects.filter(pk=job.pk).update(status=MemberExport.Status.FAILED, updated_at=timezone.now())
        raise
    now = timezone.now()
    MemberExport.objects.filter(pk=job.pk).update(
        status=MemberExport.Status.DONE,
        file=job.file.name,
        total=written,
        processed=written,
        finished_at=now,
        updated_at=now,
    )


def member_export_files_purge(*, now: datetime | None = None) -> int:
    """Delete the files of background roll exports older than MEMBERS_EXPORT_RETENTION_HOURS (personal data
    in clear once decrypted); the job stays, marked deleted. Audited per file; idempotent. Returns how many
    files were deleted."""
    now = now or timezone.now()
    cutoff = now - timedelta(hours=settings.MEMBERS_EXPORT_RETENTION_HOURS)
    purged = 0
    for job in MemberExport.objects.filter(created_at__lt=cutoff).exclude(status=MemberExport.Status.EXPIRED):
        if job.file:
            job.file.delete(save=False)
            purged += 1
            audit_record(actor=None, action="members.export_purge", obj=job, detail={"reason": "expired"})
        job.file = ""
        job.status = MemberExport.Status.EXPIRED
        job.save(update_fields=["file", "status", "updated_at"])
    return purged
