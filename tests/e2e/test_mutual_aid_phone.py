"""Mutual aid on a phone (issue 16): the disease select shows only the chosen benefit's diseases (a script: only a
browser can tell), and the estimator and the reviewer's claim page do not scroll sideways at 360 px."""

import io

import pytest

from tests.e2e.conftest import log_in
from tests.e2e.test_flows import PageErrors, watched  # noqa: F401  (the fixture)

PHONE = {"width": 360, "height": 800}
NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"


def _visible_diseases(page) -> list[str]:
    return page.eval_on_selector_all(
        "select[name=disease] option[data-benefit]", "options => options.filter(o => !o.hidden).map(o => o.value)"
    )


@pytest.mark.django_db(transaction=True)
def test_the_estimator_lists_only_the_chosen_benefits_diseases_on_a_phone(tree, watched):  # noqa: F811
    # given
    from mutual_aid import demo

    demo.seed(stdout=io.StringIO())
    page = watched.open(viewport=PHONE)
    page.goto("/mutual-aid/estimate/")
    # when
    page.select_option("select[name=benefit]", value="major_disease")
    major = _visible_diseases(page)
    page.select_option("select[name=benefit]", value="female_disease")
    female = _visible_diseases(page)
    page.select_option("select[name=disease]", value="breast_cis")
    page.click("main form [type=submit]")
    # then
    assert "cancer" in major and "breast_cis" not in major
    assert "breast_cis" in female and "cancer" not in female
    assert "2000.00" in page.inner_text("main")
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    assert "csrfmiddlewaretoken" not in page.url
    assert not watched.errors, watched.errors


@pytest.mark.django_db(transaction=True)
def test_the_reviewers_claim_page_fits_a_phone(tree, watched, settings):  # noqa: F811
    # given
    from mutual_aid import demo
    from mutual_aid.models import Claim

    demo.seed(stdout=io.StringIO())
    claim = Claim.objects.filter(status=Claim.Status.FIRST_REVIEW).first()
    page = watched.open(viewport=PHONE)
    log_in(page, "reviewer1", settings.DEMO_PASSWORD)
    # when
    page.goto(claim.get_absolute_url())
    # then: the panel, one decision open, and nothing wider than the phone
    assert page.is_visible("main form[action$='/approve/'] input[name=confirm]")
    assert not page.is_visible("main form[action$='/reject/'] textarea")
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    page.click("main details.border-danger summary")
    assert page.is_visible("main form[action$='/reject/'] textarea")
    assert not watched.errors, watched.errors
