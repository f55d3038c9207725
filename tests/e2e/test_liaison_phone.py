"""Cadres' liaison on a phone (issue 20): a township cadre opens their firms, logs a visit with an issue raised,
and sees it listed as open on the firm's page; nothing scrolls sideways at 375 px."""

import datetime as dt

import pytest

from tests.e2e.conftest import log_in
from tests.e2e.test_flows import PageErrors, watched  # noqa: F401  (the fixture)

PHONE = {"width": 375, "height": 812}
NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"


@pytest.mark.django_db(transaction=True)
def test_a_cadre_logs_a_visit_with_an_issue_on_a_phone(tree, district_admin, huashe_staff, watched, settings, today):  # noqa: F811
    # given 华舍's staff are the liaison cadre of a 华舍 firm
    from labour.models import LiaisonIssue
    from labour.services.liaison import assignment_create
    from members.models import Enterprise

    firm = Enterprise.objects.get(union=tree["KQ-HS-001"])
    assignment_create(by=district_admin, cadre=huashe_staff, enterprise=firm, today=today - dt.timedelta(days=120))
    page = watched.open(viewport=PHONE)
    log_in(page, "huashe_staff", settings.DEMO_PASSWORD)
    # when the cadre opens their firms, the firm, and logs a visit with an issue
    page.goto("/labour/liaison/")
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    page.click(f"main a:has-text('{firm.name}')")
    page.wait_for_load_state()
    page.click("main a:has-text('登记走访')")
    page.wait_for_load_state()
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    page.fill("input[name=visited_on]", today.isoformat())
    page.fill("input[name=met_whom]", "工会主席、职工代表")
    page.fill("textarea[name=notes]", "了解夜班加班情况")
    page.select_option("select[name=issue-0-kind]", value="rights")
    page.fill("textarea[name=issue-0-description]", "夜班职工反映加班费未按规定计发")
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    # then the firm's page shows the visit and the open issue with its follow-up actions
    main = page.inner_text("main")
    assert "走访已登记" in page.inner_text("body")
    assert "夜班职工反映加班费未按规定计发" in main and "转维权案件" in main
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    issue = LiaisonIssue.objects.get()
    assert issue.kind == "rights" and issue.visit.visited_on == today
    # and the cadre's page lists the firm as visited today with one open issue
    page.goto("/labour/liaison/")
    assert today.isoformat() in page.inner_text("main")
    assert not watched.errors, watched.errors
