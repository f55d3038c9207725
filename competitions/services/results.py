"""Results: closing a period (ranks), releasing it (honours), reopening it; the annual ranking and the year-end
award."""

from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from union_portal.audit import audit_record
from union_portal.models import User

from .. import locks, ranking
from ..models import Campaign, Group, Honour, JudgeAssignment, Period, Result, SafetyReport, Score, Team
from ._common import _require_manager


def _rank_period(period: Period) -> list[tuple[ranking.Ranked, int]]:
    campaign = period.campaign
    criteria = list(campaign.criteria.all())
    specs = [
        ranking.CriterionSpec(key=str(c.pk), weight=c.weight, max_score=c.max_score, code=c.code) for c in criteria
    ]
    per_team: dict[int, dict[str, list[Decimal]]] = defaultdict(lambda: defaultdict(list))
    for team_id, criterion_id, value in Score.objects.filter(assignment__period=period).values_list(
        "assignment__team_id", "criterion_id", "value"
    ):
        per_team[team_id][str(criterion_id)].append(value)
    bonus: dict[int, Decimal] = defaultdict(Decimal)
    for team_id, points in SafetyReport.objects.filter(period=period, status=SafetyReport.Status.ADOPTED).values_list(
        "team_id", "points"
    ):
        bonus[team_id] += points
    teams = {t.pk: t for t in Team.objects.filter(pk__in=set(per_team) | set(bonus))}
    by_group: dict[int, list[ranking.Entry]] = defaultdict(list)
    entries = []
    key_of = {c.code: str(c.pk) for c in criteria}
    group_weights = {g.pk: g.weights for g in Group.objects.filter(campaign=campaign).exclude(weights={})}
    for team in teams.values():
        own = group_weights.get(team.group_id) or {}
        entry = ranking.Entry(
            weights={key_of[code]: Decimal(w) for code, w in own.items() if code in key_of},
            team_id=team.pk,
            scores={k: list(v) for k, v in per_team.get(team.pk, {}).items()},
            tie_breaker=team.tie_breaker,
            vetoed=team.serious_accident,
            bonus=bonus.get(team.pk, Decimal(0)),
        )
        entries.append(entry)
        by_group[team.group_id].append(entry)
    group_rank = {}
    for group_entries in by_group.values():
        for row in ranking.rank(group_entries, specs):
            group_rank[row.team_id] = row.rank
    return [(row, group_rank[row.team_id]) for row in ranking.rank(entries, specs)]


@transaction.atomic
def period_close(*, by: User, period: Period) -> list[Result]:
    """Close an open period: no more scoring; compute the results for the admin to check. Refused while an
    assigned judge has not scored every criterion. Locks the period row."""
    _require_manager(by, period.campaign)
    period = locks.period_for_update(period.pk, with_campaign=True)
    if period.status != Period.Status.OPEN:
        raise ValidationError(_("Only an open period can be closed."))
    n_criteria = period.campaign.criteria.count()
    if n_criteria == 0:
        raise ValidationError(_("The campaign has no criteria."))
    incomplete = [
        str(a)
        for a in JudgeAssignment.objects.filter(period=period)
        .select_related("team", "judge", "period")
        .annotate(scored=Count("scores"))
        .filter(scored__lt=n_criteria)
    ]
    if incomplete:
        raise ValidationError(
            _("Not every judge has finished scoring: %(list)s. Wait for them or remove the assignment.")
            % {"list": "；".join(incomplete[:10])}
        )
    rows = _rank_period(period)
    period.results.all().delete()
    results = [
        Result.objects.create(
            period=period,
            team_id=row.team_id,
            total=row.total,
            bonus=row.bonus,
            rank=row.rank,
            group_rank=grank,
            means={k: str(v) for k, v in row.means.items()},
            judge_count=row.judge_count,
            vetoed=row.vetoed,
            tie_note=row.tie_note,
        )
        for row, grank in rows
    ]
    period.status = Period.Status.CLOSED
    period.closed_at = timezone.now()
    period.save(update_fields=["status", "closed_at"])
    audit_record(actor=by, action="competitions.period_close", obj=period, detail={"teams": len(results)})
    return results


