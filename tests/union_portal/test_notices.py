"""The core's public notices: a notice about any object, objections with a masked phone revealed with an
audit row, the staged review record. Awards' own flow is tested in tests/awards."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from union_portal.models import AuditLog
from union_portal.notices import selectors, services
from union_portal.notices.models import Objection, PublicNotice, ReviewStep

pytestmark = pytest.mark.django_db

START = dt.date(2026, 12, 1)


def _phone(value: str) -> str:
    if not (value.isdigit() and len(value) == 11):
        raise ValidationError("not a mobile number")
    return value


@pytest.fixture
def notice(tree, district_admin):
    # any object may be on notice; a user account stands in for an app's object here
    return services.notice_open(
        by=district_admin,
        subject=district_admin,
        org=tree["SX-KQ"],
        title="困难职工建档公示",
        starts_on=START,
        working_days=5,
        audience=PublicNotice.Audience.UNIT_MEMBERS,
    )


def test_a_subject_has_one_open_notice_at_a_time(tree, district_admin, notice):
    with pytest.raises(ValidationError):
        services.notice_open(
            by=district_admin,
            subject=district_admin,
            org=tree["SX-KQ"],
            title="again",
            starts_on=START,
            working_days=1,
        )
    assert list(selectors.notices_of(district_admin)) == [notice]


def test_a_notice_runs_at_least_one_working_day(tree, district_admin, handler):
    with pytest.raises(ValidationError):
        services.notice_open(
            by=district_admin, subject=handler, org=tree["SX-KQ"], title="x", starts_on=START, working_days=0
        )


def test_the_last_day_is_derived_from_start_length_and_calendar(notice):
    # Tue 1 Dec 2026 for 5 working days (the notice counts its first day): 1, 2, 3, 4, 7 December
    assert notice.last_day == dt.date(2026, 12, 7)
    assert notice.ends_on == notice.last_day  # the denormalised copy for queries


def test_objections_are_taken_only_while_the_notice_runs(notice):
    with pytest.raises(ValidationError):
        services.objection_file(
            notice=notice,
            name="赵六",
            phone="13957511111",
            code="",
            content="x",
            validate_phone=_phone,
            today=START - dt.timedelta(days=1),
        )
    services.notice_close(notice=notice, today=START)
    with pytest.raises(ValidationError):
        services.objection_file(
            notice=notice, name="赵六", phone="13957511111", code="", content="x", validate_phone=_phone, today=START
        )
    assert not Objection.objects.exists()


def test_an_objection_needs_a_real_name_a_valid_phone_and_content(notice):
    with pytest.raises(ValidationError) as exc:
        services.objection_file(
            notice=notice, name="", phone="123", code="", content=" ", validate_phone=_phone, today=START
        )
    assert set(exc.value.message_dict) == {"name", "phone", "content"}


def test_the_phone_is_masked_and_revealing_it_is_audited_in_the_apps_vocabulary(
    notice, handler, district_admin, sms_code
):
    objection = services.objection_file(
        notice=notice,
        item=handler,
        name="赵六",
        phone="13957511111",
        code=sms_code("objection", "13957511111"),
        content="事迹不实",
        validate_phone=_phone,
        today=START,
    )
    assert objection.item == handler and objection.phone_masked != objection.phone
    assert AuditLog.objects.filter(action="union_portal.objection_file", object_id=str(objection.pk)).exists()
    assert services.objection_reveal_phone(by=district_admin, objection=objection) == "13957511111"
    assert AuditLog.objects.filter(action="union_portal.reveal", actor=district_admin).exists()
    services.objection_answer(by=district_admin, objection=objection, status="dismissed", answer="经核实属实")
    with pytest.raises(ValidationError):
        services.objection_answer(by=district_admin, objection=objection, status="upheld", answer="again")
    objection.refresh_from_db()
    assert objection.status == Objection.Status.DISMISSED and objection.answered_by == district_admin


def test_a_staged_review_records_each_decision_and_a_return_needs_a_comment(handler, huashe_staff):
    with pytest.raises(ValidationError):
        services.review_record(by=huashe_staff, subject=handler, stage="township", decision="return", comment=" ")
    services.review_record(by=huashe_staff, subject=handler, stage="township", decision="return", comment="补材料")
    services.review_record(by=huashe_staff, subject=handler, stage="township", decision="pass")
    steps = list(selectors.reviews_of(handler))
    assert [(s.decision, s.get_stage_display()) for s in steps] == [
        (ReviewStep.Decision.RETURN, str(ReviewStep.Stage.TOWNSHIP.label)),
        (ReviewStep.Decision.PASS, str(ReviewStep.Stage.TOWNSHIP.label)),
    ]
