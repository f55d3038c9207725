"""Help campaign pages: who may see and change what (owner, sibling township, anonymous), the flow through the
pages, the worker's "my help", query counts for N and N+k rows."""

from decimal import Decimal

import pytest
from django.urls import reverse

from assistance.models import Campaign, Recipient
from assistance.services import campaigns as services
from tests.factories.as_help import campaign as make_campaign
from tests.factories.as_help import open_file
from union_portal.models import AuditLog

pytestmark = pytest.mark.django_db


@pytest.fixture
def hs_campaign(tree, huashe_staff, make_member):
    """A 华舍 township campaign of two 华舍 files, list built."""
    for _ in range(2):
        open_file(make_member("KQ-HS-001"), filed_by=huashe_staff)
    campaign = make_campaign(by=huashe_staff, org=tree["KQ-HS"], kind=Campaign.Kind.LIVING, name="华舍生活救助")
    services.recipients_propose(by=huashe_staff, campaign=campaign)
    return campaign


@pytest.mark.parametrize(
    "name", ["assistance:campaign_list", "assistance:campaign_new", "assistance:recipient_list", "assistance:my_help"]
)
def test_anonymous_users_are_sent_to_login(client, tree, name):
    response = client.get(reverse(name))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_owner_sees_the_campaign_and_a_sibling_township_gets_404(login, huashe_staff, qixian_staff, hs_campaign):
    # when
    own = login(huashe_staff).get(hs_campaign.get_absolute_url())
    foreign = login(qixian_staff).get(hs_campaign.get_absolute_url())

    # then
    assert own.status_code == 200 and "华舍生活救助" in own.content.decode()
    assert foreign.status_code == 404


def test_a_sibling_township_cannot_change_the_list(login, qixian_staff, hs_campaign):
    row = hs_campaign.recipients.first()
    client = login(qixian_staff)

    build = client.post(reverse("assistance:campaign_action", args=[hs_campaign.pk, "build"]))
    change = client.post(reverse("assistance:recipient_change", args=[row.pk]), {"action": "remove", "reason": "x"})

    assert build.status_code == 404 and change.status_code == 404
    row.refresh_from_db()
    assert row.status == Recipient.Status.PROPOSED
    assert not AuditLog.objects.filter(actor=qixian_staff, action__startswith="assistance.").exists()


def test_finance_sees_a_district_campaign_but_may_not_change_its_list(
    login, finance, district_admin, tree, make_member
):
    open_file(make_member("KQ-HS-001"), filed_by=district_admin)
    campaign = make_campaign(by=district_admin, org=tree["SX-KQ"])
    client = login(finance)

    assert client.get(campaign.get_absolute_url()).status_code == 200
    assert client.post(reverse("assistance:campaign_action", args=[campaign.pk, "build"])).status_code == 403


def test_staff_build_adjust_submit_and_a_second_person_approves_through_the_pages(
    login, district_admin, city_admin, finance, tree, make_member, worker
):
    # given
    open_file(make_member("KQ-HS-001"), category="deep", filed_by=district_admin)
    open_file(make_member("KQ-QX-001"), category="relative", filed_by=district_admin)
    client = login(district_admin)
    response = client.post(
        reverse("assistance:campaign_new"),
        {"name": "元旦春节送温暖", "kind": "spring_festival", "org": tree["SX-KQ"].pk, "year": 0},
    )
    assert response.status_code == 200  # the year is refused in words, nothing saved
    assert not Campaign.objects.exists()
    from django.utils import timezone

    year = timezone.localdate().year
    response = client.post(
        reverse("assistance:campaign_new"),
        {
            "name": "元旦春节送温暖",
            "kind": "spring_festival",
            "org": tree["SX-KQ"].pk,
            "year": year,
            "budget": "5000",
            "delivery": "cash",
        },
    )
    campaign = Campaign.objects.get()
    assert response.status_code == 302

    # when
    client.post(reverse("assistance:campaign_action", args=[campaign.pk, "build"]))
    row = campaign.recipients.get(category="relative")
    client.post(
        reverse("assistance:recipient_change", args=[row.pk]),
        {"action": "amount", "amount": "700", "reason": "家中老人住院"},
    )
    client.post(reverse("assistance:campaign_action", args=[campaign.pk, "submit"]))
    own_approval = client.post(reverse("assistance:campaign_action", args=[campaign.pk, "approve"]))
    login(city_admin).post(reverse("assistance:campaign_action", args=[campaign.pk, "approve"]))
    batch_response = login(finance).post(reverse("assistance:campaign_batch", args=[campaign.pk]))

    # then
    campaign.refresh_from_db()
    row.refresh_from_db()
    assert row.amount == Decimal("700.00") and row.note == "家中老人住院"
    assert own_approval.status_code == 302 and campaign.decided_by == city_admin
    assert campaign.status == Campaign.Status.APPROVED
    assert batch_response.status_code == 302
    assert set(campaign.recipients.values_list("status", flat=True)) == {"in_batch"}


