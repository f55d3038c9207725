"""Services of the roll: founding, joining, transfers, status changes, personal data."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from members import services
from members.models import Enterprise, FoundingApplication, JoinApplication, Member, MemberEvent, MemberTransfer
from members.selectors import member_status_on
from tests.factories import new_id_number
from union_portal.identity import id_number_hash, make_id_number, make_uscc
from union_portal.models import AuditLog, OrgUnit

from .conftest import YEAR

SEQ_X = 9  # 33062119880308009 has the check character X


# --- enterprises and founding ----------------------------------------------------------------------------


def test_enterprise_with_a_bad_credit_code_is_refused_with_a_chinese_message(tree, huashe_staff):
    with pytest.raises(ValidationError) as info:
        services.enterprise_create(
            by=huashe_staff, township=tree["KQ-HS"], name="测试", uscc=make_uscc(900)[:-1] + "0", employee_count=30
        )
    assert "校验" in str(info.value.message_dict["uscc"])


def test_township_staff_register_enterprises_only_in_their_township(tree, huashe_staff):
    enterprise = services.enterprise_create(
        by=huashe_staff, township=tree["KQ-HS"], name="绍兴新厂", uscc=make_uscc(901).lower(), employee_count=40
    )
    assert enterprise.uscc == make_uscc(901)
    with pytest.raises(PermissionDenied):
        services.enterprise_create(
            by=huashe_staff, township=tree["KQ-QX"], name="别处", uscc=make_uscc(902), employee_count=40
        )


def _founding(tree, by, pdf_upload, seq=903):
    enterprise = services.enterprise_create(
        by=by, township=tree["KQ-HS"], name="绍兴华舍新材料有限公司", uscc=make_uscc(seq), employee_count=60
    )
    return services.founding_submit(
        by=by,
        enterprise=enterprise,
        union_name="绍兴华舍新材料有限公司工会",
        chair_name="沈一",
        meeting_date=dt.date(YEAR, 1, 10),
        member_count=40,
        election_result=pdf_upload,
        applicant_name="沈一",
        applicant_phone="13957500009",
    )


def test_approving_a_founding_creates_the_union_under_the_township_and_links_the_firm(tree, huashe_staff, pdf_upload):
    application = _founding(tree, huashe_staff, pdf_upload)

    union = services.founding_approve(by=huashe_staff, application=application)

    assert union.kind == OrgUnit.Kind.GRASSROOTS
    assert OrgUnit.objects.get_parent(union) == tree["KQ-HS"]
    assert union.code.startswith("KQ-HS-") and union.code not in tree
    application.refresh_from_db()
    assert application.status == FoundingApplication.Status.APPROVED and application.union == union
    assert Enterprise.objects.get(pk=application.enterprise_id).union == union
    assert AuditLog.objects.filter(action="founding.approve").exists()
    with pytest.raises(ValidationError):
        services.founding_approve(by=huashe_staff, application=application)


def test_founding_is_decided_only_by_its_township(tree, huashe_staff, qixian_staff, pdf_upload):
    application = _founding(tree, huashe_staff, pdf_upload)
    with pytest.raises(PermissionDenied):
        services.founding_approve(by=qixian_staff, application=application)
    with pytest.raises(PermissionDenied):
        services.founding_reject(by=qixian_staff, application=application, reason="x")


def test_rejecting_a_founding_needs_a_reason_and_creates_nothing(tree, huashe_staff, pdf_upload):
    application = _founding(tree, huashe_staff, pdf_upload)
    units = OrgUnit.objects.count()
    with pytest.raises(ValidationError):
        services.founding_reject(by=huashe_staff, application=application, reason=" ")

    services.founding_reject(by=huashe_staff, application=application, reason="选举程序不符合规定")

    application.refresh_from_db()
    assert application.status == "rejected" and application.decision_reason == "选举程序不符合规定"
    assert OrgUnit.objects.count() == units


def test_a_pending_application_blocks_a_worker_but_the_township_supersedes_it(
    tree, huashe_staff, worker, pdf_upload, sms_code
):
    """L1 (replaces "a firm with a pending application cannot apply again", which held for township staff
    too): a logged-in worker cannot file over a pending application; the township's own filing supersedes it."""
    application = _founding(tree, huashe_staff, pdf_upload)
    fields = {
        "enterprise": application.enterprise,
        "union_name": "x工会",
        "chair_name": "x",
        "meeting_date": dt.date(YEAR, 1, 1),
        "member_count": 3,
        "election_result": pdf_upload,
        "applicant_name": "x",
        "applicant_phone": "13957500010",
    }
    with pytest.raises(ValidationError):
        services.founding_submit(by=worker, code=sms_code("founding", "13957500010"), **fields)

    newer = services.founding_submit(by=huashe_staff, **fields)

    application.refresh_from_db()
    assert application.status == FoundingApplication.Status.SUPERSEDED
    assert newer.status == FoundingApplication.Status.PENDING
    assert AuditLog.objects.filter(action="founding.supersede", object_id=str(application.pk)).exists()


