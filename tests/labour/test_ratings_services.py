"""Harmonious-enterprise ratings: the self-assessment, staged review, public notice, naming, re-rating and
withdrawal, through the services."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from labour.models import IndicatorKey, RatingApplication, RatingStatus
from labour.selectors import ratings as selectors
from labour.services import ratings as services
from tests.factories.lb_ratings import make_batch, make_case, make_ready
from union_portal import hooks
from union_portal.models import AuditLog, Notification
from union_portal.notices.models import Objection, PublicNotice, ReviewStep

pytest_plugins = ["tests.labour.conftest_ratings"]

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded evidence goes to a temporary directory, not the worktree."""
    settings.MEDIA_ROOT = tmp_path / "media"


def _to_notice(application, *, handler, huashe_staff, district_admin, today):
    services.application_submit(by=handler, application=application, today=today)
    services.application_review(by=huashe_staff, application=application, decision=ReviewStep.Decision.PASS)
    services.application_review(by=district_admin, application=application, decision=ReviewStep.Decision.PASS)
    return services.application_notice_start(by=district_admin, application=application, starts_on=today, today=today)


def _named(application, *, handler, huashe_staff, district_admin, today):
    application = _to_notice(
        application, handler=handler, huashe_staff=huashe_staff, district_admin=district_admin, today=today
    )
    return services.application_name(
        by=district_admin, application=application, named_on=application.notice.last_day + dt.timedelta(days=1)
    )


def test_a_new_batch_has_the_default_indicators_with_weights_and_thresholds(batch):
    # then
    indicators = {i.key: i for i in batch.indicators.all()}
    assert set(indicators) == {
        "contract_rate",
        "insurance_rate",
        "wages_on_time",
        "collective_contract",
        "congress",
        "safety",
        "no_dispute",
    }
    assert sum(i.weight for i in indicators.values()) == 100
    assert indicators["insurance_rate"].threshold == Decimal("95")


def test_a_batch_whose_period_ends_before_it_starts_is_refused(district_admin, today):
    # when / then
    with pytest.raises(ValidationError) as exc:
        make_batch(by=district_admin, today=today, period_end=today - dt.timedelta(days=400))
    assert "period_end" in exc.value.message_dict


def test_township_staff_cannot_create_a_batch(huashe_staff, today):
    with pytest.raises(PermissionDenied):
        make_batch(by=huashe_staff, today=today)


def test_submitting_keeps_the_facts_from_contracts_congress_and_cases_and_the_score(
    batch, huashe_firm, handler, huashe_staff, today
):
    # given a ready self-assessment
    application = make_ready(batch=batch, enterprise=huashe_firm, by=handler, today=today)
    # when
    services.application_submit(by=handler, application=application, today=today)
    # then
    application.refresh_from_db()
    assert application.status == RatingStatus.TOWNSHIP_REVIEW
    assert application.has_collective_contract and application.congress_held
    assert application.serious_dispute is False
    assert application.score == Decimal("100.00")
    assert Notification.objects.filter(user=huashe_staff, link=application.get_absolute_url()).exists()


def test_a_rate_below_its_threshold_stops_the_submission_with_its_name(batch, huashe_firm, handler, today):
    # given social insurance at 90% against a threshold of 95%
    application = make_ready(batch=batch, enterprise=huashe_firm, by=handler, today=today)
    services.application_update(
        by=handler, application=application, contract_rate=100, insurance_rate=90, wages_on_time=True, safety_ok=True
    )
    # when / then
    with pytest.raises(ValidationError) as exc:
        services.application_submit(by=handler, application=application, today=today)
    assert exc.value.code == "thresholds"
    assert str(IndicatorKey.INSURANCE_RATE.label) in exc.value.messages[0]
    application.refresh_from_db()
    assert application.status == RatingStatus.DRAFT and application.score is None


