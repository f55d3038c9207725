"""Factories of competitions: campaigns (their criteria and periods come with ``campaign_create``), groups,
teams, judges and their assignments, scores (with their history), results, honours and Ankang Cup reports,
all through the competition services. Campaigns are of last year unless a test asks otherwise."""

from decimal import Decimal

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from competitions.models import (
    Campaign,
    Criterion,
    Group,
    Honour,
    JudgeAssignment,
    JudgeProfile,
    Period,
    Result,
    SafetyReport,
    Score,
    Team,
)
from union_portal.models import OrgUnit
from union_portal.roles import Role

from .core import DistrictFactory, GrassrootsUnionFactory, RoleAssignmentFactory, UserFactory, district_admin_of
from .members import MemberFactory

HistoricalScore = Score.history.model


def _admin(campaign: Campaign):
    return district_admin_of(campaign.org)


class CampaignFactory(DjangoModelFactory):
    """A district's key-project merit competition of last year (quarterly), through ``campaign_create``."""

    class Meta:
        model = Campaign

    org = factory.SubFactory(DistrictFactory)
    kind = Campaign.Kind.MERIT
    name = factory.Sequence(lambda n: f"重点工程立功竞赛{n}")
    year = factory.LazyFunction(lambda: timezone.localdate().year - 1)

    @classmethod
    def _create(cls, model_class, *, org, **fields):
        from competitions import services

        return services.campaign_create(by=district_admin_of(org), org=org, **fields)


class CriterionFactory(DjangoModelFactory):
    """The first criterion of a new campaign's template."""

    class Meta:
        model = Criterion

    campaign = factory.SubFactory(CampaignFactory)

    @classmethod
    def _create(cls, model_class, *, campaign):
        return campaign.criteria.order_by("order").first()


class PeriodFactory(DjangoModelFactory):
    """The first period of a new campaign."""

    class Meta:
        model = Period

    campaign = factory.SubFactory(CampaignFactory)

    @classmethod
    def _create(cls, model_class, *, campaign):
        return campaign.periods.order_by("starts_on").first()


class GroupFactory(DjangoModelFactory):
    """A project group, through ``group_add``."""

    class Meta:
        model = Group

    campaign = factory.SubFactory(CampaignFactory)
    name = factory.Sequence(lambda n: f"第{n}项目组")

    @classmethod
    def _create(cls, model_class, *, campaign, name):
        from competitions import services

        return services.group_add(by=_admin(campaign), campaign=campaign, name=name)


class TeamFactory(DjangoModelFactory):
    """A project department of a grassroots union in the campaign's district, through ``team_register``."""

    class Meta:
        model = Team

    group = factory.SubFactory(GroupFactory)
    name = factory.Sequence(lambda n: f"城建{n}标项目部")
    kind = Team.Kind.PROJECT_DEPARTMENT
    org = factory.LazyAttribute(lambda o: GrassrootsUnionFactory(parent=o.group.campaign.org))

    @classmethod
    def _create(cls, model_class, *, group, **fields):
        from competitions import services

        campaign = group.campaign
        return services.team_register(by=_admin(campaign), campaign=campaign, group=group, **fields)


class ContestantFactory(TeamFactory):
    """A member entered in a skills contest for a trade, through ``contestant_enter``."""

    group = factory.SubFactory(GroupFactory, campaign=factory.SubFactory(CampaignFactory, kind=Campaign.Kind.SKILLS))
    member = factory.LazyAttribute(lambda o: MemberFactory(org=GrassrootsUnionFactory(parent=o.group.campaign.org)))

    @classmethod
    def _create(cls, model_class, *, group, member, **fields):
        from competitions import services

        campaign = group.campaign
        return services.contestant_enter(by=_admin(campaign), campaign=campaign, trade=group, member=member)


def new_judge(node: OrgUnit):
    """A new account holding the judge role at ``node``."""
    return RoleAssignmentFactory(role=Role.JUDGE, node=node, user=UserFactory()).user


