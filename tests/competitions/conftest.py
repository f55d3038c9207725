"""Fixtures of the competitions tests: campaigns made through the real services."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model

from competitions import services
from competitions.models import Campaign, Team
from members.models import Enterprise
from tests import clock
from union_portal.roles import Role

# The year of the campaigns in these tests: last year, its periods wholly in the past on any test date.
YEAR = clock.last_year()


@pytest.fixture
def make_judge(tree):
    def _make(username: str):
        user, _created = get_user_model().objects.get_or_create(username=username, defaults={"full_name": username})
        user.assignments.get_or_create(role=Role.JUDGE, node=tree["SX-KQ"])
        return user

    return _make


@pytest.fixture
def merit(tree, district_admin):
    """A merit competition with two project groups and three teams (SX-KQ organises it)."""
    campaign = services.campaign_create(
        by=district_admin, org=tree["SX-KQ"], kind=Campaign.Kind.MERIT, name=f"{YEAR}年重点工程立功竞赛", year=YEAR
    )
    g1 = services.group_add(by=district_admin, campaign=campaign, name="第一项目组")
    g2 = services.group_add(by=district_admin, campaign=campaign, name="第二项目组")
    build = Enterprise.objects.get(union=tree["KQ-IND-BLD-001"])
    dyeing = Enterprise.objects.get(union=tree["KQ-HS-001"])
    teams = {
        "A": services.team_register(
            by=district_admin,
            campaign=campaign,
            group=g1,
            name="城建一标项目部",
            kind=Team.Kind.PROJECT_DEPARTMENT,
            enterprise=build,
        ),
        "B": services.team_register(
            by=district_admin,
            campaign=campaign,
            group=g1,
            name="华舍印染技改项目部",
            kind=Team.Kind.CONTRACTOR,
            enterprise=dyeing,
        ),
        "C": services.team_register(
            by=district_admin,
            campaign=campaign,
            group=g2,
            name="齐贤化纤扩建项目部",
            kind=Team.Kind.PROJECT_DEPARTMENT,
            org=tree["KQ-QX-001"],
        ),
    }
    return campaign, teams


def score_all(*, judge, assignment, value) -> None:
    """The judge gives ``value`` on every criterion (a dict code -> value overrides single criteria)."""
    criteria = assignment.period.campaign.criteria.all()
    if isinstance(value, dict):
        values = {c.pk: value.get(c.code, value.get("*")) for c in criteria}
    else:
        values = {c.pk: Decimal(value) for c in criteria}
    services.scores_submit(by=judge, assignment=assignment, values=values)


@pytest.fixture
def scored_period(merit, district_admin, judge1, judge2):
    """Q1 of the merit competition: judge1 and judge2 have scored every team."""
    campaign, teams = merit
    period = campaign.periods.order_by("starts_on").first()
    marks = {"A": (90, 86), "B": (80, 84), "C": (70, 78)}
    for key, team in teams.items():
        for judge, mark in zip((judge1, judge2), marks[key], strict=True):
            assignment = services.judge_assign(by=district_admin, period=period, team=team, judge=judge)
            score_all(judge=judge, assignment=assignment, value=mark)
    return period