def test_a_group_case_in_the_period_fails_the_no_dispute_indicator(batch, huashe_firm, handler, today):
    # given a group case of the enterprise received in the period
    application = make_ready(batch=batch, enterprise=huashe_firm, by=handler, today=today)
    make_case(enterprise=huashe_firm, received_on=batch.period_start + dt.timedelta(days=3), is_group=True)
    # when / then
    with pytest.raises(ValidationError) as exc:
        services.application_submit(by=handler, application=application, today=today)
    assert exc.value.code == "thresholds"
    assert str(IndicatorKey.NO_DISPUTE.label) in exc.value.messages[0]


def test_no_collective_contract_fails_when_the_contract_expired_before_the_period(batch, huashe_firm, handler, today):
    # given the contract ended before the period
    application = make_ready(batch=batch, enterprise=huashe_firm, by=handler, today=today)
    from labour.models import CollectiveContract

    CollectiveContract.objects.filter(enterprise=huashe_firm).update(
        starts_on=batch.period_start - dt.timedelta(days=800), ends_on=batch.period_start - dt.timedelta(days=1)
    )
    # when
    facts, assessment = services.application_assessment(application=application)
    # then
    assert facts.has_collective_contract is False
    assert "collective_contract" in assessment.failing


def test_a_weight_change_of_an_optional_indicator_lets_a_lower_score_pass(
    batch, huashe_firm, handler, district_admin, today
):
    # given the congress indicator made optional and no congress on record
    indicator = batch.indicators.get(key="congress")
    services.indicator_update(by=district_admin, indicator=indicator, weight=10, threshold=None, required=False)
    application = make_ready(batch=batch, enterprise=huashe_firm, by=handler, today=today)
    from labour.models import CongressSession

    CongressSession.objects.filter(enterprise=huashe_firm).delete()
    # when
    services.application_submit(by=handler, application=application, today=today)
    # then 90 of 100 points, at least the pass score of 80
    application.refresh_from_db()
    assert application.score == Decimal("90.00") and application.congress_held is False


def test_a_handler_of_another_union_cannot_start_a_self_assessment(batch, huashe_firm, handler_qixian, today):
    with pytest.raises(PermissionDenied):
        services.application_create(by=handler_qixian, batch=batch, enterprise=huashe_firm, today=today)


def test_a_second_self_assessment_of_the_same_enterprise_in_a_batch_is_refused(batch, huashe_firm, handler, today):
    services.application_create(by=handler, batch=batch, enterprise=huashe_firm, today=today)
    with pytest.raises(ValidationError):
        services.application_create(by=handler, batch=batch, enterprise=huashe_firm, today=today)


def test_a_rate_over_100_percent_is_refused_with_nothing_saved(batch, huashe_firm, handler, today):
    application = services.application_create(by=handler, batch=batch, enterprise=huashe_firm, today=today)
    with pytest.raises(ValidationError) as exc:
        services.application_update(
            by=handler, application=application, contract_rate=120, insurance_rate=90, wages_on_time=True, safety_ok=1
        )
    assert "contract_rate" in exc.value.message_dict
    application.refresh_from_db()
    assert application.insurance_rate is None


def test_township_then_district_review_and_either_may_return_with_comments(
    batch, huashe_firm, handler, huashe_staff, district_admin, today
):
    # given a submitted self-assessment
    application = make_ready(batch=batch, enterprise=huashe_firm, by=handler, today=today)
    services.application_submit(by=handler, application=application, today=today)
    # when the district admin tries before the township
    with pytest.raises(PermissionDenied):
        services.application_review(by=district_admin, application=application, decision="pass")
    # when the township passes and the district returns
    services.application_review(by=huashe_staff, application=application, decision="pass")
    with pytest.raises(ValidationError):
        services.application_review(by=district_admin, application=application, decision="return", comment="")
    services.application_review(by=district_admin, application=application, decision="return", comment="补充社保清单")
    # then it is back with the handler, who is told, and may change and resubmit
    application.refresh_from_db()
    assert application.status == RatingStatus.RETURNED
    assert Notification.objects.filter(user=handler, body="补充社保清单").exists()
    assert [s.stage for s in ReviewStep.objects.filter(subject_id=application.pk)] == ["township", "district"]
    services.application_submit(by=handler, application=application, today=today)
    application.refresh_from_db()
    assert application.status == RatingStatus.TOWNSHIP_REVIEW