def _eligible_positions(results: list[Result]) -> dict[int, int]:
    """team id -> position among the honour-eligible (not vetoed) results, in the given order."""
    positions: dict[int, int] = {}
    for result in results:
        if not result.vetoed and not result.team.serious_accident:
            positions[result.team_id] = len(positions) + 1
    return positions


def _award(campaign: Campaign, period: Period | None, team: Team, kind: str, group_name: str = "") -> Honour:
    honour, _created = Honour.objects.get_or_create(
        campaign=campaign,
        period=period,
        team=team,
        kind=kind,
        defaults={"year": campaign.year, "group_name": group_name},
    )
    return honour


def _award_period_honours(period: Period) -> list[Honour]:
    campaign = period.campaign
    results = list(period.results.select_related("team", "team__group").order_by("rank"))
    honours = []
    by_group: dict[int, list[Result]] = defaultdict(list)
    for result in results:
        by_group[result.team.group_id].append(result)
    bands = [(k, int(n)) for k, n in campaign.honour_bands]
    if campaign.kind == Campaign.Kind.MERIT:
        for group_results in by_group.values():
            positions = _eligible_positions(group_results)
            for result in group_results:
                if positions.get(result.team_id) == 1:
                    honours.append(_award(campaign, period, result.team, Honour.Kind.RED_FLAG, result.team.group.name))
    elif campaign.kind == Campaign.Kind.SKILLS:
        for group_results in by_group.values():
            positions = _eligible_positions(group_results)
            for result in group_results:
                pos = positions.get(result.team_id)
                if pos is None:
                    continue
                trade = result.team.group.name
                prize = ranking.band_for(pos, bands)
                if prize:
                    honours.append(_award(campaign, period, result.team, prize, trade))
                    if prize in {"prize_1", "prize_2", "prize_3"}:
                        honours.append(_award(campaign, period, result.team, Honour.Kind.CRAFTSMAN, trade))
                if pos == 1:
                    honours.append(_award(campaign, period, result.team, Honour.Kind.GOLDEN_SHUTTLE, trade))
                elif pos == 2:
                    honours.append(_award(campaign, period, result.team, Honour.Kind.SILVER_SHUTTLE, trade))
    else:
        positions = _eligible_positions(results)
        for result in results:
            pos = positions.get(result.team_id)
            kind = ranking.band_for(pos, bands) if pos else None
            if kind:
                honours.append(_award(campaign, period, result.team, kind, result.team.group.name))
    return honours


@transaction.atomic
def period_release(*, by: User, period: Period) -> list[Honour]:
    """The admin has checked the results: publish them (leaderboard, export, team pages) and give the
    period's honours (流动红旗 per project group; skills prizes, 金梭奖/银梭奖 and the craftsman register;
    安康杯 winners). Vetoed teams are skipped."""
    _require_manager(by, period.campaign)
    period = locks.period_for_update(period.pk, with_campaign=True)
    if period.status != Period.Status.CLOSED:
        raise ValidationError(_("Only a closed period whose results were checked can be released."))
    period.status = Period.Status.RELEASED
    period.released_at = timezone.now()
    period.save(update_fields=["status", "released_at"])
    honours = _award_period_honours(period)
    audit_record(
        actor=by,
        action="competitions.period_release",
        obj=period,
        detail={"honours": [[h.team_id, h.kind] for h in honours]},
    )
    return honours