# --- the roll ---------------------------------------------------------------------------------------------


def test_member_create_derives_sex_and_birth_and_records_a_joined_event(make_member):
    # given an ID number with a lower-case x as check character (accepted, normalised)
    member = make_member(id_number=make_id_number("330621", dt.date(1988, 3, 8), SEQ_X).lower())
    assert member.id_number.endswith("X")
    assert member.birth_date == dt.date(1988, 3, 8) and member.sex == ("M" if SEQ_X % 2 else "F")
    assert member.member_number.startswith(f"KQ{member.joined_on.year}")  # the year of joining
    event = member.events.get()
    assert event.kind == MemberEvent.Kind.JOINED and event.to_status == "active"


def test_member_numbers_are_unique_and_continue_after_existing_ones(make_member, worker):
    # the demo worker holds a number (KQ + year + 000001), issued before the counter existed
    demo_number = Member.objects.get(user=worker).member_number
    year, last = int(demo_number[2:6]), int(demo_number[6:])
    a = make_member(joined_on=dt.date(year, 1, 1))
    b = make_member(joined_on=dt.date(year, 1, 2))
    assert a.member_number == f"KQ{year}{last + 1:06d}" and b.member_number == f"KQ{year}{last + 2:06d}"


def test_a_person_active_elsewhere_cannot_be_added_again_and_the_handler_learns_neither_union_nor_number(
    make_member,
):
    id_number = new_id_number()
    existing = make_member(id_number=id_number)
    with pytest.raises(ValidationError) as info:
        make_member("KQ-QX-001", id_number=id_number.lower())
    message = info.value.message_dict["id_number"][0]
    # only that a transfer is needed (M9): not the union (it was named) nor the member number
    assert "请办理会员关系接转" in message
    assert existing.org.name not in message and existing.member_number not in message


