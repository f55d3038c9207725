"""Every read of the competitions app that a view, API or another app needs."""

from decimal import Decimal

from django.db.models import Count, F, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import translation

from union_portal.scoping import get_in_scope_or_404, scope

from .models import Campaign, Criterion, Honour, JudgeAssignment, Period, Result, SafetyReport, Score, Team


def campaign_list(*, user) -> QuerySet[Campaign]:
    return scope(Campaign.objects.select_related("org"), user, include_owner=False).order_by("-year", "name")


def team_list(*, campaign: Campaign, period: Period | None = None) -> QuerySet[Team]:
    """The campaign's teams with their group and, for ``period``, their judge count."""
    qs = campaign.teams.select_related("group", "org", "enterprise")
    if period is not None:
        qs = qs.annotate(judge_count=Count("assignments", filter=Q(assignments__period=period)))
    return qs.order_by("group__name", "name")


def period_assignments(*, period: Period) -> QuerySet[JudgeAssignment]:
    return period.assignments.select_related("team", "judge").annotate(scored=Count("scores"))


def judge_assignment_list(*, user) -> QuerySet[JudgeAssignment]:
    """A judge's own assignments (never anyone else's), with how many criteria they have scored."""
    if not getattr(user, "is_authenticated", False):
        return JudgeAssignment.objects.none()
    return (
        JudgeAssignment.objects.filter(judge=user)
        .select_related("team", "team__group", "period", "period__campaign")
        .annotate(
            scored=Count("scores", distinct=True), criteria_count=Count("period__campaign__criteria", distinct=True)
        )
        .order_by("-period__starts_on", "team__name")
    )


def judge_assignment_get(*, user, pk: int) -> JudgeAssignment:
    """One of the judge's own assignments; 404 for anyone else's (same answer for missing and not yours)."""
    from django.http import Http404

    assignment = (
        JudgeAssignment.objects.filter(judge=user, pk=pk)
        .select_related("team", "team__group", "period", "period__campaign")
        .first()
        if getattr(user, "is_authenticated", False)
        else None
    )
    if assignment is None:
        raise Http404
    return assignment


def judge_progress(*, user, period: Period) -> tuple[int, int]:
    """(scored, to score) over all of the judge's assignments in the period: "12 of 18 scored"."""
    n_criteria = period.campaign.criteria.count()
    assignments = JudgeAssignment.objects.filter(judge=user, period=period)
    scored = Score.objects.filter(assignment__in=assignments).count()
    return scored, assignments.count() * n_criteria


def score_sheet(*, assignment: JudgeAssignment) -> list[tuple[Criterion, Decimal | None]]:
    """The criteria of the assignment's campaign with this judge's own scores (only theirs)."""
    own = {s.criterion_id: s.value for s in assignment.scores.all()}
    return [(c, own.get(c.pk)) for c in assignment.period.campaign.criteria.all()]


def period_results(*, period: Period) -> list[Result]:
    return list(period.results.select_related("team", "team__group", "team__org").order_by("rank"))


def released_periods(*, campaign: Campaign) -> QuerySet[Period]:
    return campaign.periods.filter(status=Period.Status.RELEASED).order_by("starts_on")


def public_campaign_list() -> QuerySet[Campaign]:
    """Campaigns with at least one released period (the public leaderboard index)."""
    return Campaign.objects.filter(periods__status=Period.Status.RELEASED).distinct().order_by("-year", "name")


def public_campaign_get(*, pk: int) -> Campaign:
    from django.http import Http404

    campaign = public_campaign_list().filter(pk=pk).first()
    if campaign is None:
        raise Http404
    return campaign


def public_team_get(*, pk: int) -> Team:
    """A team whose campaign has released results (its public page)."""
    from django.http import Http404

    team = (
        Team.objects.select_related("campaign", "group", "org")
        .filter(pk=pk, campaign__periods__status=Period.Status.RELEASED)
        .first()
    )
    if team is None:
        raise Http404
    return team


def team_history(*, team: Team) -> list[Result]:
    """The team's released results, period by period (for its chart)."""
    return list(
        team.results.filter(period__status=Period.Status.RELEASED)
        .select_related("period")
        .order_by("period__starts_on")
    )


def score_history(*, period: Period, limit: int = 200) -> list:
    """Every recorded change of the period's scores, newest first (admins only)."""
    return list(
        Score.history.filter(assignment__period=period)
        .select_related("history_user", "criterion", "assignment__team", "assignment__judge")
        .order_by("-history_date")[:limit]
    )


