"""Issue 16: members added to a unit's enrolment during the period (增员), members taken off it (减员), a
member moved to another union keeping the cover paid for, and the warning near the period's end."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from mutual_aid import rules, services
from mutual_aid.models import Cover, Enrolment
from mutual_aid.rules import DEFAULT_RULES
from tests.factories import make_member
from tests.mutual_aid.conftest import YEAR, enrol_and_pay, file_claim

JUNE = dt.date(YEAR, 6, 15)


def _at(month, day, hour=10):
    return dt.datetime(YEAR, month, day, hour, 0, tzinfo=timezone.get_current_timezone())


def _by_months(scheme, district_admin, kind="inpatient"):
    """A second rules version (from 2 January) charging added members by the whole months remaining."""
    benefit = scheme.benefits.get(kind=kind)
    services.rule_version_create(
        by=district_admin,
        benefit=benefit,
        effective_from=dt.date(YEAR, 1, 2),
        rules={**DEFAULT_RULES[kind], "addition_premium": "months"},
    )
    return benefit


@pytest.fixture
def enrolled(scheme, member, handler, finance):
    """The demo worker's union enrolled in inpatient aid in January, paid on 5 January."""
    return enrol_and_pay(
        scheme=scheme, kind="inpatient", org=member.org, members=[member], handler=handler, finance=finance
    )


def _checks(claim):
    claim = services.auto_review(claim.pk)
    return {c["code"]: c["ok"] for c in claim.auto_checks}


# --- the premium rule (pure) -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("on", "months", "premium"),
    [
        (dt.date(2026, 1, 20), 12, Decimal("60.00")),
        (dt.date(2026, 6, 15), 7, Decimal("35.00")),
        (dt.date(2026, 12, 31), 1, Decimal("5.00")),
        (dt.date(2025, 12, 1), 12, Decimal("60.00")),  # before the period: the whole period
    ],
)
def test_added_members_pay_by_the_whole_months_remaining(on, months, premium):
    # given a calendar-year period and the "months" rule
    rule = {"addition_premium": "months"}
    # when the premium of a member added on ``on`` is worked out
    amount, charged = rules.addition_premium(
        rule, Decimal("60"), starts_on=dt.date(2026, 1, 1), ends_on=dt.date(2026, 12, 31), on=on
    )
    # then it is the premium × remaining months ÷ 12, in Decimal to the fen
    assert (amount, charged) == (premium, months)
    assert isinstance(amount, Decimal)


def test_a_pro_rata_premium_rounds_half_up_to_the_fen():
    # given 20 yuan for 7 of 12 months = 11.666…
    amount, months = rules.addition_premium(
        {"addition_premium": "months"},
        Decimal("20.00"),
        starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2026, 12, 31),
        on=dt.date(2026, 6, 1),
    )
    # then
    assert (amount, months) == (Decimal("11.67"), 7)


def test_the_full_premium_rule_charges_added_members_in_full():
    amount, months = rules.addition_premium(
        {}, Decimal("60"), starts_on=dt.date(2026, 1, 1), ends_on=dt.date(2026, 12, 31), on=dt.date(2026, 11, 30)
    )
    assert (amount, months) == (Decimal("60.00"), None)


def test_an_unknown_premium_rule_is_refused():
    with pytest.raises(ValidationError):
        rules.validate_rules("inpatient", {**DEFAULT_RULES["inpatient"], "addition_premium": "weekly"})


# --- 增员 ------------------------------------------------------------------------------------------------
def test_a_union_enrolled_in_january_adds_a_later_member_with_their_own_cover_and_waiting_period(
    scheme, member, enrolled, handler, finance, district_admin
):
    # given the union enrolled in January and the months rule
    _by_months(scheme, district_admin)
    newcomer = make_member(member.org, joined_on=dt.date(YEAR, 6, 1))
    # when the handler adds the newcomer on 15 June and finance confirms on 20 June
    addition = services.enrolment_add_members(
        by=handler, enrolment=enrolled, members=[newcomer], today=dt.date(YEAR, 6, 15)
    )
    assert (addition.months, addition.premium_per_person, addition.premium_due) == (
        7,
        Decimal("35.00"),
        Decimal("35.00"),
    )
    cover = Cover.objects.get(member=newcomer)
    assert cover.starts_on is None  # not before the addition's payment
    services.addition_confirm_payment(by=finance, addition=addition, reference="ZH-2", on=_at(6, 20))
    # then cover starts the next day and the 30-day waiting period runs from it; the first members keep theirs
    cover.refresh_from_db()
    assert (cover.starts_on, cover.waiting_ends_on) == (dt.date(YEAR, 6, 21), dt.date(YEAR, 7, 21))
    assert Cover.objects.get(member=member).starts_on == dt.date(YEAR, 1, 6)
    enrolled.refresh_from_db()
    assert enrolled.member_count == 2 and enrolled.premium_due == Decimal("60.00")