def test_the_database_refuses_a_second_active_membership(make_member, tree):
    first = make_member()
    duplicate = Member(
        member_number="X1",
        name="重复",
        id_number=first.id_number,
        id_number_hash=first.id_number_hash,
        sex="M",
        birth_date=first.birth_date,
        org=tree["KQ-QX-001"],
        joined_on=dt.date(YEAR - 2, 1, 1),
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_a_legacy_15_digit_id_number_is_refused_with_a_clear_message(make_member):
    with pytest.raises(ValidationError) as info:
        make_member(id_number="330621880308124")
    assert "15" in str(info.value.message_dict["id_number"])


def test_status_change_records_date_reason_and_who(make_member, handler):
    member = make_member()
    services.member_change_status(
        by=handler, member=member, status="retired", effective_on=dt.date(YEAR - 1, 6, 30), reason="到龄退休"
    )
    member.refresh_from_db()
    assert member.status == "retired" and member.status_changed_on == dt.date(YEAR - 1, 6, 30)
    event = member.events.get(kind="status")
    assert (event.from_status, event.to_status, event.reason, event.by) == ("active", "retired", "到龄退休", handler)
    assert member_status_on(member=member, on=dt.date(YEAR - 1, 6, 29)) == "active"
    assert member_status_on(member=member, on=dt.date(YEAR - 1, 6, 30)) == "retired"


def test_status_change_needs_a_reason_and_an_allowed_transition(make_member, handler):
    member = make_member()
    with pytest.raises(ValidationError):
        services.member_change_status(
            by=handler, member=member, status="left", effective_on=dt.date(YEAR - 1, 1, 1), reason=""
        )
    services.member_change_status(
        by=handler, member=member, status="deceased", effective_on=dt.date(YEAR - 1, 1, 1), reason="病故"
    )
    with pytest.raises(ValidationError):
        services.member_change_status(
            by=handler, member=member, status="active", effective_on=dt.date(YEAR - 1, 2, 1), reason="x"
        )


def test_a_handler_cannot_change_another_unions_member(make_member, handler_qixian):
    member = make_member("KQ-HS-001")
    with pytest.raises(PermissionDenied):
        services.member_change_status(
            by=handler_qixian, member=member, status="left", effective_on=dt.date(YEAR - 1, 1, 1), reason="x"
        )
    with pytest.raises(PermissionDenied):
        services.member_update(by=handler_qixian, member=member, name="改名")


def test_editing_records_changed_fields_without_personal_data_in_clear(make_member, handler):
    member = make_member(mobile="13800001111")
    services.member_update(by=handler, member=member, mobile="13900002222", job="班组长", reason="岗位调整")
    member.refresh_from_db()
    assert member.mobile == "13900002222"
    event = member.events.get(kind="edited")
    assert event.changes["mobile"] == "changed" and event.changes["job"] == ["", "班组长"]
    assert "13900002222" not in str(event.changes) and event.reason == "岗位调整" and event.by == handler


# --- transfers and joining --------------------------------------------------------------------------------


def test_transfer_out_then_accept_keeps_the_member_number(make_member, handler, handler_qixian, tree):
    member = make_member("KQ-HS-001")
    number = member.member_number
    transfer = services.transfer_request(by=handler, member=member, to_org=tree["KQ-QX-001"], reason="调动")
    with pytest.raises(PermissionDenied):
        services.transfer_accept(by=handler, transfer=transfer)  # the sending side cannot accept

    services.transfer_accept(by=handler_qixian, transfer=transfer)

    member.refresh_from_db()
    assert member.org == tree["KQ-QX-001"] and member.member_number == number and member.status == "active"
    kinds = list(member.events.values_list("kind", flat=True))
    assert "transfer_out" in kinds and "transfer_in" in kinds
    assert MemberTransfer.objects.get().status == "accepted"


def test_receiving_union_may_refuse_a_transfer_with_a_reason(make_member, handler, handler_qixian, tree):
    member = make_member("KQ-HS-001")
    transfer = services.transfer_request(by=handler, member=member, to_org=tree["KQ-QX-001"], reason="调动")
    services.transfer_reject(by=handler_qixian, transfer=transfer, reason="查无此人")
    transfer.refresh_from_db()
    member.refresh_from_db()
    assert transfer.status == "rejected" and member.org == tree["KQ-HS-001"]


def test_join_approval_issues_a_member_number_and_links_the_worker(tree, handler, django_user_model):
    applicant = django_user_model.objects.create_user("newbie", password="x")
    application = services.join_submit(
        consent=True,
        user=applicant,
        org=tree["KQ-HS-001"],
        name="新会员",
        id_number=new_id_number(),
        mobile="13912345678",
    )
    member = services.join_approve(by=handler, application=application)
    assert isinstance(member, Member) and member.user == applicant and member.org == tree["KQ-HS-001"]
    application.refresh_from_db()
    assert application.status == "approved" and application.member == member
    assert applicant.notifications.filter(title__isnull=False).exists()


def test_joining_while_active_elsewhere_becomes_a_transfer_request_the_releasing_union_must_release(
    make_member, tree, handler, handler_qixian
):
    # given a person active in Huashe applies to join the Qixian union
    existing = make_member("KQ-HS-001")
    application = services.join_submit(
        consent=True,
        user=None,
        org=tree["KQ-QX-001"],
        name=existing.name,
        id_number=existing.id_number,
        mobile="13912340000",
    )

    # when Qixian's handler approves
    transfer = services.join_approve(by=handler_qixian, application=application)

    # then no second membership exists: a transfer waits for the releasing union (the receiving union alone
    # could accept it before issue 14 C1), and moves the member once Huashe releases them
    assert isinstance(transfer, MemberTransfer)
    assert Member.objects.filter(id_number_hash=existing.id_number_hash).count() == 1
    application.refresh_from_db()
    assert application.status == JoinApplication.Status.TRANSFER
    with pytest.raises(ValidationError):
        services.transfer_accept(by=handler_qixian, transfer=transfer)
    services.transfer_release(by=handler, transfer=transfer)
    existing.refresh_from_db()
    assert existing.org == tree["KQ-QX-001"]


def test_join_rejection_needs_a_reason_and_only_the_unions_handler_decides(tree, handler, handler_qixian):
    application = services.join_submit(
        consent=True, user=None, org=tree["KQ-HS-001"], name="某人", id_number=new_id_number(), mobile="13912345679"
    )
    with pytest.raises(PermissionDenied):
        services.join_approve(by=handler_qixian, application=application)
    with pytest.raises(ValidationError):
        services.join_reject(by=handler, application=application, reason="")
    services.join_reject(by=handler, application=application, reason="非本企业职工")
    application.refresh_from_db()
    assert application.status == "rejected"


def test_join_form_input_is_checked(tree):
    with pytest.raises(ValidationError) as info:
        services.join_submit(
            consent=True, user=None, org=tree["KQ-HS-001"], name="某人", id_number="330621198803081240", mobile="1234"
        )
    assert set(info.value.message_dict) == {"id_number", "mobile"}


# --- personal data ----------------------------------------------------------------------------------------


def test_a_reveal_is_audited_and_only_for_entitled_roles_in_scope(make_member, handler, handler_qixian, judge1):
    member = make_member()
    assert services.member_reveal(by=handler, member=member, field="id_number") == member.id_number
    assert AuditLog.objects.filter(action="members.reveal", result="ok", actor=handler).count() == 1
    for outsider in (handler_qixian, judge1):
        with pytest.raises(PermissionDenied):
            services.member_reveal(by=outsider, member=member, field="id_number")
    assert AuditLog.objects.filter(action="members.reveal", result="denied").count() == 2


def test_the_database_holds_no_plaintext_id_number(make_member):
    from django.db import connection

    member = make_member()
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number, mobile FROM members_member WHERE id = %s", [member.pk])
        stored_id, stored_mobile = cursor.fetchone()
    assert member.id_number not in stored_id and member.mobile not in stored_mobile
    assert member.id_number_hash == id_number_hash(member.id_number.lower())


def test_a_worker_who_left_can_join_again_and_the_card_follows(tree, handler, worker):
    old = Member.objects.get(user=worker)
    services.member_change_status(
        by=handler, member=old, status="left", effective_on=dt.date(YEAR - 1, 1, 1), reason="离职"
    )
    application = services.join_submit(
        consent=True, user=worker, org=tree["KQ-HS-001"], name=old.name, id_number=old.id_number, mobile="13957500001"
    )

    new = services.join_approve(by=handler, application=application)

    assert new.pk != old.pk and new.member_number != old.member_number
    assert Member.objects.get(user=worker) == new