def test_qixian_staff_cannot_review_a_huashe_self_assessment(batch, huashe_firm, handler, qixian_staff, today):
    application = make_ready(batch=batch, enterprise=huashe_firm, by=handler, today=today)
    services.application_submit(by=handler, application=application, today=today)
    with pytest.raises(PermissionDenied):
        services.application_review(by=qixian_staff, application=application, decision="pass")


def test_the_public_notice_is_a_core_notice_of_five_working_days_counting_the_first(
    batch, huashe_firm, handler, huashe_staff, district_admin, today
):
    # given
    application = make_ready(batch=batch, enterprise=huashe_firm, by=handler, today=today)
    # when
    application = _to_notice(
        application, handler=handler, huashe_staff=huashe_staff, district_admin=district_admin, today=today
    )
    # then
    notice = PublicNotice.objects.get(pk=application.notice_id)
    assert notice.audience == PublicNotice.Audience.PUBLIC and notice.working_days == 5
    assert notice.subject == application and notice.starts_on == today
    assert application.status == RatingStatus.NOTICE


def test_a_notice_opened_before_national_day_ends_after_the_holiday(district_admin, huashe_firm, handler, huashe_staff):
    # given a notice opened on Tuesday 2026-09-29 (Mid-Autumn 9-25..27 behind, National Day 10-1..7 ahead;
    # 9-20 and 10-10 are make-up working days)
    today = dt.date(2026, 9, 29)
    batch = make_batch(by=district_admin, today=today)
    application = make_ready(batch=batch, enterprise=huashe_firm, by=handler, today=today)
    # when
    application = _to_notice(
        application, handler=handler, huashe_staff=huashe_staff, district_admin=district_admin, today=today
    )
    # then 9-29, 9-30 are days 1 and 2; 10-8, 10-9, 10-10 (a Saturday worked) days 3 to 5
    assert application.notice.ends_on == dt.date(2026, 10, 10)
    with pytest.raises(ValidationError):
        services.application_name(by=district_admin, application=application, named_on=dt.date(2026, 10, 10))


def test_naming_needs_every_objection_answered_and_gives_a_three_year_term(
    batch, huashe_firm, handler, huashe_staff, district_admin, today, sms_code
):
    # given an enterprise on notice with an objection
    application = make_ready(batch=batch, enterprise=huashe_firm, by=handler, today=today)
    application = _to_notice(
        application, handler=handler, huashe_staff=huashe_staff, district_admin=district_admin, today=today
    )
    objection = services.objection_file(
        application=application,
        name="张三",
        phone="13957511111",
        code=sms_code("objection", "13957511111"),
        content="该企业拖欠加班费",
        today=today,
    )
    after = application.notice.last_day + dt.timedelta(days=1)
    # when named with the objection open
    with pytest.raises(ValidationError) as exc:
        services.application_name(by=district_admin, application=application, named_on=after)
    assert exc.value.code == "objections"
    # when answered
    services.objection_answer(
        by=district_admin, objection=objection, status=Objection.Status.DISMISSED, answer="经核查不属实"
    )
    application = services.application_name(by=district_admin, application=application, named_on=after)
    # then
    assert application.status == RatingStatus.NAMED
    assert application.term_ends_on == dt.date(after.year + 3, after.month, after.day) - dt.timedelta(days=1)
    assert PublicNotice.objects.get(pk=application.notice_id).status == PublicNotice.Status.CLOSED
    assert list(selectors.rated_enterprises(on=after)) == [huashe_firm]
    assert list(selectors.rated_enterprises(on=application.term_ends_on + dt.timedelta(days=1))) == []
    assert AuditLog.objects.filter(action="labour.rating_name", object_id=str(application.pk)).exists()