def test_the_participation_minimum_does_not_apply_to_additions(scheme, member, enrolled, handler):
    # given a union of six more members, one of whom joins the enrolment
    others = [make_member(member.org) for _ in range(6)]
    # when one is added
    addition = services.enrolment_add_members(by=handler, enrolment=enrolled, members=others[:1], today=JUNE)
    # then the addition is accepted though 2 of 7 is under 80%
    assert addition.member_count == 1


def test_a_member_cannot_be_added_twice(scheme, member, enrolled, handler):
    # when the already-covered member is added again
    with translation.override("en"), pytest.raises(ValidationError, match="already"):
        services.enrolment_add_members(by=handler, enrolment=enrolled, members=[member], today=JUNE)
    # then nothing changes
    enrolled.refresh_from_db()
    assert enrolled.member_count == 1 and not enrolled.additions.exists()


def test_a_handler_of_another_union_cannot_add_members(scheme, member, enrolled, handler_qixian):
    with pytest.raises(PermissionDenied):
        services.enrolment_add_members(
            by=handler_qixian, enrolment=enrolled, members=[make_member(member.org)], today=JUNE
        )


def test_no_member_can_be_added_after_the_period(scheme, member, enrolled, handler):
    with translation.override("en"), pytest.raises(ValidationError, match="ended"):
        services.enrolment_add_members(
            by=handler, enrolment=enrolled, members=[make_member(member.org)], today=dt.date(YEAR + 1, 1, 1)
        )


def test_an_added_members_claim_before_their_cover_start_is_not_covered(
    scheme, member, enrolled, handler, finance, worker
):
    # given the demo worker added to the women's package in June (enrolled in inpatient aid only)
    benefit = scheme.benefits.get(kind="female_disease")
    womens = services.enrolment_create(by=handler, benefit=benefit, org=member.org, members=[member])
    services.enrolment_confirm_payment(by=finance, enrolment=womens, reference="B", on=_at(1, 5))
    # and the unit's first confirmation starts no cover of members added afterwards
    newcomer = make_member(member.org, sex="F")
    addition = services.enrolment_add_members(by=handler, enrolment=womens, members=[newcomer], today=JUNE)
    assert Cover.objects.get(member=newcomer).starts_on is None
    services.addition_confirm_payment(by=finance, addition=addition, reference="B2", on=_at(6, 20))
    # when the worker's own inpatient claim is reviewed, then the January cover holds
    assert _checks(file_claim(worker, member, admission=dt.date(YEAR, 6, 1)))["NOT_COVERED"]


# --- 减员 ------------------------------------------------------------------------------------------------
def test_a_member_taken_off_is_covered_up_to_the_day_they_left_and_not_after(scheme, member, enrolled, handler, worker):
    # given the worker taken off the enrolment (retired) on 30 June
    n = services.enrolment_remove_members(
        by=handler, enrolment=enrolled, member_ids=[member.pk], reason="retired", left_on=dt.date(YEAR, 6, 30)
    )
    assert n == 1
    # when claims admitted on 30 June and on 1 July are reviewed
    before = _checks(file_claim(worker, member, admission=dt.date(YEAR, 6, 30), days=1))
    after = _checks(file_claim(worker, member, admission=dt.date(YEAR, 7, 1), days=1))
    # then the first is covered, the second is not; no premium is refunded
    assert before["NOT_COVERED"] is True and after["NOT_COVERED"] is False
    enrolled.refresh_from_db()
    assert enrolled.premium_due == Decimal("60.00") and enrolled.member_count == 1


