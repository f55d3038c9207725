"""The Spring Festival campaign in the browser: from open files the list is built, staff adjust an amount with a
reason and submit, a second person approves, finance builds the bank batch and marks it paid, and the worker
sees the help on a phone."""

import pytest
from django.utils import timezone

from tests.e2e.conftest import log_in, log_out
from tests.e2e.test_flows import PageErrors, watched  # noqa: F401  (the fixture)

PHONE = {"width": 375, "height": 800}
NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"


@pytest.mark.django_db(transaction=True)
def test_spring_festival_campaign_from_open_files_to_the_workers_phone(tree, watched, settings, make_member):  # noqa: F811
    # given: open files of the demo worker (华舍) and of a 齐贤 member
    from members.models import Member
    from tests.factories.as_help import open_file
    from union_portal.models import User

    admin = User.objects.get(username="district_admin")
    worker_member = Member.objects.get(user__username="worker")
    open_file(worker_member, category="deep", filed_by=admin)
    open_file(make_member("KQ-QX-001"), category="relative", filed_by=admin)
    spring_festival_paid_and_seen(watched, settings, worker_member, secrets={})


def spring_festival_paid_and_seen(watched, settings, worker_member, *, secrets: dict) -> None:  # noqa: F811
    """From the open files: the district admin creates the Spring Festival campaign, builds the list, changes the
    worker's amount with a reason and submits; a second person approves; finance builds the bank batch and marks it
    paid; the worker sees the help on a phone. Also the end of the whole journey in test_assistance_apply_phone."""
    from assistance.models import Campaign

    year = timezone.localdate().year
    page = watched.open()

    # when: the district admin creates the campaign, builds the list, adjusts one amount and submits
    log_in(page, "district_admin", settings.DEMO_PASSWORD, two_factor_secret=secrets)
    page.goto("/assistance/campaigns/new/")
    page.fill("input[name=name]", f"{year}年元旦春节送温暖")
    page.select_option("select[name=kind]", value="spring_festival")
    page.fill("input[name=year]", str(year))
    page.fill("input[name=budget]", "10000")
    page.click("main form button.btn-union")
    page.wait_for_load_state()
    campaign = Campaign.objects.get()
    assert page.url.endswith(campaign.get_absolute_url())
    page.click("main button:has-text('从在档档案生成名单')")
    page.wait_for_load_state()
    row = campaign.recipients.get(member=worker_member)
    page.fill(f"#amount-{row.pk}", "1200")
    page.fill(f"#reason-{row.pk}", "春节前家中老人住院")
    page.click(f"form[action$='/recipients/{row.pk}/change/'] button")
    page.wait_for_load_state()
    page.click("main button:has-text('提交审批')")
    page.wait_for_load_state()
    assert "名单已提交" in page.inner_text("main")
    # the builder sees no approval button
    assert not page.is_visible("main button:has-text('审批通过名单')")
    log_out(page)

    # and a second person (the city federation's admin) approves
    log_in(page, "city_admin", settings.DEMO_PASSWORD, two_factor_secret=secrets)
    page.goto(campaign.get_absolute_url())
    page.click("main button:has-text('审批通过名单')")
    page.wait_for_load_state()
    log_out(page)

    # and finance builds the bank batch and marks each payment paid
    log_in(page, "finance", settings.DEMO_PASSWORD, two_factor_secret=secrets)
    page.goto(campaign.get_absolute_url())
    page.click("main button:has-text('生成发放批次')")
    page.wait_for_load_state()
    assert "/assistance/batches/" in page.url
    while page.locator("main input[name=reference]").count():
        page.fill("main input[name=reference] >> nth=0", "GH0001")
        page.click("main form[action$='/paid/'] button >> nth=0")
        page.wait_for_load_state()
    log_out(page)

    # then: the worker sees the help on the phone
    phone = watched.open(viewport=PHONE)
    log_in(phone, "worker", settings.DEMO_PASSWORD)
    phone.goto("/assistance/my-help/")
    text = phone.inner_text("main")
    assert f"{year}年元旦春节送温暖" in text and "1200.00" in text
    assert phone.evaluate(NO_SIDEWAYS_SCROLL)
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.CLOSED
    assert set(campaign.recipients.values_list("status", flat=True)) == {"paid"}
    assert not watched.errors, watched.errors