@transaction.atomic
def period_reopen(*, by: User, period: Period, reason: str) -> Period:
    """Reopen a closed or released period (the only way released results change): results and the period's
    honours are withdrawn, judges may revise again. Audited with the reason."""
    _require_manager(by, period.campaign)
    period = locks.period_for_update(period.pk, with_campaign=True)
    if period.status == Period.Status.OPEN:
        raise ValidationError(_("The period is already open."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for reopening.")})
    previous = period.status
    withdrawn = list(period.honours.values_list("team_id", "kind"))
    results = list(period.results.values_list("team_id", "rank", "total"))
    period.honours.all().delete()
    period.results.all().delete()
    period.status = Period.Status.OPEN
    period.closed_at = None
    period.released_at = None
    period.save(update_fields=["status", "closed_at", "released_at"])
    audit_record(
        actor=by,
        action="competitions.period_reopen",
        obj=period,
        detail={
            "reason": reason.strip(),
            "previous_status": previous,
            "withdrawn_honours": [list(h) for h in withdrawn],
            "results": [[t, r, str(total)] for t, r, total in results],
        },
    )
    return period


def annual_ranking(campaign: Campaign) -> list[ranking.Ranked]:
    """The year's standing of a merit competition: each team's mean over the released periods of its
    period totals and its safety and quality means, ranked with the same tie rules."""
    criteria = list(campaign.criteria.all())
    totals: dict[int, list[Decimal]] = defaultdict(list)
    code_means: dict[int, dict[str, list[Decimal]]] = defaultdict(lambda: defaultdict(list))
    code_of = {str(c.pk): c.code for c in criteria}
    for result in Result.objects.filter(period__campaign=campaign, period__status=Period.Status.RELEASED):
        totals[result.team_id].append(result.total)
        for key, mean in result.means.items():
            code_means[result.team_id][code_of.get(key, "")].append(Decimal(mean))
    teams = {t.pk: t for t in Team.objects.filter(pk__in=totals)}
    specs = [
        ranking.CriterionSpec(key="total", weight=Decimal(100), max_score=Decimal(100)),
        ranking.CriterionSpec(key="safety", weight=Decimal(0), max_score=Decimal(100), code="safety"),
        ranking.CriterionSpec(key="quality", weight=Decimal(0), max_score=Decimal(100), code="quality"),
    ]
    entries = [
        ranking.Entry(
            team_id=team_id,
            scores={
                "total": [sum(values, Decimal(0)) / len(values)],
                "safety": [sum(code_means[team_id]["safety"], Decimal(0)) / len(code_means[team_id]["safety"])]
                if code_means[team_id]["safety"]
                else [],
                "quality": [sum(code_means[team_id]["quality"], Decimal(0)) / len(code_means[team_id]["quality"])]
                if code_means[team_id]["quality"]
                else [],
            },
            tie_breaker=teams[team_id].tie_breaker,
            vetoed=teams[team_id].serious_accident,
        )
        for team_id, values in totals.items()
    ]
    return ranking.rank(entries, specs)


@transaction.atomic
def year_end_award(*, by: User, campaign: Campaign) -> list[Honour]:
    """Year-end merit citations (一/二/三等功) by the campaign's rank bands over the released periods.
    Rerunning replaces the previous year-end citations (audited). Vetoed teams take none."""
    _require_manager(by, campaign)
    campaign = locks.campaign_for_update(campaign.pk)
    if campaign.kind != Campaign.Kind.MERIT:
        raise ValidationError(_("Year-end citations belong to a merit competition."))
    if not Period.objects.filter(campaign=campaign, status=Period.Status.RELEASED).exists():
        raise ValidationError(_("No period has released results yet."))
    previous = list(Honour.objects.filter(campaign=campaign, period__isnull=True).values_list("team_id", "kind"))
    Honour.objects.filter(campaign=campaign, period__isnull=True).delete()
    bands = [(k, int(n)) for k, n in campaign.honour_bands]
    teams = {t.pk: t for t in campaign.teams.select_related("group")}
    honours = []
    position = 0
    for row in annual_ranking(campaign):
        if row.vetoed:
            continue
        position += 1
        kind = ranking.band_for(position, bands)
        if kind:
            team = teams[row.team_id]
            honours.append(_award(campaign, None, team, kind, team.group.name))
    audit_record(
        actor=by,
        action="competitions.year_end_award",
        obj=campaign,
        detail={"previous": [list(p) for p in previous], "awarded": [[h.team_id, h.kind] for h in honours]},
    )
    return honours
