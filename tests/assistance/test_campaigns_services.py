"""Help campaigns: building the list by the rules, adjusting with reasons, approval by a second person, the
constraints, paying by bank batch, goods against a signed sheet, and the funds ledger."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from assistance.models import Campaign, Recipient, SignOffSheet
from assistance.services import campaigns as services
from funds.models import JournalEntry, LedgerAccount
from tests.factories import pdf
from tests.factories.as_help import campaign as make_campaign
from tests.factories.as_help import open_file
from union_portal.models import Notification
from union_portal.payments.models import Payment

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def district(tree):
    return tree["SX-KQ"]


@pytest.fixture
def files(make_member, district_admin):
    return {
        "deep": open_file(make_member("KQ-HS-001"), category="deep", filed_by=district_admin),
        "relative": open_file(make_member("KQ-QX-001"), category="relative", filed_by=district_admin),
        "accident": open_file(make_member("KQ-HS-001"), category="accident", filed_by=district_admin),
    }


def test_creating_a_campaign_posts_its_budget_to_the_funds_ledger_as_spending(district_admin, district):
    # when
    campaign = make_campaign(by=district_admin, org=district, budget="50000.00")

    # then
    entry = JournalEntry.objects.get(pk=campaign.funds_entry_id)
    assert entry.kind == JournalEntry.Kind.SPENDING
    lines = {(line.account.kind, line.amount) for line in entry.lines.select_related("account")}
    assert lines == {
        (LedgerAccount.Kind.FUNDS, Decimal("50000.00")),
        (LedgerAccount.Kind.SPENDING, Decimal("-50000.00")),
    }


def test_a_campaign_with_bad_rules_is_refused_and_nothing_is_saved(district_admin, district):
    # when
    with pytest.raises(ValidationError) as exc:
        make_campaign(
            by=district_admin, org=district, campaign_rules={"categories": ["deep"], "amounts": {"deep": "-5"}}
        )

    # then
    assert "rules" in exc.value.message_dict
    assert not Campaign.objects.exists() and not JournalEntry.objects.filter(kind="spending").exists()


def test_township_staff_cannot_create_a_campaign_of_the_district(huashe_staff, district):
    with pytest.raises(PermissionDenied):
        make_campaign(by=huashe_staff, org=district)


def test_spring_festival_list_is_built_from_open_files_with_amounts_by_category(district_admin, district, files):
    # given
    campaign = make_campaign(by=district_admin, org=district)

    # when
    added = services.recipients_propose(by=district_admin, campaign=campaign)

    # then
    assert added == 3
    amounts = {r.file_id: r.amount for r in campaign.recipients.all()}
    assert amounts == {
        files["deep"].pk: Decimal("1000.00"),
        files["relative"].pk: Decimal("600.00"),
        files["accident"].pk: Decimal("800.00"),
    }
    # building again adds nobody twice
    assert services.recipients_propose(by=district_admin, campaign=campaign) == 0


def test_a_township_campaign_takes_only_the_files_of_its_subtree(huashe_staff, tree, files):
    campaign = make_campaign(by=huashe_staff, org=tree["KQ-HS"], kind=Campaign.Kind.LIVING)

    services.recipients_propose(by=huashe_staff, campaign=campaign)

    assert set(campaign.recipients.values_list("file_id", flat=True)) == {files["deep"].pk, files["accident"].pk}


def test_education_grant_goes_to_children_starting_university_or_vocational_school(
    district_admin, district, make_member
):
    # given
    file = open_file(
        make_member("KQ-HS-001"),
        category="deep",
        children=[("王小明", 18, "浙江大学 2026级"), ("王小红", 17, "绍兴职业技术学院"), ("王小刚", 9, "华舍小学")],
        filed_by=district_admin,
    )
    campaign = make_campaign(by=district_admin, org=district, kind=Campaign.Kind.EDUCATION)

    # when
    services.recipients_propose(by=district_admin, campaign=campaign)

    # then
    rows = {r.child_name: (r.stage, r.amount) for r in campaign.recipients.filter(file=file)}
    assert rows == {"王小明": ("university", Decimal("5000.00")), "王小红": ("vocational", Decimal("5000.00"))}


def test_no_child_gets_the_education_grant_twice_for_the_same_stage_in_any_year(
    district_admin, district, make_member, today
):
    # given: a grant last year
    file = open_file(make_member("KQ-HS-001"), children=[("李同学", 18, "浙江工业大学")], filed_by=district_admin)
    last = make_campaign(
        by=district_admin, org=district, kind=Campaign.Kind.EDUCATION, year=today.year - 1, name="去年金秋助学"
    )
    services.recipients_propose(by=district_admin, campaign=last)
    this = make_campaign(by=district_admin, org=district, kind=Campaign.Kind.EDUCATION, name="今年金秋助学")

    # when: building this year's list leaves the child out; adding by hand is refused in words
    added = services.recipients_propose(by=district_admin, campaign=this)
    child = file.people.get(relation="child")
    with pytest.raises(ValidationError) as exc:
        services.recipient_add(by=district_admin, campaign=this, file=file, child=child, reason="补录")

    # then
    assert added == 0
    assert "已" in " ".join(exc.value.messages) or "already" in " ".join(exc.value.messages)
    # and the database refuses it however it is written
    row = last.recipients.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        Recipient.objects.create(
            campaign=this,
            file=file,
            member=file.member,
            org=file.org,
            category="deep",
            child=child,
            child_name=child.name,
            child_id_hash=row.child_id_hash,
            stage=row.stage,
            amount=1,
            proposed_amount=1,
            added_by=district_admin,
        )


def test_one_live_recipient_per_campaign_and_file_in_the_database(district_admin, district, files):
    campaign = make_campaign(by=district_admin, org=district)
    services.recipients_propose(by=district_admin, campaign=campaign)
    file = files["deep"]

    with pytest.raises(IntegrityError), transaction.atomic():
        Recipient.objects.create(
            campaign=campaign,
            file=file,
            member=file.member,
            org=file.org,
            category="deep",
            amount=1,
            proposed_amount=1,
            added_by=district_admin,
        )


def test_medical_assistance_is_30_percent_above_10000_after_mutual_aid_capped_at_20000(
    district_admin, district, make_member
):
    # given: 30,000 self-paid -> 30% of 20,000 = 6,000; 100,000 -> 30% of 90,000 = 27,000, capped at 20,000;
    # 9,000 -> under the threshold, not proposed
    small = open_file(make_member("KQ-HS-001"), medical=Decimal("30000.00"), filed_by=district_admin)
    large = open_file(make_member("KQ-HS-001"), medical=Decimal("100000.00"), filed_by=district_admin)
    under = open_file(make_member("KQ-HS-001"), medical=Decimal("9000.00"), filed_by=district_admin)
    campaign = make_campaign(by=district_admin, org=district, kind=Campaign.Kind.MEDICAL)

    # when
    services.recipients_propose(by=district_admin, campaign=campaign)

    # then
    amounts = {r.file_id: r.amount for r in campaign.recipients.all()}
    assert amounts == {small.pk: Decimal("6000.00"), large.pk: Decimal("20000.00")}
    assert under.pk not in amounts
    working = campaign.recipients.get(file=small).working
    assert working["remainder"] == "30000.00" and working["above"] == "20000.00"


def test_a_recipient_outside_the_rules_is_refused_in_words(district_admin, district, make_member):
    none_file = open_file(make_member("KQ-HS-001"), category="none", filed_by=district_admin)
    campaign = make_campaign(by=district_admin, org=district)

    with pytest.raises(ValidationError) as exc:
        services.recipient_add(by=district_admin, campaign=campaign, file=none_file, reason="试试")

    assert exc.value.messages
    assert not campaign.recipients.exists()


def test_staff_change_and_remove_rows_with_reasons(district_admin, district, files):
    campaign = make_campaign(by=district_admin, org=district)
    services.recipients_propose(by=district_admin, campaign=campaign)
    row = campaign.recipients.get(file=files["deep"])

    with pytest.raises(ValidationError):
        services.recipient_change_amount(by=district_admin, recipient=row, amount=Decimal("1200"), reason=" ")
    services.recipient_change_amount(by=district_admin, recipient=row, amount=Decimal("1200"), reason="家中新增病人")
    other = campaign.recipients.get(file=files["relative"])
    services.recipient_remove(by=district_admin, recipient=other, reason="已调出本区")

    row.refresh_from_db()
    other.refresh_from_db()
    assert (row.amount, row.proposed_amount, row.note) == (Decimal("1200.00"), Decimal("1000.00"), "家中新增病人")
    assert other.status == Recipient.Status.REMOVED
    # a removed household may come back by hand (the constraint counts live rows only)
    again = services.recipient_add(by=district_admin, campaign=campaign, file=files["relative"], reason="复核后恢复")
    assert again.status == Recipient.Status.PROPOSED


def test_the_list_over_budget_cannot_be_submitted(district_admin, district, files):
    campaign = make_campaign(by=district_admin, org=district, budget="1500.00")
    services.recipients_propose(by=district_admin, campaign=campaign)

    with pytest.raises(ValidationError) as exc:
        services.campaign_submit(by=district_admin, campaign=campaign)

    assert "2400.00" in exc.value.messages[0]


def test_approval_needs_a_second_person_who_may_return_it_with_comments(district_admin, city_admin, district, files):
    # given
    campaign = make_campaign(by=district_admin, org=district)
    services.recipients_propose(by=district_admin, campaign=campaign)
    services.campaign_submit(by=district_admin, campaign=campaign)

    # when: the builder may not approve
    with pytest.raises(ValidationError):
        services.campaign_approve(by=district_admin, campaign=campaign)
    services.campaign_return(by=city_admin, campaign=campaign, comment="请核实意外致困户的金额")

    # then: back to the builder, told in the inbox
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.RETURNED and campaign.return_comment
    assert Notification.objects.filter(
        user=district_admin, event_key__startswith=f"assistance.campaign.{campaign.pk}.returned"
    ).exists()

    # when: resubmitted, the second person approves
    services.campaign_submit(by=district_admin, campaign=campaign)
    services.campaign_approve(by=city_admin, campaign=campaign)
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.APPROVED and campaign.decided_by == city_admin


def test_approved_list_is_paid_by_bank_batch_once_and_the_worker_is_told(
    district_admin, city_admin, finance, district, files
):
    # given
    campaign = make_campaign(by=district_admin, org=district)
    services.recipients_propose(by=district_admin, campaign=campaign)
    services.campaign_submit(by=district_admin, campaign=campaign)
    services.campaign_approve(by=city_admin, campaign=campaign)

    # when
    batch = services.batch_create(by=finance, campaign=campaign)
    with pytest.raises(ValidationError):
        services.batch_create(by=finance, campaign=campaign)  # nobody left to pay
    payments = list(batch.payments.order_by("pk"))
    for payment in payments[:-1]:
        services.payment_mark_paid(by=finance, payment=payment, reference=f"B{payment.pk}")
    services.payment_mark_failed(by=finance, payment=payments[-1], reason="账号有误")

    # then
    assert batch.total == Decimal("2400.00") and len(payments) == 3
    statuses = sorted(campaign.recipients.values_list("status", flat=True))
    assert statuses == ["failed", "paid", "paid"]
    paid = campaign.recipients.filter(status="paid").first()
    note = Notification.objects.get(event_key=f"assistance.recipient.{paid.pk}.paid")
    assert "深度" not in note.body and "困难" not in note.body  # no category named
    # the failed one goes into a later batch; when paid, the campaign closes
    later = services.batch_create(by=finance, campaign=campaign)
    services.payment_mark_paid(by=finance, payment=later.payments.get(), reference="B-later")
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.CLOSED
    assert Payment.objects.filter(status="paid").count() == 3


def test_goods_are_handed_over_against_the_signed_sheet_of_each_unit(
    district_admin, city_admin, handler, district, files, today
):
    # given
    campaign = make_campaign(
        by=district_admin, org=district, delivery=Campaign.Delivery.GOODS, goods="大米一袋、食用油一桶"
    )
    services.recipients_propose(by=district_admin, campaign=campaign)
    services.campaign_submit(by=district_admin, campaign=campaign)
    services.campaign_approve(by=city_admin, campaign=campaign)
    sheet = SignOffSheet.objects.get(campaign=campaign, org__code="KQ-HS-001")

    # when
    data = services.sheet_pdf(by=handler, sheet=sheet)
    services.sheet_upload(by=handler, sheet=sheet, uploaded=pdf("signed.pdf"), handed_over_on=today)

    # then
    assert data.startswith(b"%PDF")
    assert set(sheet.recipients.values_list("status", flat=True)) == {"handed_over"}
    assert campaign.recipients.filter(org__code="KQ-QX-001", status="proposed").count() == 1
    with pytest.raises(ValidationError):
        services.sheet_upload(by=handler, sheet=sheet, uploaded=pdf("again.pdf"), handed_over_on=today)


def test_a_handler_cannot_print_another_unit_s_sheet(district_admin, city_admin, handler, district, files):
    campaign = make_campaign(by=district_admin, org=district, delivery=Campaign.Delivery.GOODS, goods="米")
    services.recipients_propose(by=district_admin, campaign=campaign)
    services.campaign_submit(by=district_admin, campaign=campaign)
    services.campaign_approve(by=city_admin, campaign=campaign)
    foreign = SignOffSheet.objects.get(campaign=campaign, org__code="KQ-QX-001")

    with pytest.raises(PermissionDenied):
        services.sheet_pdf(by=handler, sheet=foreign)
