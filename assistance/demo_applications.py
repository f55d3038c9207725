"""Demo data: applications. The district's rules (its first version, DEFAULT_RULES) and, in 华舍 and 齐贤, a
hardship application in every state, from a draft to an approved one with its file opened; the demo worker
(陈小红) applied and was approved: her file is open (the help campaigns' demo pays her from it). Dated relative to today; idempotent (nothing when applications exist)."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from union_portal.identity import make_id_number
from union_portal.models import OrgUnit

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
STATES = [
    "draft",
    "submitted",
    "visited",
    "on_notice",
    "township_review",
    "district_review",
    "returned",
    "rejected",
    "approved",
]
# (grassroots union, handler, township staff)
UNITS = [("KQ-HS-001", "handler", "huashe_staff"), ("KQ-QX-001", "handler_qixian", "qixian_staff")]


def _household(member, today: dt.date, seq: int):
    from .services.applications import PersonData

    age = today.year - member.birth_date.year
    return [
        PersonData(relation="self", name=member.name, id_number=member.id_number, age=age),
        PersonData(
            relation="spouse",
            name=member.name[0] + "配偶",
            id_number=make_id_number("330621", dt.date(today.year - 42, 5, 1 + seq % 27), 400 + seq),
            age=42,
            health="serious",
            health_note="尿毒症",
            work="unable",
        ),
        PersonData(
            relation="child",
            name=member.name[0] + "小孩",
            id_number=make_id_number("330621", dt.date(today.year - 15, 9, 1 + seq % 27), 600 + seq),
            age=15,
            work="student",
            school="柯桥中学 高一",
        ),
    ]


def _advance(member, state: str, *, seq: int, handler, township, district, today: dt.date):
    from .models import ApplicationDocument
    from .services import applications as svc

    by = member.user or handler
    application = svc.application_save(
        by=by,
        member=member,
        data=svc.ApplicationData(causes=["serious_illness"], cause_note="配偶患重病，长期透析", housing="rented"),
        household=_household(member, today, seq),
        incomes=[svc.AmountData(kind="wages", amount="30000.00"), svc.AmountData(kind="benefits", amount="1200.00")],
        spending=[svc.AmountData(kind="medical", amount="18000.00")],
        today=today,
    )
    svc.application_document_add(
        by=by,
        application=application,
        kind=ApplicationDocument.Kind.AUTHORISATION,
        uploaded=SimpleUploadedFile("authorisation.pdf", PDF, content_type="application/pdf"),
    )
    if state == "draft":
        return application
    svc.application_submit(by=by, application=application, consent_sensitive=True, consent_check=True)
    if state == "submitted":
        return application
    started = today - dt.timedelta(days=20)
    svc.visit_record(
        by=handler,
        application=application,
        visited_on=started - dt.timedelta(days=2),
        staff_one=handler,
        staff_two=township,
        findings="入户核实：租住旧房，配偶每周透析三次，收入属实。",
        today=today,
    )
    if state == "visited":
        return application
    application.refresh_from_db()
    svc.category_decide(
        by=handler,
        application=application,
        category=application.proposed_category if application.proposed_category != "none" else "relative",
        reason="" if application.proposed_category != "none" else "入户核实困难",
        today=today if state == "on_notice" else started,
    )
    if state == "on_notice":
        return application
    svc.notice_finish(by=None, application=application, today=today)
    if state == "township_review":
        return application
    if state in ("returned", "rejected"):
        svc.application_review(
            by=township,
            application=application,
            decision="return" if state == "returned" else "reject",
            comment="请补充配偶的医疗费用票据" if state == "returned" else "家庭收入核实后高于认定标准",
            today=today,
        )
        return application
    svc.application_review(by=township, application=application, decision="pass", today=today)
    if state == "district_review":
        return application
    svc.application_review(by=district, application=application, decision="pass", today=today)
    return application


def seed(*, stdout) -> None:
    from members.models import Member

    from .models import Application
    from .services.applications import ruleset_in_force

    if Application.objects.exists():
        return
    users = get_user_model().objects
    today = timezone.localdate()
    district = users.get(username="district_admin")
    ruleset_in_force(org=OrgUnit.objects.get(code="SX-KQ"), day=today)
    made = 0
    worker_member = Member.objects.filter(user__username="worker").first()
    for unit_index, (code, handler_name, township_name) in enumerate(UNITS):
        handler, township = users.get(username=handler_name), users.get(username=township_name)
        members = list(
            Member.objects.filter(org__code=code, user__isnull=True, status__in=Member.HOLDING_STATUSES).order_by("pk")[
                : len(STATES)
            ]
        )
        for index, (state, member) in enumerate(zip(STATES, members, strict=False)):
            _advance(
                member,
                state,
                seq=unit_index * 20 + index,
                handler=handler,
                township=township,
                district=district,
                today=today,
            )
            made += 1
    if worker_member is not None:
        handler = users.get(username="handler")
        township = users.get(username="huashe_staff")
        _advance(worker_member, "approved", seq=90, handler=handler, township=township, district=district, today=today)
        made += 1
    stdout.write(f"  hardship applications: {made}")