def test_a_group_case_during_the_notice_stops_the_naming(
    batch, huashe_firm, handler, huashe_staff, district_admin, today
):
    application = make_ready(batch=batch, enterprise=huashe_firm, by=handler, today=today)
    application = _to_notice(
        application, handler=handler, huashe_staff=huashe_staff, district_admin=district_admin, today=today
    )
    make_case(enterprise=huashe_firm, received_on=today, is_group=True)
    with pytest.raises(ValidationError) as exc:
        services.application_name(
            by=district_admin, application=application, named_on=application.notice.last_day + dt.timedelta(days=1)
        )
    assert exc.value.code == "dispute"


def test_the_group_wage_case_event_withdraws_the_title_once(
    batch, huashe_firm, handler, huashe_staff, district_admin, today, django_capture_on_commit_callbacks
):
    # given a named enterprise
    application = _named(
        make_ready(batch=batch, enterprise=huashe_firm, by=handler, today=today),
        handler=handler,
        huashe_staff=huashe_staff,
        district_admin=district_admin,
        today=today,
    )
    on = application.named_on + dt.timedelta(days=10)
    case = make_case(enterprise=huashe_firm, received_on=on, is_group=True)
    # when the cases part fires the event (twice: a retry)
    services.titles_withdraw_for_case(case_id=case.pk, today=on)
    assert services.titles_withdraw_for_case(case_id=case.pk, today=on) == []
    # then
    application.refresh_from_db()
    assert application.status == RatingStatus.WITHDRAWN and application.withdrawn_on == on
    assert case.number in application.withdrawal_reason
    assert AuditLog.objects.filter(action="labour.rating_withdraw").count() == 1
    assert Notification.objects.filter(
        user=handler, title__contains=huashe_firm.name, link__endswith=f"/{application.pk}/"
    ).exists()
    assert list(selectors.rated_enterprises(on=on)) == []
    assert list(selectors.rated_enterprises(on=on - dt.timedelta(days=1))) == [huashe_firm]


def test_the_fired_event_withdraws_the_title_after_commit(
    batch, huashe_firm, handler, huashe_staff, district_admin, today, django_capture_on_commit_callbacks
):
    import freezegun

    # given a named enterprise and, ten days after naming, a group wage case
    application = _named(
        make_ready(batch=batch, enterprise=huashe_firm, by=handler, today=today),
        handler=handler,
        huashe_staff=huashe_staff,
        district_admin=district_admin,
        today=today,
    )
    on = application.named_on + dt.timedelta(days=10)
    case = make_case(enterprise=huashe_firm, received_on=on, is_group=True)
    # when the cases part fires the event that day
    with freezegun.freeze_time(dt.datetime(on.year, on.month, on.day, 2, tzinfo=dt.UTC)):
        with django_capture_on_commit_callbacks(execute=True):
            hooks.fire("labour.group_wage_case", case_id=case.pk)
    # then the subscribed handler withdrew the title
    application.refresh_from_db()
    assert application.status == RatingStatus.WITHDRAWN and application.withdrawn_on == on


def test_a_single_case_or_a_group_case_of_another_type_does_not_withdraw(
    batch, huashe_firm, handler, huashe_staff, district_admin, today
):
    application = _named(
        make_ready(batch=batch, enterprise=huashe_firm, by=handler, today=today),
        handler=handler,
        huashe_staff=huashe_staff,
        district_admin=district_admin,
        today=today,
    )
    on = application.named_on + dt.timedelta(days=1)
    single = make_case(enterprise=huashe_firm, received_on=on)
    injury = make_case(enterprise=huashe_firm, received_on=on, is_group=True, case_type="work_injury")
    assert services.titles_withdraw_for_case(case_id=single.pk, today=on) == []
    assert services.titles_withdraw_for_case(case_id=injury.pk, today=on) == []


