"""End-to-end flows in headless Chromium, through the real pages and buttons (Chinese UI).

1. A new worker joins the union from a phone, the handler approves, the worker sees the membership card;
   the handler enrols the union's members in inpatient aid and finance confirms the premium; the worker files
   a claim with documents from the phone; the automatic review runs (Celery eager, on_commit runs in these
   transactional tests); two reviewers approve; finance pays it in a batch; the worker sees 已支付.
2. The dashboard draws its ECharts chart after a refresh.
3. No page visited logged a JS error or a Content-Security-Policy violation (and the watcher does catch one).

A screenshot of every step goes to test-artifacts/e2e/<test>/."""

import datetime as dt
import io

import pytest
from django.contrib.auth import get_user_model

from members.models import Member
from mutual_aid import services as aid
from mutual_aid.models import Claim, Cover
from tests.e2e.conftest import log_in
from union_portal.identity import make_id_number

PHONE = {"width": 390, "height": 844}

# Reports every securitypolicyviolation event as a console error, so a blocked style or image (which
# Chromium may not log) is caught too. Init scripts are injected by the browser, not subject to the CSP.
CSP_WATCH = """
document.addEventListener("securitypolicyviolation", function (e) {
  console.error("CSP violation: " + e.violatedDirective + " blocked " + (e.blockedURI || "inline"));
});
"""


class PageErrors:
    """Console errors, uncaught exceptions and CSP violations of every page opened through ``open``."""

    def __init__(self, new_page):
        self._new_page = new_page
        self.errors: list[str] = []
        self.visited: list[str] = []

    def open(self, viewport=None):
        page = self._new_page(viewport=viewport)
        page.add_init_script(CSP_WATCH)
        page.on("console", lambda m: self._console(page, m))
        page.on("pageerror", lambda exc: self.errors.append(f"{page.url}: pageerror: {exc}"))
        page.on("framenavigated", lambda frame: frame == page.main_frame and self.visited.append(frame.url))
        return page

    def _console(self, page, message) -> None:
        # Chromium asks for /favicon.ico on its own; base.html links no icon, so that 404 is not a page error.
        if message.type == "error" and not message.location.get("url", "").endswith("/favicon.ico"):
            self.errors.append(f"{page.url}: console: {message.text}")


@pytest.fixture
def watched(new_page):
    return PageErrors(new_page)


def small_pdf(title: str) -> bytes:
    """A real one-page PDF (reportlab), small enough for any upload check."""
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    pdf.drawString(72, 720, title)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def expect_message(page, text: str) -> None:
    page.wait_for_selector(f".alert:has-text('{text}')")


