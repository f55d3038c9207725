"""Pages of issue 16 on a 360 px phone: the dashboard (money in 万元, rounded chart labels, readable axis) and the
member forms whose dates were blank in Chinese. No horizontal scroll, no console error."""

import re

import pytest

from tests.e2e.conftest import log_in

PHONE = {"width": 360, "height": 740}
NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"
# What sticks out on the right, to say why a page scrolls sideways.
WIDE = """() => [...document.querySelectorAll("body *")]
  .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1)
  .slice(0, 8).map((e) => e.tagName + "." + e.className + " " + Math.round(e.getBoundingClientRect().right))"""


def _open(new_page):
    page = new_page(viewport=PHONE)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(f"{page.url}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(f"{page.url}: {exc}"))
    return page, errors


@pytest.mark.django_db(transaction=True)
def test_the_dashboard_reads_well_on_a_360_px_phone(tree, new_page, shot, settings):
    # given the district admin on a phone, with the figures computed
    page, errors = _open(new_page)
    log_in(page, "district_admin", settings.DEMO_PASSWORD)
    errors.clear()  # the log-in pages are not this test's (the browser asks them for a favicon)
    page.goto("/dashboard/")
    page.click("main form[action$='/dashboard/refresh/'] button")
    page.wait_for_selector("#computed-at:has-text('计算于')")
    page.wait_for_function("document.querySelectorAll('#dashboard-chart svg path').length > 3")
    shot(page, "dashboard-360")
    # then nothing scrolls sideways, money reads in 万元, the header says when and what changed since
    assert page.evaluate(NO_SIDEWAYS_SCROLL), page.evaluate(WIDE)
    assert "万元" in page.inner_text("main")
    assert re.search(r"计算于 \d{4}-\d{2}-\d{2} \d{2}:\d{2}", page.inner_text("#computed-at"))
    assert "变更" in page.inner_text("#computed-at")
    # and the chart's labels are rounded (no 12345.678901) and short enough for the width
    for series in range(len(page.locator(".js-chart-series option").all())):
        page.select_option(".js-chart-series", index=series)
        page.wait_for_timeout(100)
        texts = page.locator("#dashboard-chart svg text").evaluate_all("els => els.map(e => e.textContent)")
        assert not [t for t in texts if re.search(r"\d\.\d{3,}", t)], texts
        assert all(len(t) <= 8 for t in texts), texts
    # and a money figure's own page fits too
    page.goto("/dashboard/figures/funds.collected/")
    shot(page, "figure-money-360")
    assert page.evaluate(NO_SIDEWAYS_SCROLL), page.evaluate(WIDE)
    assert "万元" in page.inner_text("#figure-value")
    assert errors == []


@pytest.mark.django_db(transaction=True)
def test_the_member_forms_fit_a_360_px_phone_with_their_dates_filled(tree, new_page, shot, settings):
    # given the handler on a phone and a member of their union
    from members.models import Member

    member = Member.objects.filter(org__code="KQ-HS-001").order_by("pk").first()
    page, errors = _open(new_page)
    log_in(page, "handler", settings.DEMO_PASSWORD)
    errors.clear()
    # when they open the member's edit and status pages
    for path in (f"/members/{member.pk}/edit/", f"/members/{member.pk}/status/"):
        page.goto(path)
        shot(page, path.strip("/").replace("/", "-"))
        # then the date pickers hold their dates (the browser drops a value it cannot read) and nothing
        # scrolls sideways
        assert page.evaluate(NO_SIDEWAYS_SCROLL), (path, page.evaluate(WIDE))
        for value in page.locator("input[type=date]").evaluate_all("els => els.map(e => e.value)"):
            assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", value), (path, value)
    assert page.locator("input[type=date]").count() >= 1
    assert errors == []