def test_worker_sees_the_help_received_on_my_help(login, worker, district_admin, city_admin, finance, tree):
    # given: the demo worker's file in a paid campaign
    from members.models import Member

    member = Member.objects.get(user=worker)
    open_file(member, filed_by=district_admin)
    campaign = make_campaign(by=district_admin, org=tree["SX-KQ"], name="春节送温暖")
    services.recipients_propose(by=district_admin, campaign=campaign)
    services.campaign_submit(by=district_admin, campaign=campaign)
    services.campaign_approve(by=city_admin, campaign=campaign)
    batch = services.batch_create(by=finance, campaign=campaign)
    services.payment_mark_paid(by=finance, payment=batch.payments.get(), reference="B1")

    # when
    page = login(worker).get(reverse("assistance:my_help")).content.decode()

    # then
    assert "春节送温暖" in page and "1000.00" in page


def test_campaign_list_queries_do_not_grow_with_rows(login, huashe_staff, tree, make_member, django_assert_num_queries):
    make_campaign(by=huashe_staff, org=tree["KQ-HS"], kind=Campaign.Kind.LIVING, name="一")
    client = login(huashe_staff)
    client.get(reverse("assistance:campaign_list"))
    # session, user, OTP device, the page of campaigns (union joined, recipients counted and summed in the same
    # query); the idle-timeout session save (savepoint, update, release). Assignments come from the cache.
    with django_assert_num_queries(7):
        client.get(reverse("assistance:campaign_list"))
    for name in ("二", "三", "四"):
        make_campaign(by=huashe_staff, org=tree["KQ-HS"], kind=Campaign.Kind.LIVING, name=name)
    with django_assert_num_queries(7):
        client.get(reverse("assistance:campaign_list"))


def test_recipient_list_queries_do_not_grow_with_rows(
    login, huashe_staff, hs_campaign, make_member, django_assert_num_queries
):
    client = login(huashe_staff)
    client.get(reverse("assistance:recipient_list"))
    # session, user, OTP device, the sheets to hand over, the page of recipients (campaign, worker, union
    # joined); the idle-timeout session save (savepoint, update, release). Assignments come from the cache.
    with django_assert_num_queries(8):
        client.get(reverse("assistance:recipient_list"))
    for _ in range(3):
        open_file(make_member("KQ-HS-001"), filed_by=huashe_staff)
    services.recipients_propose(by=huashe_staff, campaign=hs_campaign)
    assert hs_campaign.recipients.count() == 5
    with django_assert_num_queries(8):
        client.get(reverse("assistance:recipient_list"))


def test_campaign_page_queries_do_not_grow_with_rows(
    login, huashe_staff, hs_campaign, make_member, django_assert_num_queries
):
    client = login(huashe_staff)
    url = hs_campaign.get_absolute_url()
    client.get(url)
    # session, user, OTP device, the campaign (union joined), its rows (worker, union, file, sheet joined), the
    # totals (one aggregate), the files that may be added (one cursor), the batches, the sheets; the idle-timeout
    # session save (savepoint, update, release)
    with django_assert_num_queries(12):
        client.get(url)
    for _ in range(3):
        open_file(make_member("KQ-HS-001"), filed_by=huashe_staff)
    services.recipients_propose(by=huashe_staff, campaign=hs_campaign)
    with django_assert_num_queries(12):
        client.get(url)