def test_the_nightly_sweep_catches_up_a_missed_event_and_ends_expired_terms(
    batch, huashe_firm, qixian_firm, handler, handler_qixian, huashe_staff, qixian_staff, district_admin, today
):
    # given two named enterprises, a group wage case of one whose event was lost
    a = _named(
        make_ready(batch=batch, enterprise=huashe_firm, by=handler, today=today),
        handler=handler,
        huashe_staff=huashe_staff,
        district_admin=district_admin,
        today=today,
    )
    b = _named(
        make_ready(batch=batch, enterprise=qixian_firm, by=handler_qixian, today=today),
        handler=handler_qixian,
        huashe_staff=qixian_staff,
        district_admin=district_admin,
        today=today,
    )
    on = max(a.named_on, b.named_on) + dt.timedelta(days=5)
    make_case(enterprise=huashe_firm, received_on=on, is_group=True)
    # when
    first = services.titles_catch_up(today=on)
    second = services.titles_catch_up(today=on)
    after_term = services.titles_catch_up(today=b.term_ends_on + dt.timedelta(days=1))
    # then
    assert first["withdrawn"] == 1 and second["withdrawn"] == 0
    a.refresh_from_db(), b.refresh_from_db()
    assert a.status == RatingStatus.WITHDRAWN
    assert after_term["expired"] == 1 and b.status == RatingStatus.EXPIRED


def test_the_district_admin_withdraws_a_title_with_a_reason(
    batch, huashe_firm, handler, huashe_staff, district_admin, today
):
    application = _named(
        make_ready(batch=batch, enterprise=huashe_firm, by=handler, today=today),
        handler=handler,
        huashe_staff=huashe_staff,
        district_admin=district_admin,
        today=today,
    )
    with pytest.raises(PermissionDenied):
        services.title_withdraw(by=huashe_staff, application=application, reason="x", on=application.named_on)
    with pytest.raises(ValidationError):
        services.title_withdraw(by=district_admin, application=application, reason=" ", on=application.named_on)
    services.title_withdraw(
        by=district_admin, application=application, reason="发生重大安全事故", on=application.named_on
    )
    application.refresh_from_db()
    assert application.status == RatingStatus.WITHDRAWN and application.withdrawal_reason == "发生重大安全事故"


def test_a_re_rating_in_a_later_batch_ends_the_old_title_the_day_before(
    batch, huashe_firm, handler, huashe_staff, district_admin, today
):
    # given a title from the first batch
    old = _named(
        make_ready(batch=batch, enterprise=huashe_firm, by=handler, today=today),
        handler=handler,
        huashe_staff=huashe_staff,
        district_admin=district_admin,
        today=today,
    )
    # when re-rated in a later batch near the end of the term
    later = old.term_ends_on - dt.timedelta(days=20)
    batch2 = make_batch(by=district_admin, today=later, title="第六批区级")
    new = make_ready(batch=batch2, enterprise=huashe_firm, by=handler, today=later)
    new = _named(new, handler=handler, huashe_staff=huashe_staff, district_admin=district_admin, today=later)
    # then one title at a time, no gap
    old.refresh_from_db()
    assert old.status == RatingStatus.EXPIRED and old.term_ends_on == new.named_on - dt.timedelta(days=1)
    assert selectors.current_title(enterprise=huashe_firm, on=new.named_on) == new
    assert selectors.titles_ending(on=later, within_days=90).filter(pk=old.pk).exists()


def test_term_end_of_a_leap_day_naming():
    assert services.term_end(dt.date(2028, 2, 29), 3) == dt.date(2031, 2, 28)
    assert services.term_end(dt.date(2026, 12, 9), 3) == dt.date(2029, 12, 8)


def test_application_count_is_unchanged_after_a_refused_submission(batch, huashe_firm, handler, today):
    application = services.application_create(by=handler, batch=batch, enterprise=huashe_firm, today=today)
    with pytest.raises(ValidationError):
        services.application_submit(by=handler, application=application, today=today)
    assert RatingApplication.objects.get(pk=application.pk).status == RatingStatus.DRAFT