def safety_report_list(*, user, campaign: Campaign | None = None) -> QuerySet[SafetyReport]:
    """Staff see the reports of campaigns in their subtree; a worker sees their own."""
    qs = scope(SafetyReport.objects.select_related("team", "campaign", "reporter"), user)
    if campaign is not None:
        qs = qs.filter(campaign=campaign)
    return qs.order_by("-created_at")


def safety_report_get(*, user, pk: int) -> SafetyReport:
    return get_in_scope_or_404(SafetyReport.objects.select_related("team", "campaign", "period"), user, pk=pk)


def open_ankang_campaigns() -> QuerySet[Campaign]:
    return (
        Campaign.objects.filter(kind=Campaign.Kind.ANKANG, periods__status=Period.Status.OPEN)
        .distinct()
        .prefetch_related(Prefetch("teams", queryset=Team.objects.order_by("name")))
    )


def honour_list(*, campaign: Campaign | None = None, kind: str = "") -> QuerySet[Honour]:
    """The honour roll (public): honours of released periods and year-end citations."""
    qs = Honour.objects.select_related("campaign", "team", "team__org", "period")
    if campaign is not None:
        qs = qs.filter(campaign=campaign)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("-year", "campaign__name", "kind", "team__name")


def honours_for(
    *,
    member_ids=None,
    org_ids=None,
    enterprise_ids=None,
    since_year: int | None = None,
) -> list[dict]:
    """The competition honours of members, unions (OrgUnit ids) or enterprises, for an awards nomination.

    Each honour is a dict: title, kind, year, campaign, member_id, org_id, enterprise_id, team. With no
    filter given, nothing is returned (never the whole roll by accident)."""
    query = Q(pk__in=[])
    if member_ids:
        query |= Q(team__member_id__in=list(member_ids))
    if org_ids:
        query |= Q(team__org_id__in=list(org_ids))
    if enterprise_ids:
        query |= Q(team__enterprise_id__in=list(enterprise_ids))
    qs = Honour.objects.filter(query).select_related("campaign", "team")
    if since_year is not None:
        qs = qs.filter(year__gte=since_year)
    result = []
    with translation.override("zh-hans"):
        for honour in qs.order_by("-year", "campaign__name", "kind", "team__name"):
            team = honour.team
            result.append(
                {
                    "title": f"{honour.year}年{honour.campaign.name} {honour.get_kind_display()}"
                    if str(honour.year) not in honour.campaign.name
                    else f"{honour.campaign.name} {honour.get_kind_display()}",
                    "kind": honour.kind,
                    "year": honour.year,
                    "campaign": honour.campaign.name,
                    "member_id": team.member_id,
                    "org_id": team.org_id,
                    "enterprise_id": team.enterprise_id,
                    "team": team.name,
                }
            )
    return result


def chart_series(*, team: Team) -> dict:
    """Data for the team page chart: period names and totals of released periods."""
    history = team_history(team=team)
    return {"periods": [r.period.name for r in history], "totals": [str(r.total) for r in history]}


# --- Figures by union (read by the dashboard) ------------------------------------------------------------
# One grouped query each, for the campaigns (honours: the awards) of ``year``. Rows carry ``path``: the
# unit a team is attributed to (``team_path``); the dashboard rolls them up the tree.

HONOUR_KIND_LABELS = dict(Honour.Kind.choices)


def team_path(prefix: str = ""):
    """The path of the unit a team (``prefix`` = the lookup to it, e.g. ``"team__"``) is attributed to: its
    own union, else the contestant's union, else its enterprise's union, else the campaign's organiser."""
    return Coalesce(
        f"{prefix}org__path",
        f"{prefix}member__org__path",
        f"{prefix}enterprise__union__path",
        f"{prefix}campaign__org__path",
    )


def team_counts_by_org(*, year: int) -> QuerySet:
    """Teams entered in the year's campaigns: rows ``path``, ``n``."""
    rows = Team.objects.filter(campaign__year=year).values(path=team_path())
    return rows.annotate(n=Count("id")).order_by()


def honour_counts_by_org(*, year: int, by_kind: bool = False) -> QuerySet:
    """Honours awarded in ``year``: rows ``path``, [``key``: the kind of honour], ``n``."""
    honours = Honour.objects.filter(year=year)
    group = []
    if by_kind:
        honours, group = honours.annotate(key=F("kind")), ["key"]
    return honours.values(*group, path=team_path("team__")).annotate(n=Count("id")).order_by()


def released_score_totals_by_org(*, year: int) -> QuerySet:
    """Results released for the periods of the year's campaigns: rows ``path``, ``total`` (of their total
    scores), ``n``."""
    results = Result.objects.filter(period__status=Period.Status.RELEASED, period__campaign__year=year)
    return results.values(path=team_path("team__")).annotate(total=Sum("total"), n=Count("id")).order_by()
