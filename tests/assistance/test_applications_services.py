"""The hardship application's services, from the draft to the opened file (issue 19, part 1)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from assistance.models import Application, FilePerson, HardshipFile, HomeVisit, RuleSet
from assistance.rules import DEFAULT_RULES
from assistance.services import applications as svc
from tests.factories import as_apply as f
from tests.factories import district_admin_of, holder, new_id_number
from union_portal.models import AuditLog, Notification
from union_portal.notices.models import PublicNotice, ReviewStep
from union_portal.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(make_member, worker):
    from members.models import Member

    return Member.objects.get(user=worker)


def test_draft_is_saved_with_household_incomes_and_spending(member, worker, today):
    # given / when
    application = f.draft(member, today=today, income="36000.00", spending="1200.50")

    # then
    assert application.status == Application.Status.DRAFT
    assert application.channel == Application.Channel.SELF
    assert application.number.startswith(f"KN{today.year}-")
    assert application.household.count() == 3
    assert application.household.get(relation="self").id_number_hash == member.id_number_hash
    assert application.incomes.get().amount == Decimal("36000.00")
    assert application.spending.get().amount == Decimal("1200.50")


def test_handler_files_for_a_member_of_his_union(make_member, handler, today):
    # given
    member = make_member("KQ-HS-001")

    # when
    application = f.draft(member, by=handler, today=today)

    # then
    assert application.channel == Application.Channel.HANDLER
    assert application.filed_by == handler


def test_handler_of_another_union_may_not_file(make_member, handler_qixian, today):
    member = make_member("KQ-HS-001")
    with pytest.raises(PermissionDenied):
        f.draft(member, by=handler_qixian, today=today)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"incomes": [svc.AmountData(kind="wages", amount="-5")]}, "negative"),
        ({"incomes": [svc.AmountData(kind="wages", amount="abc")]}, "amount"),
        ({"relation": ""}, "relation"),
        ({"age": "130"}, "age"),
        ({"no_self": True}, "Exactly one"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_saved(member, worker, today, change, message):
    # given
    household = f.household_of(member, today=today)
    if "relation" in change:
        household[1].relation = change["relation"]
    if "age" in change:
        household[2].age = change["age"]
    if "no_self" in change:
        household[0].relation = "spouse"
    incomes = change.get("incomes", [svc.AmountData(kind="wages", amount="1000")])

    # when
    with pytest.raises(ValidationError) as error:
        svc.application_save(
            by=worker,
            member=member,
            data=svc.ApplicationData(causes=["disability"]),
            household=household,
            incomes=incomes,
            spending=[],
            today=today,
        )

    # then
    assert error.value.messages
    assert not Application.objects.exists()


def test_messages_are_in_chinese(member, worker, today, settings):
    from django.utils import translation

    household = f.household_of(member, today=today)
    household[1].relation = ""
    with translation.override("zh-hans"), pytest.raises(ValidationError) as error:
        svc.application_save(
            by=worker,
            member=member,
            data=svc.ApplicationData(),
            household=household,
            incomes=[svc.AmountData(kind="wages", amount="-1")],
            spending=[],
            today=today,
        )
    text = " ".join(error.value.messages)
    assert "关系" in text and "负" in text


def test_a_second_live_application_is_refused(member, today):
    # given
    f.draft(member, today=today)

    # when / then
    with pytest.raises(ValidationError, match="已有一份办理中的申请"):
        f.draft(member, today=today)
    assert Application.objects.count() == 1


def test_a_person_in_an_open_file_cannot_be_in_a_new_application(make_member, member, handler, today):
    # given: the worker's household is in an open file
    approved = f.approved(member, today=today)
    spouse = approved.household.get(relation="spouse")
    other = make_member("KQ-HS-001")
    household = f.household_of(other, today=today)
    household[1].id_number = spouse.id_number

    # when / then
    with pytest.raises(ValidationError, match="有效的困难职工档案"):
        svc.application_save(
            by=handler,
            member=other,
            data=svc.ApplicationData(causes=["disability"]),
            household=household,
            incomes=[],
            spending=[],
            today=today,
        )
    assert Application.objects.filter(member=other).count() == 0


def test_submit_needs_both_consents_and_the_signed_authorisation(member, worker, today):
    # given: a draft without the authorisation
    application = svc.application_save(
        by=worker,
        member=member,
        data=svc.ApplicationData(causes=["disability"]),
        household=f.household_of(member, today=today),
        incomes=[],
        spending=[],
        today=today,
    )

    # when
    with pytest.raises(ValidationError) as error:
        svc.application_submit(by=worker, application=application, consent_sensitive=True, consent_check=False)

    # then
    assert len(error.value.messages) == 2  # the check authorisation and the upload
    application.refresh_from_db()
    assert application.status == Application.Status.DRAFT


def test_submit_uses_the_rules_in_force_and_tells_the_worker_by_inbox(member, worker, today):
    # given: no rules yet -> DEFAULT_RULES are the district's first version
    # when
    application = f.submitted(member, today=today)

    # then
    assert application.status == Application.Status.SUBMITTED
    assert application.rule_set.rules == DEFAULT_RULES
    assert application.consent_sensitive_at and application.consent_check_at
    note = Notification.objects.get(user=worker)
    assert application.number in note.body
    assert AuditLog.objects.filter(action="assistance.application_submit", object_id=str(application.pk)).exists()


def test_sms_names_no_category_illness_income_or_comments(member, huashe_staff, today):
    from union_portal.models import Delivery

    # given: an application returned with comments about an illness, then approved
    application = f.township_review(member, today=today)
    svc.application_review(by=huashe_staff, application=application, decision="return", comment="补充透析费用票据")

    # when
    texts = [
        f"{d.notification.title}：{d.notification.body}" for d in Delivery.objects.filter(channel=Delivery.Channel.SMS)
    ]

    # then: every step was texted, each only pointing to the inbox
    assert len(texts) >= 4
    for text in texts:
        assert not any(word in text for word in ("深度", "相对", "收入", "疾病", "透析", application.number))


def test_rules_version_of_the_submission_day_is_used(member, district_admin, tree, today):
    # given: a version from tomorrow with a higher line
    svc.ruleset_save(by=district_admin, org=tree["SX-KQ"], effective_from=dt.date(2000, 1, 1), rules=DEFAULT_RULES)
    later = dict(DEFAULT_RULES, poverty_line="5000.00")
    svc.ruleset_save(by=district_admin, org=tree["SX-KQ"], effective_from=today + dt.timedelta(days=1), rules=later)

    # when
    application = f.submitted(member, today=today)

    # then
    assert application.rule_set.rules["poverty_line"] == "1062.00"


def test_invalid_rules_are_refused(district_admin, tree, today):
    with pytest.raises(ValidationError):
        svc.ruleset_save(
            by=district_admin, org=tree["SX-KQ"], effective_from=today, rules=dict(DEFAULT_RULES, poverty_line="-1")
        )
    assert not RuleSet.objects.exists()


def test_township_staff_may_not_edit_rules(huashe_staff, tree, today):
    with pytest.raises(PermissionDenied):
        svc.ruleset_save(by=huashe_staff, org=tree["SX-KQ"], effective_from=today, rules=DEFAULT_RULES)


def test_visit_by_two_staff_corrects_figures_and_proposes_the_category(member, handler, huashe_staff, today):
    # given: 3 people, 30,000 a year declared
    application = f.submitted(member, today=today, income="30000.00")

    # when: the visit finds 24,000
    visit = svc.visit_record(
        by=handler,
        application=application,
        visited_on=today,
        staff_one=handler,
        staff_two=huashe_staff,
        findings="核实收入",
        income_12m="24000.00",
        photos=[f.png()],
        today=today,
    )

    # then: 24,000 / 3 / 12 = 666.67 < 1,062 with a serious illness -> deep hardship
    application.refresh_from_db()
    assert visit.corrections == {"income_12m": {"declared": "30000.00", "corrected": "24000.00"}}
    assert not visit.figures_confirmed
    assert visit.photos.count() == 1
    assert application.status == Application.Status.VISITED
    assert application.income_12m == Decimal("24000.00")
    assert application.per_capita_income == Decimal("666.67")
    assert application.proposed_category == "deep"
    assert application.proposal_working["reason"] == "below_line_with_cause"


def test_visit_needs_two_different_staff_of_the_union(member, handler, handler_qixian, today):
    application = f.submitted(member, today=today)
    for one, two in ((handler, handler), (handler, handler_qixian)):
        with pytest.raises(ValidationError):
            svc.visit_record(
                by=handler,
                application=application,
                visited_on=today,
                staff_one=one,
                staff_two=two,
                findings="x",
                today=today,
            )
    assert not HomeVisit.objects.exists()


def test_visit_date_cannot_be_in_the_future(member, handler, huashe_staff, today):
    application = f.submitted(member, today=today)
    with pytest.raises(ValidationError, match="不能晚于今天"):
        svc.visit_record(
            by=handler,
            application=application,
            visited_on=today + dt.timedelta(days=1),
            staff_one=handler,
            staff_two=huashe_staff,
            findings="x",
            today=today,
        )


def test_a_category_other_than_the_proposal_needs_a_reason(member, handler, today):
    # given
    application = f.visited(member, today=today, income="24000.00")
    assert application.proposed_category == "deep"

    # when / then
    with pytest.raises(ValidationError, match="说明理由"):
        svc.category_decide(by=handler, application=application, category="relative", today=today)
    notice = svc.category_decide(by=handler, application=application, category="relative", reason="有存款", today=today)
    application.refresh_from_db()
    assert application.category == "relative" and application.category_reason == "有存款"
    assert notice.audience == PublicNotice.Audience.UNIT_MEMBERS
    assert notice.working_days == 5
    assert "陈*红" in notice.title and "陈小红" not in notice.title


def test_notice_cannot_finish_while_it_runs(member, handler, today):
    application = f.on_notice(member, today=today)
    with pytest.raises(ValidationError):
        svc.notice_finish(by=handler, application=application, today=today)


def test_township_review_then_district_approval_opens_the_file(member, worker, today):
    # given
    application = f.district_review(member, today=today)

    # when
    svc.application_review(by=district_admin_of(member.org), application=application, decision="pass", today=today)

    # then
    application.refresh_from_db()
    hardship_file = HardshipFile.objects.get(application=application)
    assert application.status == Application.Status.APPROVED
    assert hardship_file.category == application.category
    assert hardship_file.household_size == 3
    assert hardship_file.valid_until.year == today.year + 1
    assert FilePerson.objects.filter(file=hardship_file, is_open=True).count() == 3
    assert ReviewStep.objects.filter(subject_id=application.pk).count() == 2
    assert Notification.objects.filter(user=worker, title="您的帮扶申请已批准").exists()


def test_township_staff_of_another_township_may_not_review(member, qixian_staff, today):
    application = f.township_review(member, today=today)
    with pytest.raises(PermissionDenied):
        svc.application_review(by=qixian_staff, application=application, decision="pass")


def test_return_needs_comments_and_the_worker_resubmits(member, worker, huashe_staff, today):
    # given
    application = f.township_review(member, today=today)
    with pytest.raises(ValidationError):
        svc.application_review(by=huashe_staff, application=application, decision="return")

    # when
    svc.application_review(by=huashe_staff, application=application, decision="return", comment="补充收入证明")
    application.refresh_from_db()
    resubmitted = svc.application_submit(by=worker, application=application, consent_sensitive=True, consent_check=True)

    # then: it had its visit: back to the category decision
    assert resubmitted.status == Application.Status.VISITED
    assert Notification.objects.filter(user=worker, body__contains="补充收入证明").exists()


def test_rejection_needs_a_reason(member, huashe_staff, today):
    application = f.township_review(member, today=today)
    svc.application_review(by=huashe_staff, application=application, decision="reject", comment="收入超标")
    application.refresh_from_db()
    assert application.status == Application.Status.REJECTED
    assert application.outcome_note == "收入超标"


def test_file_open_refuses_a_person_already_in_an_open_file(make_member, member, handler, today):
    # given: another household's file holds a person, added behind the application's back
    first = f.approved(member, today=today)
    other = make_member("KQ-HS-001")
    application = f.district_review(other, today=today)
    person = application.household.exclude(relation="self").first()
    FilePerson.objects.filter(file__application=first, relation="spouse").update(id_number_hash=person.id_number_hash)

    # when / then
    with pytest.raises(ValidationError, match="有效的困难职工档案"):
        svc.application_review(by=district_admin_of(other.org), application=application, decision="pass", today=today)
    application.refresh_from_db()
    assert application.status == Application.Status.DISTRICT_REVIEW
    assert not HardshipFile.objects.filter(application=application).exists()


def test_unrelated_id_number_marked_self_is_refused(member, worker, today):
    household = f.household_of(member, today=today)
    household[0].id_number = new_id_number()
    with pytest.raises(ValidationError, match="须是申请职工本人"):
        svc.application_save(
            by=worker,
            member=member,
            data=svc.ApplicationData(),
            household=household,
            incomes=[],
            spending=[],
            today=today,
        )


def test_holder_helper_gives_township_staff(member):
    assert holder(Role.TOWNSHIP_STAFF, f.township_of(member)).username == "huashe_staff"


def test_the_sweep_sends_applications_past_their_notice_to_township_review(member, today):
    # given
    application = f.on_notice(member, today=today)

    # when: during the notice nothing moves; after it, the application moves once
    assert svc.notices_finish_due(today=today) == []
    day = f.after_notice(application)
    moved = svc.notices_finish_due(today=day)
    again = svc.notices_finish_due(today=day)

    # then
    application.refresh_from_db()
    assert moved == [application.pk] and again == []
    assert application.status == Application.Status.TOWNSHIP_REVIEW