def test_taking_off_needs_a_reason_and_a_date_in_the_period(scheme, member, enrolled, handler):
    with pytest.raises(ValidationError):
        services.enrolment_remove_members(
            by=handler, enrolment=enrolled, member_ids=[member.pk], reason="bored", left_on=dt.date(YEAR, 6, 30)
        )
    with pytest.raises(ValidationError):
        services.enrolment_remove_members(
            by=handler, enrolment=enrolled, member_ids=[member.pk], reason="left", left_on=dt.date(YEAR + 1, 1, 2)
        )
    assert Cover.objects.get(member=member).ends_on is None


def test_a_member_moved_to_another_union_of_the_district_keeps_the_cover_paid_for(
    scheme, member, enrolled, handler, handler_qixian, tree, worker
):
    # given the worker moved from 华舍 to a 齐贤 union in June (his old union's enrolment paid his cover)
    from members import services as members_services

    transfer = members_services.transfer_request(by=handler, member=member, to_org=tree["KQ-QX-001"], reason="调动")
    members_services.transfer_accept(by=handler_qixian, transfer=transfer)
    member.refresh_from_db()
    assert member.org == tree["KQ-QX-001"]
    # when a claim admitted in August is reviewed
    checks = _checks(file_claim(worker, member, admission=dt.date(YEAR, 8, 1)))
    # then the cover holds (checked by member, not by current union) and cannot be bought twice
    assert checks["NOT_COVERED"] is True
    assert Cover.objects.get(member=member).enrolment.org.code != "KQ-QX-001"


# --- the warning near the period's end ---------------------------------------------------------------------
def test_enrolling_near_the_period_end_warns_of_the_days_left_for_the_full_premium(scheme):
    benefit = scheme.benefits.get(kind="inpatient")
    # when enrolling on 1 December (30 days left from 2 December)
    warning = services.short_cover_warning(benefit=benefit, today=dt.date(YEAR, 12, 1))
    # then the warning names the days and the full premium
    assert "30" in warning and "60.00" in warning
    # and none early in the period, nor after it
    assert services.short_cover_warning(benefit=benefit, today=dt.date(YEAR, 3, 1)) == ""
    assert services.short_cover_warning(benefit=benefit, today=dt.date(YEAR + 1, 1, 5)) == ""


def test_adding_near_the_period_end_under_the_months_rule_warns_with_the_pro_rata_amount(scheme, district_admin):
    benefit = _by_months(scheme, district_admin)
    warning = services.short_cover_warning(benefit=benefit, addition=True, today=dt.date(YEAR, 11, 15))
    # 46 days left, 2 months (November, December) = 10.00 yuan
    assert "46" in warning and "10.00" in warning


def test_the_enrolment_confirmation_and_an_addition_are_audited(scheme, member, enrolled, handler, finance):
    from union_portal.models import AuditLog

    addition = services.enrolment_add_members(
        by=handler, enrolment=enrolled, members=[make_member(member.org)], today=JUNE
    )
    services.addition_confirm_payment(by=finance, addition=addition, reference="R")
    services.enrolment_remove_members(
        by=handler, enrolment=enrolled, member_ids=[member.pk], reason="left", left_on=dt.date(YEAR, 6, 1)
    )
    actions = set(AuditLog.objects.filter(object_id=str(enrolled.pk)).values_list("action", flat=True))
    assert {"mutual_aid.enrolment_add", "mutual_aid.addition_paid", "mutual_aid.enrolment_remove"} <= actions
    assert Enrolment.objects.get(pk=enrolled.pk).status == Enrolment.Status.PAID


def test_a_member_taken_off_no_longer_counts_as_covered_once_they_left(scheme, member, enrolled, handler):
    """The dashboard's coverage counts covers in force: a cover ended by 减员 counts up to its last day only."""
    from mutual_aid import selectors

    def covered(on):
        rows = selectors.enrolled_member_counts_by_org(year=YEAR, in_force=True, today=on)
        return sum(row["n"] for row in rows if row["path"] == member.org.path)

    # given the member, retired, taken off the enrolment on 30 June
    assert covered(JUNE) == 1
    services.enrolment_remove_members(
        by=handler, enrolment=enrolled, member_ids=[member.pk], reason="retired", left_on=dt.date(YEAR, 6, 30)
    )
    # then they count on their last day and not the day after
    assert covered(dt.date(YEAR, 6, 30)) == 1
    assert covered(dt.date(YEAR, 7, 1)) == 0
