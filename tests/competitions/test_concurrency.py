"""Races that matter, against PostgreSQL with real threads: a contestant entered once, no score after a close."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from competitions import services
from competitions.models import JudgeAssignment, Period, Score, Team
from members.models import Member
from tests.races import run_together

from .conftest import YEAR

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_a_member_entered_twice_at_once_is_entered_once(tree, district_admin, worker):
    campaign = services.campaign_create(by=district_admin, org=tree["SX-KQ"], kind="skills", name="金梭奖", year=YEAR)
    trade = services.group_add(by=district_admin, campaign=campaign, name="挡车工")
    member = Member.objects.get(user=worker)

    def enter():
        return services.contestant_enter(by=district_admin, campaign=campaign, trade=trade, member=member)

    outcomes = run_together(enter, enter)
    assert Team.objects.filter(campaign=campaign, member=member).count() == 1
    assert sum(isinstance(o, ValidationError) for o in outcomes) == 1


def test_scores_and_a_close_at_once_never_leave_a_score_outside_the_results(merit, district_admin, judge1):
    campaign, teams = merit
    period = campaign.periods.first()
    assignment = services.judge_assign(by=district_admin, period=period, team=teams["A"], judge=judge1)
    criteria = list(campaign.criteria.all())
    services.scores_submit(by=judge1, assignment=assignment, values={c.pk: "80" for c in criteria})

    def revise():
        return services.scores_submit(by=judge1, assignment=assignment, values={c.pk: "90" for c in criteria})

    def close():
        return services.period_close(by=district_admin, period=period)

    run_together(revise, close)
    result = Period.objects.get(pk=period.pk).results.get()
    stored = set(Score.objects.filter(assignment=assignment).values_list("value", flat=True))
    assert len(stored) == 1
    # the results were computed from the scores that are stored: either both 80 or both 90
    assert result.total == stored.pop()


def test_scoring_locks_the_period_then_the_assignment(
    merit, district_admin, judge1, django_capture_on_commit_callbacks
):
    from django.test.utils import CaptureQueriesContext

    campaign, teams = merit
    assignment = services.judge_assign(
        by=district_admin, period=campaign.periods.first(), team=teams["A"], judge=judge1
    )
    with CaptureQueriesContext(connection) as ctx:
        services.scores_submit(by=judge1, assignment=assignment, values={campaign.criteria.first().pk: Decimal("70")})
    locks = [q["sql"] for q in ctx.captured_queries if "FOR UPDATE" in q["sql"]]
    assert "competitions_period" in locks[0] and "competitions_judgeassignment" in locks[1]
    assert JudgeAssignment.objects.count() == 1
