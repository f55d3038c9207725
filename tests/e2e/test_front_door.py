"""Issue 16 [Front door] in headless Chromium, anonymous, zh-CN, on a phone: every link of the front page opens
(200, no console error, no CSP violation), and the public leaderboard and award notice have no horizontal
scroll at 360 px wide (cards on a phone instead of tables)."""

import pytest
from django.urls import reverse

from awards import services as award_services
from competitions import services as competition_services
from tests.awards.conftest import _media_in_tmp, award_round, nominate  # noqa: F401  (fixtures)
from tests.competitions.conftest import merit, scored_period  # noqa: F401  (fixtures)
from tests.e2e.test_flows import PageErrors

PHONE = {"width": 390, "height": 844}
NARROW = {"width": 360, "height": 740}


@pytest.fixture
def watched(new_page):
    return PageErrors(new_page)


# What sticks out on the right, to say why a page scrolls sideways.
WIDER_THAN_THE_SCREEN = """() => [...document.querySelectorAll("body *")]
  .filter(el => el.getBoundingClientRect().right > window.innerWidth + 0.5)
  .slice(0, 10).map(el => el.tagName + "." + el.className)"""


def _no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.django_db(transaction=True)
def test_every_link_of_the_front_page_opens_on_a_phone(tree, watched, shot):
    # given an anonymous visitor on a phone
    page = watched.open(viewport=PHONE)
    page.goto("/")
    shot(page, "front-page")
    hrefs = page.eval_on_selector_all("main a.card", "els => els.map(e => e.getAttribute('href'))")
    # then every tile is there and (but sign-up, built beside this work) leads somewhere
    assert (
        len(hrefs) == 11
    )  # the apps' public pages (labour's harmonious-enterprise notices and list among them), log in, sign up
    assert [h for h in hrefs if h == "#"] in ([], ["#"])
    for href in [h for h in hrefs if h != "#"] + [reverse("terms"), reverse("privacy")]:
        response = page.goto(href)
        assert response is not None and response.status == 200, href
        assert _no_horizontal_scroll(page), (href, page.evaluate(WIDER_THAN_THE_SCREEN))
    # and the log-in link of the navbar is there on a phone
    page.goto(reverse("awards:public_notices"))
    assert page.is_visible("nav >> text=登录")
    assert watched.errors == [], watched.errors


@pytest.mark.django_db(transaction=True)
def test_the_public_leaderboard_fits_a_360_px_phone(
    tree,
    district_admin,
    scored_period,  # noqa: F811
    watched,
    shot,
):
    # given a released period
    competition_services.period_close(by=district_admin, period=scored_period)
    competition_services.period_release(by=district_admin, period=scored_period)
    page = watched.open(viewport=NARROW)
    # when
    page.goto(reverse("competitions:leaderboard", args=[scored_period.campaign_id]))
    shot(page, "leaderboard-360")
    # then cards (rank, team, total), no table, no horizontal scroll
    assert page.is_visible(".results-cards >> text=城建一标项目部")
    assert not page.is_visible("table")
    assert _no_horizontal_scroll(page), page.evaluate(WIDER_THAN_THE_SCREEN)
    assert watched.errors == [], watched.errors


@pytest.mark.django_db(transaction=True)
def test_the_public_award_notice_fits_a_360_px_phone(
    tree,
    handler,
    huashe_staff,
    district_admin,
    make_member,
    nominate,  # noqa: F811
    award_round,  # noqa: F811
    today,
    watched,
    shot,
):
    # given a round on notice
    nomination = nominate(handler, make_member(tree["KQ-HS-001"], name="李娟", sex="F", is_migrant=True), today=today)
    award_services.nomination_review(by=huashe_staff, nomination=nomination, decision="pass")
    award_services.nomination_review(by=district_admin, nomination=nomination, decision="pass")
    award_services.round_start_notice(by=district_admin, round_=award_round, starts_on=today)
    page = watched.open(viewport=NARROW)
    # when
    page.goto(reverse("awards:public_notice", args=[award_round.pk]))
    shot(page, "notice-360")
    # then
    assert page.is_visible("main .card >> text=李娟")
    assert not page.is_visible("table")
    assert _no_horizontal_scroll(page), page.evaluate(WIDER_THAN_THE_SCREEN)
    assert watched.errors == [], watched.errors