class JudgeProfileFactory(DjangoModelFactory):
    """Where a judge works (a grassroots union), through ``judge_profile_set``."""

    class Meta:
        model = JudgeProfile

    org = factory.SubFactory(GrassrootsUnionFactory)
    user = factory.LazyAttribute(lambda o: new_judge(o.org))
    title = "高级工程师"

    @classmethod
    def _create(cls, model_class, *, org, user, title):
        from competitions import services

        return services.judge_profile_set(by=district_admin_of(org), judge=user, org=org, enterprise=None, title=title)


class JudgeAssignmentFactory(DjangoModelFactory):
    """A judge (of the campaign's district, working nowhere near the team) assigned to a team for the
    campaign's first period, through ``judge_assign``."""

    class Meta:
        model = JudgeAssignment

    team = factory.SubFactory(TeamFactory)
    period = factory.LazyAttribute(lambda o: o.team.campaign.periods.order_by("starts_on").first())
    judge = factory.LazyAttribute(lambda o: new_judge(o.team.campaign.org))

    @classmethod
    def _create(cls, model_class, *, team, period, judge):
        from competitions import services

        return services.judge_assign(by=_admin(team.campaign), period=period, team=team, judge=judge)


class ScoreFactory(DjangoModelFactory):
    """A judge's scores of every criterion (``value`` each), through ``scores_submit``; returns the first."""

    class Meta:
        model = Score

    assignment = factory.SubFactory(JudgeAssignmentFactory)
    value = Decimal("8")

    @classmethod
    def _create(cls, model_class, *, assignment, value):
        from competitions import services

        criteria = assignment.period.campaign.criteria.all()
        values = {c.pk: min(value, c.max_score) for c in criteria}
        services.scores_submit(by=assignment.judge, assignment=assignment, values=values)
        return assignment.scores.order_by("criterion__order").first()


class HistoricalScoreFactory(DjangoModelFactory):
    """The history row a new score leaves (django-simple-history)."""

    class Meta:
        model = HistoricalScore

    score = factory.SubFactory(ScoreFactory)

    @classmethod
    def _create(cls, model_class, *, score):
        return score.history.first()


def scored_period() -> Period:
    """The first period of a new campaign with one team fully scored by one judge."""
    score = ScoreFactory()
    return score.assignment.period


class ResultFactory(DjangoModelFactory):
    """A team's result of a period closed with ``period_close``."""

    class Meta:
        model = Result

    period = factory.LazyFunction(scored_period)

    @classmethod
    def _create(cls, model_class, *, period):
        from competitions import services

        return services.period_close(by=_admin(period.campaign), period=period)[0]


class HonourFactory(DjangoModelFactory):
    """The red flag of a period's released results (``period_close``, ``period_release``)."""

    class Meta:
        model = Honour

    period = factory.LazyFunction(scored_period)

    @classmethod
    def _create(cls, model_class, *, period):
        from competitions import services

        by = _admin(period.campaign)
        services.period_close(by=by, period=period)
        return services.period_release(by=by, period=period)[0]


class SafetyReportFactory(DjangoModelFactory):
    """A worker's hazard report for a unit of this year's Ankang Cup, through ``safety_report_submit``."""

    class Meta:
        model = SafetyReport

    team = factory.SubFactory(
        TeamFactory,
        kind=Team.Kind.UNIT,
        group=factory.SubFactory(
            GroupFactory,
            campaign=factory.SubFactory(
                CampaignFactory, kind=Campaign.Kind.ANKANG, year=factory.LazyFunction(lambda: timezone.localdate().year)
            ),
        ),
    )
    by = factory.LazyAttribute(lambda o: MemberFactory(org=o.team.org, user=UserFactory()).user)
    kind = SafetyReport.Kind.HAZARD
    title = "车间消防通道堆放杂物"
    description = "三号车间东侧消防通道堆放布匹，影响疏散。"

    @classmethod
    def _create(cls, model_class, *, team, **fields):
        from competitions import services

        return services.safety_report_submit(campaign=team.campaign, team=team, **fields)
