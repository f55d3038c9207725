"""Forms by keyboard alone (issue 17): a worker files a claim and a judge scores a team pressing keys only --
Tab moves through the controls in the order of the page and never gets stuck, a file is chosen with Space
(the browser's chooser), a form sent back with errors puts the focus on its error summary, whose link leads
to the field. The rules editor's "Add a band" button works from the keyboard and focuses the new row."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from tests.e2e.sweep import session_cookie
from tests.e2e.test_flows import small_pdf

pytestmark = [pytest.mark.postgres]

FOCUSED = """() => { const e = document.activeElement;
  return {name: e.name || "", tag: e.tagName, type: e.type || "", cls: e.className || "", id: e.id || ""}; }"""
IN_DOM_ORDER = """([a, b]) => { const x = document.querySelector(a), y = document.querySelector(b);
  return !!(x.compareDocumentPosition(y) & Node.DOCUMENT_POSITION_FOLLOWING); }"""


def _open_as(browser, live_server, username: str):
    from django.contrib.auth import get_user_model

    context = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    context.add_cookies([session_cookie(get_user_model().objects.get(username=username), live_server.url)])
    return context, context.new_page()


def _type_date(page, name: str, day: dt.date) -> None:
    """Type a date into the focused date input by keys. Chromium draws a field per part in the order of its
    own UI language (not the page's), so each order is tried: the year field takes up to six digits and is
    left with ArrowRight; Shift+Tab out and Tab back in starts again at the first part."""
    orders = [
        [f"{day.month:02d}{day.day:02d}{day.year:04d}"],
        [f"{day.day:02d}{day.month:02d}{day.year:04d}"],
        [f"{day.year:04d}", "ArrowRight", f"{day.month:02d}{day.day:02d}"],
    ]
    for keys in orders:
        for key in keys:
            page.keyboard.press(key) if key == "ArrowRight" else page.keyboard.type(key)
        if page.input_value(f"input[name={name}]") == day.isoformat():
            return
        while page.evaluate("() => document.activeElement.name") == name:
            page.keyboard.press("Shift+Tab")
        page.keyboard.press("Tab")
    raise AssertionError(f"could not type {day} into {name}")


def _axe_violations(page, context: str) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    options = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
    results = Axe().run(page, context=context, options=options)
    return [f"{v['id']}: {[n['target'] for n in v['nodes']]}" for v in results.response["violations"]]


def _choose_file_by_space(page):
    """Space on the focused file field opens the file chooser. On a loaded machine Chromium now and then lets a
    press pass without one (the previous chooser not closed yet): press again, as a person would, three times
    at most."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for attempt in range(3):
        try:
            with page.expect_file_chooser(timeout=5_000) as chooser:
                page.keyboard.press("Space")
            return chooser.value
        except PlaywrightTimeout:
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _tab_through(page, fill, *, until: str, limit: int = 120) -> list[str]:
    """Press Tab from the top of the page until the control named ``until`` has the focus, calling
    ``fill(page, name)`` the first time each named control is reached; the names in the order reached."""
    reached: list[str] = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        name = focused["name"] or focused["id"]
        if name and name not in reached:
            reached.append(name)
            fill(page, name)
        if name == until:
            return reached
    raise AssertionError(f"Tab never reached {until} (a trap or a missing control): {reached}")


@pytest.mark.django_db(transaction=True)
def test_a_worker_files_a_claim_by_keyboard_alone(tree, browser, live_server, settings, today):
    from mutual_aid import demo
    from mutual_aid.models import Claim

    settings.ALLOWED_HOSTS = ["*"]
    # given the demo worker, covered for inpatient aid
    demo.seed(stdout=io.StringIO())
    before = set(Claim.objects.values_list("pk", flat=True))
    context, page = _open_as(browser, live_server, "worker")
    page.goto("/mutual-aid/claims/new/")
    typed = {
        "hospital": "绍兴市中心医院",
        "total_amount": "24000.00",
        "self_paid_amount": "12000.00",
        "invoice_numbers": "ZJ2026-778812",
    }

    def fill(page, name):
        if name in typed:
            page.keyboard.type(typed[name])
        elif name == "admission_date":
            _type_date(page, name, today - dt.timedelta(days=12))
        elif name == "discharge_date":
            _type_date(page, name, today - dt.timedelta(days=8))
        elif name.startswith("doc_"):
            chooser = _choose_file_by_space(page)
            chooser.set_files(files=[{"name": f"{name}.pdf", "mimeType": "application/pdf", "buffer": small_pdf(name)}])
        elif name == "consent":
            page.keyboard.press("Space")

    # when the worker tabs through the form, typing each answer, and presses Enter on "Submit claim"
    reached = _tab_through(page, fill, until="consent")
    form_fields = [n for n in reached if page.locator(f"main form [name={n}]").count()]
    for a, b in zip(form_fields, form_fields[1:], strict=False):
        assert page.evaluate(IN_DOM_ORDER, [f"main form [name={a}]", f"main form [name={b}]"]), (a, b)
    page.keyboard.press("Tab")
    assert page.evaluate(FOCUSED)["type"] == "submit"
    with page.expect_navigation():
        page.keyboard.press("Enter")

    # then the claim was filed (and Tab met the fields in the order of the page, checked above)
    assert form_fields[:4] == ["benefit", "hospital", "admission_date", "discharge_date"], reached
    assert {f"doc_{k}" for k in ("application", "id_card", "bank_card", "invoice", "settlement")} <= set(form_fields)
    new = Claim.objects.exclude(pk__in=before)
    assert new.count() == 1, page.inner_text("main")
    claim = new.get()
    assert claim.hospital == "绍兴市中心医院" and claim.documents.count() >= 6
    assert page.url.endswith(claim.get_absolute_url())
    context.close()


@pytest.mark.django_db(transaction=True)
def test_a_judge_scores_by_keyboard_and_lands_on_the_error_summary(tree, browser, live_server, settings):
    from competitions import demo
    from competitions.models import JudgeAssignment, Period, Score

    settings.ALLOWED_HOSTS = ["*"]
    # given judge1's sheet of a team in an open period
    demo.seed(stdout=io.StringIO())
    assignment = JudgeAssignment.objects.filter(judge__username="judge1", period__status=Period.Status.OPEN).first()
    criteria = list(assignment.period.campaign.criteria.all())
    context, page = _open_as(browser, live_server, "judge1")
    page.goto(f"/competitions/my/{assignment.pk}/")
    names = [f"c{c.pk}" for c in criteria]
    too_high = {names[0]: str(criteria[0].max_score + 5)}

    def fill(page, name, values):
        if name in names:
            page.keyboard.press("Control+A")
            page.keyboard.type(values.get(name, "1"))

    # when the judge types the scores, one above the maximum, and presses Enter
    reached = _tab_through(page, lambda p, n: fill(p, n, too_high), until=names[-1])
    assert [n for n in reached if n in names] == names
    with page.expect_navigation():
        page.keyboard.press("Enter")
    # then the focus is on the error summary; its link takes the focus to the score in error
    focused = page.evaluate(FOCUSED)
    assert "js-error-summary" in focused["cls"], focused
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert page.evaluate(FOCUSED)["name"] == names[0]
    assert page.get_attribute(f"#{names[0]}", "aria-invalid") == "true"
    # and the sheet in its error state passes axe's WCAG 2.1 A/AA rules (the GET pages are swept elsewhere)
    assert _axe_violations(page, "main") == []
    # when the judge corrects it and sends the sheet again
    page.keyboard.press("Control+A")
    page.keyboard.type("1")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    # then every criterion is scored
    assert Score.objects.filter(assignment=assignment).count() == len(criteria)
    context.close()


@pytest.mark.django_db(transaction=True)
def test_the_rules_editor_adds_a_band_from_the_keyboard(tree, browser, live_server, settings):
    from mutual_aid import demo
    from mutual_aid.models import Benefit

    settings.ALLOWED_HOSTS = ["*"]
    demo.seed(stdout=io.StringIO())
    benefit = Benefit.objects.filter(kind=Benefit.Kind.INPATIENT).order_by("-pk").first()
    context, page = _open_as(browser, live_server, "district_admin")
    page.goto(f"/mutual-aid/benefits/{benefit.pk}/rules/new/")
    rows = page.locator("#bands-rows > div").count()
    # when "Add a band" is reached by Tab and pressed with Enter
    for _ in range(150):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.getAttribute('data-formset-add')") == "bands":
            break
    else:
        raise AssertionError("Tab never reached the Add a band button")
    page.keyboard.press("Enter")
    # then a row is added and the focus is in it, on a labelled input
    assert page.locator("#bands-rows > div").count() == rows + 1
    focused = page.evaluate(FOCUSED)
    assert focused["name"].startswith(f"bands-{rows}-"), focused
    assert page.locator(f"label[for={focused['id']}]").count() == 1
    context.close()
