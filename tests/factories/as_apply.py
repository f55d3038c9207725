"""Hardship applications through the assistance services, up to any state (branch as-apply)."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from assistance.models import Application, ApplicationDocument
from assistance.services import applications as svc
from union_portal.identity import birth_date_of
from union_portal.models import OrgUnit
from union_portal.notices.models import PublicNotice
from union_portal.roles import Role

from .core import PDF, ancestor_of_kind, district_admin_of, holder, new_id_number

# A 1×1 PNG (visit photos).
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


def new_user():
    from .core import UserFactory

    return UserFactory()


def png(name: str = "photo.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def authorisation() -> SimpleUploadedFile:
    return SimpleUploadedFile("授权书.pdf", PDF, content_type="application/pdf")


def township_of(member) -> OrgUnit:
    return ancestor_of_kind(member.org, OrgUnit.Kind.TOWNSHIP)


def household_of(member, *, today: dt.date, extra: int = 2) -> list[svc.PersonData]:
    """The worker, a spouse and children (``extra`` people besides the worker)."""
    age = today.year - birth_date_of(member.id_number).year
    people = [svc.PersonData(relation="self", name=member.name, id_number=member.id_number, age=age)]
    relations = ["spouse", "child", "child", "parent"]
    for index in range(extra):
        relation = relations[index % len(relations)]
        child = relation == "child"
        people.append(
            svc.PersonData(
                relation=relation,
                name=f"家人{index + 1}",
                id_number=new_id_number(birth=dt.date(today.year - (12 if child else 40), 1, 1 + index)),
                age=12 if child else 40,
                health="serious" if index == 0 else "healthy",
                work="student" if child else "unemployed",
            )
        )
    return people


def draft(
    member,
    *,
    by=None,
    today: dt.date,
    income: str = "30000.00",
    spending: str = "0.00",
    causes=("serious_illness",),
    extra: int = 2,
) -> Application:
    """A draft with the signed authorisation uploaded: household of 1 + ``extra``, one income and one spending."""
    by = by or member.user or holder(Role.HANDLER, member.org)
    application = svc.application_save(
        by=by,
        member=member,
        data=svc.ApplicationData(causes=list(causes), housing="rented", cause_note="丈夫重病"),
        household=household_of(member, today=today, extra=extra),
        incomes=[svc.AmountData(kind="wages", amount=income)],
        spending=[svc.AmountData(kind="medical", amount=spending)],
        today=today,
    )
    svc.application_document_add(
        by=by, application=application, kind=ApplicationDocument.Kind.AUTHORISATION, uploaded=authorisation()
    )
    return application


def submitted(member, *, today: dt.date, **kwargs) -> Application:
    application = draft(member, today=today, **kwargs)
    by = member.user or holder(Role.HANDLER, member.org)
    return svc.application_submit(by=by, application=application, consent_sensitive=True, consent_check=True)


def visited(member, *, today: dt.date, **kwargs) -> Application:
    application = submitted(member, today=today, **kwargs)
    township = township_of(member)
    one, two = holder(Role.HANDLER, member.org), holder(Role.TOWNSHIP_STAFF, township)
    svc.visit_record(
        by=one,
        application=application,
        visited_on=today,
        staff_one=one,
        staff_two=two,
        findings="住房简陋，丈夫卧病在床",
        today=today,
    )
    application.refresh_from_db()
    return application


def on_notice(member, *, today: dt.date, **kwargs) -> Application:
    application = visited(member, today=today, **kwargs)
    svc.category_decide(
        by=holder(Role.HANDLER, member.org),
        application=application,
        category=application.proposed_category or "relative",
        reason="" if application.proposed_category in ("deep", "relative", "accident") else "入户核实",
        today=today,
    )
    application.refresh_from_db()
    return application


def after_notice(application: Application) -> dt.date:
    """The first day after the application's notice."""
    notice = PublicNotice.objects.get(subject_id=application.pk, status=PublicNotice.Status.OPEN)
    return notice.last_day + dt.timedelta(days=1)


def township_review(member, *, today: dt.date, **kwargs) -> Application:
    application = on_notice(member, today=today, **kwargs)
    svc.notice_finish(by=None, application=application, today=after_notice(application))
    application.refresh_from_db()
    return application


def district_review(member, *, today: dt.date, **kwargs) -> Application:
    application = township_review(member, today=today, **kwargs)
    svc.application_review(
        by=holder(Role.TOWNSHIP_STAFF, township_of(member)), application=application, decision="pass"
    )
    application.refresh_from_db()
    return application


def approved(member, *, today: dt.date, **kwargs) -> Application:
    application = district_review(member, today=today, **kwargs)
    svc.application_review(by=district_admin_of(member.org), application=application, decision="pass", today=today)
    application.refresh_from_db()
    return application
