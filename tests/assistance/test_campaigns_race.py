"""Two staff adding the same file to a campaign at the same moment (PostgreSQL, real threads): one recipient,
paid once."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assistance.models import Campaign, Recipient
from assistance.services import campaigns as services
from tests.factories.as_help import campaign as make_campaign
from tests.factories.as_help import open_file
from tests.races import outcome, run_together
from union_portal.payments.models import Payment
from union_portal.roles import Role


@pytest.fixture
def second_district_admin(tree):
    from tests.factories import RoleAssignmentFactory

    return RoleAssignmentFactory(role=Role.DISTRICT_ADMIN, node=tree["SX-KQ"]).user


def test_adding_a_recipient_locks_the_campaign_row(db, tree, district_admin, make_member):
    # given
    file = open_file(make_member("KQ-HS-001"), filed_by=district_admin)
    campaign = make_campaign(by=district_admin, org=tree["SX-KQ"])

    # when
    with CaptureQueriesContext(connection) as queries:
        services.recipient_add(by=district_admin, campaign=campaign, file=file, reason="补录")

    # then
    locks = [q["sql"] for q in queries.captured_queries if "FOR UPDATE" in q["sql"]]
    assert locks and '"assistance_campaign"' in locks[0]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_staff_adding_the_same_file_at_once_make_one_recipient_paid_once(
    tree, district_admin, second_district_admin, huashe_staff, city_admin, finance, make_member
):
    # given: a district campaign; one open file of 华舍
    file = open_file(make_member("KQ-HS-001"), filed_by=district_admin)
    campaign = make_campaign(by=district_admin, org=tree["SX-KQ"])

    # when: two staff add it at the same moment
    results = run_together(
        lambda: services.recipient_add(by=district_admin, campaign=campaign, file=file, reason="走访发现"),
        lambda: services.recipient_add(by=second_district_admin, campaign=campaign, file=file, reason="电话求助"),
    )

    # then: one wins, the other is told in words
    assert sorted(outcome(r) for r in results) == ["ok", "refused"]
    assert Recipient.objects.filter(campaign=campaign, file=file).exclude(status="removed").count() == 1

    # and it is paid once
    services.campaign_submit(by=district_admin, campaign=campaign)
    services.campaign_approve(by=city_admin, campaign=Campaign.objects.get(pk=campaign.pk))
    batch = services.batch_create(by=finance, campaign=campaign)
    services.payment_mark_paid(by=finance, payment=batch.payments.get(), reference="B1")
    assert Payment.objects.filter(batch__app_label="assistance", status="paid").count() == 1
