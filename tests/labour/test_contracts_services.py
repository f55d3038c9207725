"""Services of collective contracts and bargaining rounds (labour.services.contracts): the process from a
bargaining request to a contract in force, the refusals of bad input (nothing half-saved), the reminders."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from labour.models import BargainingOfficer, BargainingRound, CollectiveContract, DeadlineRule
from labour.selectors.contracts import enterprises_with_valid_contract
from labour.services import contracts as services
from members.models import Enterprise
from tests.factories.lb_contracts import make_contract
from union_portal.models import AuditLog, Notification

pytestmark = pytest.mark.django_db
D = dt.date
TODAY = D(2026, 12, 1)


@pytest.fixture
def firm(tree):
    return Enterprise.objects.get(union=tree["KQ-HS-001"])


@pytest.fixture
def qixian_firm(tree):
    return Enterprise.objects.get(union=tree["KQ-QX-001"])


def test_a_wage_contract_goes_from_bargaining_request_to_in_force(firm, handler):
    # given: the union asks the employer to bargain on Friday 2026-09-18
    round_ = services.round_request(
        by=handler, enterprise=firm, requested_by="union", received_on=D(2026, 9, 18), today=TODAY
    )
    # when
    services.round_reply(by=handler, round_=round_, replied_on=D(2026, 9, 29), today=TODAY)
    services.round_session_add(by=handler, round_=round_, held_on=D(2026, 10, 9), minutes="第一次协商", today=TODAY)
    contract = services.round_draft(
        by=handler,
        round_=round_,
        title="2027年工资专项集体合同",
        starts_on=D(2027, 1, 1),
        ends_on=D(2027, 12, 31),
        wage_growth_pct=Decimal("6.5"),
        minimum_wage=Decimal("2650.005"),
    )
    services.contract_vote(
        by=handler, contract=contract, delegates=60, present=45, in_favour=40, voted_on=D(2026, 10, 20), today=TODAY
    )
    services.contract_sign(by=handler, contract=contract, signed_on=D(2026, 10, 22), today=TODAY)
    services.contract_file(by=handler, contract=contract, filed_on=D(2026, 10, 30), today=TODAY)
    contract = services.contract_answer(
        by=handler, contract=contract, objection=False, answered_on=D(2026, 11, 5), today=TODAY
    )
    # then
    round_.refresh_from_db()
    assert round_.reply_due == D(2026, 10, 9)
    assert round_.status == BargainingRound.Status.SIGNED and round_.contract == contract
    assert contract.status == CollectiveContract.Status.EFFECTIVE
    assert contract.filing_due == D(2026, 11, 1)  # 10 calendar days after the signing
    assert contract.objection_ends == D(2026, 11, 14)
    assert contract.minimum_wage == Decimal("2650.01")
    assert list(contract.covered.all()) == [firm]
    assert enterprises_with_valid_contract(enterprise_ids=[firm.pk], on=D(2027, 3, 1)) == {firm.pk}
    assert enterprises_with_valid_contract(enterprise_ids=[firm.pk], on=D(2026, 12, 31)) == set()  # not yet started
    assert enterprises_with_valid_contract(enterprise_ids=[firm.pk], on=D(2027, 3, 1), kind="comprehensive") == set()
    actions = set(AuditLog.objects.filter(action__startswith="labour.").values_list("action", flat=True))
    assert {"labour.round_request", "labour.contract_vote", "labour.contract_sign", "labour.contract_file"} <= actions


def test_round_request_opens_a_round_for_the_enterprises_union_with_its_reply_deadline(firm, huashe_staff):
    # given / when: the liaison branch's call with its keyword arguments
    round_ = services.round_request(
        by=huashe_staff,
        enterprise=firm,
        org=None,
        requested_by="employer",
        received_on=D(2026, 9, 30),
        subject="2027年工资协商",
        note="走访中企业提出",
        today=TODAY,
    )
    # then
    assert round_.org == firm.union
    assert round_.reply_due == D(2026, 10, 20)
    assert round_.status == BargainingRound.Status.REQUESTED
    assert Notification.objects.filter(event_key__startswith=f"labour.round.{round_.pk}.requested").exists()


def test_a_stranger_township_cannot_open_a_round_for_another_townships_firm(firm, qixian_staff):
    # given / when / then
    with pytest.raises(PermissionDenied):
        services.round_request(by=qixian_staff, enterprise=firm, requested_by="union", received_on=TODAY, today=TODAY)
    assert not BargainingRound.objects.exists()


def test_a_term_over_three_years_is_refused_and_nothing_is_saved(firm, handler):
    # given / when
    with pytest.raises(ValidationError) as error:
        services.contract_create(
            by=handler,
            kind="comprehensive",
            level="enterprise",
            enterprise=firm,
            title="综合性集体合同",
            starts_on=D(2027, 1, 1),
            ends_on=D(2030, 1, 1),
        )
    # then
    assert "ends_on" in error.value.message_dict
    assert not CollectiveContract.objects.exists()


def test_a_three_year_term_ending_the_day_before_the_anniversary_is_accepted(firm, handler):
    # given / when
    contract = services.contract_create(
        by=handler,
        kind="comprehensive",
        level="enterprise",
        enterprise=firm,
        title="综合性集体合同",
        starts_on=D(2027, 1, 1),
        ends_on=D(2029, 12, 31),
    )
    # then
    assert contract.ends_on == D(2029, 12, 31)


def test_a_vote_with_more_present_than_delegates_is_refused_and_nothing_is_saved(firm, handler):
    # given
    contract = make_contract(by=handler, enterprise=firm, signed_on=D(2026, 3, 1), upto="draft")
    # when
    with pytest.raises(ValidationError) as error:
        services.contract_vote(
            by=handler, contract=contract, delegates=50, present=51, in_favour=40, voted_on=D(2026, 3, 1), today=TODAY
        )
    # then
    assert "present" in error.value.message_dict
    contract.refresh_from_db()
    assert contract.delegates is None and contract.present is None


@pytest.mark.parametrize(
    ("present", "in_favour", "passes"),
    [
        (67, 51, True),  # 2/3 of 100 present (67 >= 66.7), 51 of ALL 100 in favour
        (66, 60, False),  # no quorum
        (90, 50, False),  # half of all delegates is not more than half
        (70, 51, True),
    ],
)
def test_the_congress_vote_needs_two_thirds_present_and_more_than_half_of_all_delegates(
    firm, handler, present, in_favour, passes
):
    # given
    contract = make_contract(by=handler, enterprise=firm, signed_on=D(2026, 3, 1), upto="draft")
    # when
    contract = services.contract_vote(
        by=handler, contract=contract, delegates=100, present=present, in_favour=in_favour, voted_on=D(2026, 3, 2),
        today=TODAY,
    )  # fmt: skip
    # then
    assert contract.vote_passed is passes


def test_a_draft_the_congress_did_not_pass_cannot_be_signed(firm, handler):
    # given
    contract = make_contract(by=handler, enterprise=firm, signed_on=D(2026, 3, 1), upto="draft")
    services.contract_vote(
        by=handler, contract=contract, delegates=100, present=60, in_favour=55, voted_on=D(2026, 3, 2), today=TODAY
    )
    # when / then
    with pytest.raises(ValidationError):
        services.contract_sign(
            by=handler, contract=contract, signed_on=D(2026, 3, 3), ends_on=D(2027, 3, 2), today=TODAY
        )
    contract.refresh_from_db()
    assert contract.status == CollectiveContract.Status.DRAFT and contract.signed_on is None


def test_a_filing_before_the_signing_is_refused(firm, handler):
    # given
    contract = make_contract(by=handler, enterprise=firm, signed_on=D(2026, 3, 10), upto="signed")
    # when / then
    with pytest.raises(ValidationError) as error:
        services.contract_file(by=handler, contract=contract, filed_on=D(2026, 3, 9), today=TODAY)
    assert error.value.message_dict["filed_on"]
    contract.refresh_from_db()
    assert contract.status == CollectiveContract.Status.SIGNED and contract.filed_on is None


def test_an_objection_needs_reasons_and_sends_the_contract_back(firm, handler):
    # given
    contract = make_contract(by=handler, enterprise=firm, signed_on=D(2026, 3, 10), upto="filed")
    # when
    with pytest.raises(ValidationError):
        services.contract_answer(by=handler, contract=contract, objection=True, answered_on=D(2026, 3, 15), today=TODAY)
    contract = services.contract_answer(
        by=handler,
        contract=contract,
        objection=True,
        answered_on=D(2026, 3, 15),
        note="工资条款低于最低工资",
        today=TODAY,
    )
    # then
    assert contract.status == CollectiveContract.Status.OBJECTED
    assert enterprises_with_valid_contract(enterprise_ids=[firm.pk], on=D(2026, 6, 1)) == set()


def test_a_filed_contract_without_an_answer_is_in_force_after_the_objection_window_once(firm, handler):
    # given: filed on 2026-03-10, the authority may object until 03-25
    contract = make_contract(by=handler, enterprise=firm, signed_on=D(2026, 3, 10), upto="filed")
    # when
    before = services.contracts_take_effect(today=D(2026, 3, 25))
    after = services.contracts_take_effect(today=D(2026, 3, 26))
    again = services.contracts_take_effect(today=D(2026, 3, 26))
    # then
    contract.refresh_from_db()
    assert (before, after, again) == ([], [contract.pk], [])
    assert contract.status == CollectiveContract.Status.EFFECTIVE


def test_a_regional_contract_covers_firms_of_its_township_only(tree, huashe_staff, firm, qixian_firm):
    # given
    other = Enterprise.objects.get(union=tree["KQ-HS-002"])
    # when: a firm of another township is refused
    with pytest.raises(ValidationError):
        services.contract_create(
            by=huashe_staff, kind="wage", level="regional", org=tree["KQ-HS"], covered=[firm, qixian_firm], title="区域"
        )
    contract = services.contract_create(
        by=huashe_staff,
        kind="wage",
        level="regional",
        org=tree["KQ-HS"],
        covered=[firm, other],
        title="华舍区域性工资合同",
    )
    # then
    assert set(contract.covered.all()) == {firm, other}
    assert contract.workers_covered == firm.employee_count + other.employee_count
    assert CollectiveContract.objects.count() == 1


def test_a_handler_cannot_make_a_regional_contract_of_his_township(tree, handler, firm):
    # given / when / then
    with pytest.raises(PermissionDenied):
        services.contract_create(
            by=handler, kind="wage", level="regional", org=tree["KQ-HS"], covered=[firm], title="区域"
        )


def test_reminders_tell_the_staff_once_of_renewal_filing_and_missing_wage_contracts(firm, handler, huashe_staff):
    # given: one contract in force ending within 90 days, one signed and due for filing
    expiring = make_contract(by=handler, enterprise=firm, signed_on=D(2026, 1, 1), years=1, title="到期合同")
    to_file = make_contract(
        by=handler, enterprise=firm, kind="women", signed_on=D(2026, 11, 22), upto="signed", title="待备案"
    )
    # when
    first = services.contract_reminders_send(today=TODAY)
    second = services.contract_reminders_send(today=TODAY)
    # then
    assert first["renewal"] == 1 and first["filing"] == 1
    assert first["no_wage_contract"] >= 1  # the other unionised firms of the demo tree
    keys = list(Notification.objects.values_list("event_key", flat=True))
    assert len(keys) == len(set(keys))
    assert Notification.objects.filter(user=handler, event_key__contains=f"contract.{expiring.pk}.renewal").count() == 1
    assert (
        Notification.objects.filter(user=huashe_staff, event_key__contains=f"contract.{to_file.pk}.filing").count() == 1
    )
    assert second == first
    assert Notification.objects.count() == len(keys)


def test_the_district_admin_sets_a_deadline_rule_and_it_is_audited(district_admin):
    # given / when
    services.deadline_rule_set(
        by=district_admin, key="bargaining_reply", length=15, unit="working", first_day_counts=False
    )
    # then
    rule = DeadlineRule.objects.get(key="bargaining_reply")
    assert rule.length == 15
    log = AuditLog.objects.get(action="labour.deadline_rule_set")
    assert log.detail["old"] == [10, "working", False]


def test_township_staff_cannot_change_a_deadline_rule(huashe_staff):
    # given / when / then
    with pytest.raises(PermissionDenied):
        services.deadline_rule_set(
            by=huashe_staff, key="bargaining_reply", length=5, unit="working", first_day_counts=False
        )
    assert not DeadlineRule.objects.exists()


def test_an_officer_is_registered_with_the_firms_they_serve_and_hours(tree, huashe_staff, firm, qixian_firm):
    # given / when
    with pytest.raises(ValidationError):
        services.officer_register(by=huashe_staff, name="王协商", org=tree["KQ-HS"], enterprises=[qixian_firm])
    officer = services.officer_register(
        by=huashe_staff, name="王协商", org=tree["KQ-HS"], training_hours=Decimal("24"), enterprises=[firm]
    )
    officer = services.officer_update(
        by=huashe_staff, officer=officer, training_hours=Decimal("32.5"), enterprises=[firm], active=True
    )
    # then
    assert BargainingOfficer.objects.get().training_hours == Decimal("32.5")
    assert list(officer.enterprises.all()) == [firm]


def test_minutes_are_kept_as_a_scan_and_a_file_that_is_no_pdf_is_refused(firm, handler, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    # given
    settings.MEDIA_ROOT = str(tmp_path)
    round_ = services.round_request(
        by=handler, enterprise=firm, requested_by="union", received_on=D(2026, 11, 2), today=TODAY
    )
    services.round_reply(by=handler, round_=round_, replied_on=D(2026, 11, 3), today=TODAY)
    pdf = SimpleUploadedFile("纪要.pdf", b"%PDF-1.4\n%minutes\n", content_type="application/pdf")
    fake = SimpleUploadedFile("纪要.pdf", b"MZ not a pdf at all", content_type="application/pdf")
    # when
    session = services.round_session_add(by=handler, round_=round_, held_on=D(2026, 11, 5), file=pdf, today=TODAY)
    with pytest.raises(ValidationError) as error:
        services.round_session_add(by=handler, round_=round_, held_on=D(2026, 11, 6), file=fake, today=TODAY)
    # then
    assert session.file.name.startswith("labour/minutes/") and session.file.name.endswith(".pdf")
    assert "file" in error.value.message_dict
    assert round_.sessions.count() == 1