@pytest.mark.django_db(transaction=True)
def test_worker_joins_claims_and_is_paid(tree, district_admin, new_page, watched, shot, settings, today):
    # given: a worker with a fresh account and no membership; the current mutual-aid period exists
    password = "Worker-pass-2026!"
    get_user_model().objects.create_user(username="newworker", password=password, full_name="李新工")
    scheme = aid.scheme_create(by=district_admin, year=today.year)
    secrets: dict = {}

    # the worker applies to join from a phone
    worker = watched.open(viewport=PHONE)
    log_in(worker, "newworker", password)
    worker.goto("/members/join/")
    worker.fill("input[name=q]", "华舍纺织")
    worker.click("main form button[type=submit]")
    worker.click("main .list-group-item-action:has-text('浙江华舍纺织印染有限公司')")
    worker.wait_for_selector("input[name=id_number]")
    assert worker.input_value("input[name=name]") == "李新工"
    worker.fill("input[name=id_number]", make_id_number("330621", dt.date(1992, 4, 18), 314))
    worker.fill("input[name=mobile]", "13957512345")
    worker.fill("input[name=job]", "挡车工")
    worker.check("input[name=is_frontline]")
    worker.check("input[name=consent]")
    shot(worker, "worker-join-form-phone")
    worker.click("main form [type=submit]")
    expect_message(worker, "申请已提交")
    shot(worker, "worker-join-sent-phone")
    assert "浙江华舍纺织印染有限公司工会 · 待审批" in worker.inner_text("main .list-group")

    # the grassroots handler approves the application
    handler = watched.open()
    log_in(handler, "handler", settings.DEMO_PASSWORD, two_factor_secret=secrets)
    handler.goto("/members/joins/")
    handler.click("main a:has-text('李新工')")
    shot(handler, "handler-join-application")
    assert "待审批" in handler.inner_text("main dl")
    handler.click("main button[name=decision][value=approve]")
    expect_message(handler, "会员编号")
    shot(handler, "handler-approved")
    member = Member.objects.get(user__username="newworker")

    # the worker sees the membership card
    worker.goto("/members/me/")
    worker.wait_for_selector("main svg")
    card = worker.inner_text("main")
    assert member.member_number in card and "李新工" in card
    shot(worker, "worker-card-phone")

    # the handler enrols the union's members in inpatient aid; finance confirms the premium arrived
    handler.goto("/mutual-aid/enrolments/new/")
    handler.select_option("select[name=benefit]", label="住院医疗互助")
    handler.check("input[name=source][value=roll]")
    assert "参保会员" in handler.inner_text("main form")
    # near the period's end (the weeks before New Year) the form asks to acknowledge the short cover left
    if handler.locator("input[name=accept_short_cover]").count():
        assert "距本期结束仅剩" in handler.inner_text("main")
        handler.check("input[name=accept_short_cover]")
    shot(handler, "handler-enrol")
    handler.click("main form [type=submit]")
    expect_message(handler, "应缴")
    shot(handler, "handler-enrolled")
    finance = watched.open()
    log_in(finance, "finance", settings.DEMO_PASSWORD, two_factor_secret=secrets)
    finance.goto("/mutual-aid/enrolments/")
    finance.fill("main input[name=reference]", "BANK-2026-001")
    finance.click("main form[action*='/confirm/'] button[type=submit]")
    expect_message(finance, "保障")
    shot(finance, "finance-premium-confirmed")
    cover = Cover.objects.get(member=member, scheme=scheme)
    assert cover.starts_on == today + dt.timedelta(days=1)
    # ... and time passes: the cover started with the period and the waiting period is over. (A member who
    # joined today can only be treated today, and cover starts the day after finance confirms.)
    Cover.objects.filter(pk=cover.pk).update(starts_on=scheme.starts_on, waiting_ends_on=scheme.starts_on)

    # the worker files a claim with the documents from the phone
    worker.goto("/mutual-aid/")
    shot(worker, "worker-mutual-aid-phone")
    worker.click("main a[href='/mutual-aid/claims/new/']")
    worker.select_option("select[name=benefit]", value="inpatient")
    worker.fill("input[name=hospital]", "绍兴市中心医院")
    worker.fill("input[name=admission_date]", today.isoformat())
    worker.fill("input[name=discharge_date]", today.isoformat())
    worker.fill("input[name=total_amount]", "24000.00")
    worker.fill("input[name=self_paid_amount]", "12000.00")
    worker.fill("textarea[name=invoice_numbers]", "ZJ2026-778812")
    worker.fill("input[name=bank_account]", "6228480402564890099")
    worker.fill("input[name=bank_name]", "中国农业银行")
    for kind in ("application", "id_card", "bank_card", "invoice", "settlement", "discharge"):
        worker.set_input_files(
            f"input[name=doc_{kind}]",
            files=[{"name": f"{kind}.pdf", "mimeType": "application/pdf", "buffer": small_pdf(kind)}],
        )
    worker.check("input[name=consent]")
    shot(worker, "worker-claim-form-phone")
    worker.click("main form button.btn-lg[type=submit]")
    expect_message(worker, "已提交")
    shot(worker, "worker-claim-submitted-phone")
    claim = Claim.objects.get(member=member)
    claim_url = f"/mutual-aid/claims/{claim.pk}/"
    assert worker.url.endswith(claim_url)

    # the automatic review ran after commit: every check passed and the claim waits for the first review
    claim.refresh_from_db()
    assert claim.status == Claim.Status.FIRST_REVIEW and claim.auto_passed, claim.auto_checks
    assert claim.documents.count() == 6

    # reviewer1 and reviewer2 approve
    for step, username in (("first", "reviewer1"), ("second", "reviewer2")):
        reviewer = watched.open()
        log_in(reviewer, username, settings.DEMO_PASSWORD, two_factor_secret=secrets)
        reviewer.goto(claim_url)
        reviewer.wait_for_selector("main form[action$='/approve/'] button")
        shot(reviewer, f"{step}-review")
        # a money decision is confirmed: the box, then the button
        reviewer.check("main form[action$='/approve/'] input[name=confirm]")
        reviewer.click("main form[action$='/approve/'] button")
        expect_message(reviewer, "初审通过" if step == "first" else "复审通过，核定金额")
        shot(reviewer, f"{step}-review-done")
    claim.refresh_from_db()
    assert claim.status == Claim.Status.APPROVED and claim.approved_amount > 0

    # finance builds a payment batch and marks the claim paid
    finance.goto("/mutual-aid/payments/")
    assert claim.number in finance.inner_text("main")
    assert "创建人" in finance.inner_text("main thead")
    shot(finance, "finance-payable")
    finance.click("main button:has-text('生成新的支付批次')")
    finance.wait_for_selector("main form[action$='/paid/']")
    assert "待支付" in finance.inner_text("main table")
    shot(finance, "finance-batch")
    finance.fill("main form[action$='/paid/'] input[name=reference]", "TRX-20261125-0001")
    finance.click("main form[action$='/paid/'] button")
    finance.wait_for_selector("main :text('TRX-20261125-0001')")
    shot(finance, "finance-batch-paid")

    # the worker sees "paid" on the claim page
    worker.goto(claim_url)
    status = worker.inner_text("main .badge")
    shot(worker, "worker-claim-paid-phone")
    assert status == "已支付"
    page_text = worker.inner_text("main")
    assert "所需材料齐全" in page_text and "入院时已过等待期" in page_text  # the checks, in words
    assert "MEMBER_NOT_ACTIVE" not in page_text and "first_review" not in page_text  # no internal codes
    claim.refresh_from_db()
    assert claim.status == Claim.Status.PAID

    # no page of the flow logged a JS error or a CSP violation
    assert watched.errors == []
    assert len(set(watched.visited)) > 15


