"""Competitions in words (issue 16): criteria by name with percent weights, half-years, judges by name."""

from competitions import services
from competitions.forms import AssignForm
from competitions.models import Campaign
from tests.test_words_crawl import visible_text

YEAR = 2026


def test_a_trades_own_weights_are_shown_by_criterion_name_in_percent(tree, login, district_admin):
    # given a skills contest whose dyeing trade weighs theory 40 / practical 60
    campaign = services.campaign_create(
        by=district_admin, org=tree["SX-KQ"], kind=Campaign.Kind.SKILLS, name="技能竞赛", year=YEAR
    )
    services.group_add(by=district_admin, campaign=campaign, name="印染工", weights={"theory": 40, "practical": 60})
    # when the admin opens the campaign
    page = visible_text(login(district_admin).get(f"/competitions/{campaign.pk}/").content.decode())
    # then the weights are named by the criteria
    assert "理论 40% / 实操 60%" in page and "theory" not in page and "practical" not in page


def test_half_year_periods_are_named_first_and_second_half(tree, district_admin):
    # when a half-yearly campaign is created in Chinese
    from django.utils import translation

    with translation.override("zh-hans"):
        campaign = services.campaign_create(
            by=district_admin,
            org=tree["SX-KQ"],
            kind=Campaign.Kind.MERIT,
            name="立功竞赛",
            year=YEAR,
            period_kind=Campaign.PeriodKind.HALF_YEAR,
        )
    # then its periods are 上半年 and 下半年
    assert list(campaign.periods.order_by("starts_on").values_list("name", flat=True)) == ["上半年", "下半年"]


def test_judges_are_offered_by_their_names(tree, merit, judge1):
    # given the judge assignment form of a period
    campaign, _teams = merit
    form = AssignForm(campaign=campaign)
    # then each judge is offered by name, not as "username (username)"
    labels = [label for _value, label in form.fields["judge"].choices]
    assert "评委王建国" in labels and not any("judge1" in str(label) for label in labels)