@pytest.mark.django_db(transaction=True)
def test_the_dashboard_draws_its_chart(tree, watched, shot, settings):
    page = watched.open()
    log_in(page, "district_admin", settings.DEMO_PASSWORD)
    page.goto("/dashboard/")
    shot(page, "dashboard-before-refresh")

    # refresh the figures with the page's button (the task runs eagerly after commit)
    page.click("main form[action$='/dashboard/refresh/'] button")
    page.wait_for_selector("#computed-at:has-text('计算于')")
    page.wait_for_selector("#dashboard-chart svg rect, #dashboard-chart svg path")

    shot(page, "dashboard")
    chart = page.locator("#dashboard-chart")
    box = chart.bounding_box()
    assert box["width"] > 200 and box["height"] > 150
    # one bar label per township below the district, drawn in the SVG
    assert "华舍街道工会" in chart.inner_text() or page.locator("#dashboard-chart svg text").count() > 5
    assert page.locator("#dashboard-chart svg path").count() > 3

    # switching the series redraws without errors
    page.select_option(".js-chart-series", index=1)
    page.wait_for_function("document.querySelectorAll('#dashboard-chart svg path').length > 3")
    assert watched.errors == []


@pytest.mark.django_db(transaction=True)
def test_the_error_watcher_catches_a_csp_violation(tree, watched, settings):
    """The assertions of the flows above would notice a blocked inline script or a JS error."""
    page = watched.open()
    log_in(page, "worker", settings.DEMO_PASSWORD)
    assert watched.errors == []

    with pytest.raises(Exception, match="Content Security Policy"):
        page.add_script_tag(content="window.__inline = 1;")  # no nonce: the CSP blocks it

    page.wait_for_function("true")
    assert any("CSP violation: script-src" in e for e in watched.errors), watched.errors
    assert page.evaluate("window.__inline") is None
