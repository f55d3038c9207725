"""Every write of the competitions app. Each state change checks it is allowed and writes the audit log."""

import datetime as dt
from collections import defaultdict
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import Enterprise, Member
from union_portal import tree
from union_portal.audit import audit_record
from union_portal.models import OrgUnit, User
from union_portal.money import round_fen
from union_portal.notifications import notify
from union_portal.roles import ADMIN_ROLES, Role, role_holders
from union_portal.scoping import has_role, roles_at
from union_portal.scores import SCORE_STEP
from union_portal.uploads import check_upload

from . import locks, ranking
from .models import (
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
from .permissions import can_manage

# Defaults of DOMAIN.md; each campaign gets a copy the admin may edit.
TEMPLATES: dict[str, list[tuple[str, str, int, int]]] = {
    # code, name, weight, max score
    Campaign.Kind.MERIT: [
        ("quality", "比质量", 20, 100),
        ("safety", "比安全", 20, 100),
        ("schedule", "比进度", 20, 100),
        ("efficiency", "比效益", 15, 100),
        ("innovation", "比创新", 15, 100),
        ("clean", "比廉洁", 10, 100),
    ],
    Campaign.Kind.SKILLS: [("theory", "理论", 30, 100), ("practical", "实操", 70, 100)],
    # the 100-point sheet: a judge gives up to the criterion's points, which are also its weight
    Campaign.Kind.ANKANG: [
        ("organisation", "组织领导", 20, 20),
        ("content", "活动内容", 50, 50),
        ("effect", "活动成效", 30, 30),
    ],
}
DEFAULT_BANDS: dict[str, list[list]] = {
    Campaign.Kind.MERIT: [["merit_1", 1], ["merit_2", 3], ["merit_3", 6]],
    Campaign.Kind.SKILLS: [["prize_1", 1], ["prize_2", 3], ["prize_3", 6], ["prize_excellent", 10]],
    Campaign.Kind.ANKANG: [["ankang_winner", 3]],
}
BAND_KINDS: dict[str, set[str]] = {
    Campaign.Kind.MERIT: {"merit_1", "merit_2", "merit_3"},
    Campaign.Kind.SKILLS: {"prize_1", "prize_2", "prize_3", "prize_excellent"},
    Campaign.Kind.ANKANG: {"ankang_winner"},
}
PERIODS_PER_YEAR: dict[str, int] = {
    Campaign.PeriodKind.QUARTERLY: 4,
    Campaign.PeriodKind.HALF_YEAR: 2,
    Campaign.PeriodKind.MONTHLY: 12,
    Campaign.PeriodKind.SINGLE: 1,
}


def _num(value: Decimal) -> str:
    """A decimal for messages: 100, 12.5 (no exponent, no trailing zeros)."""
    return f"{Decimal(value).normalize():f}"


def _require_manager(user, campaign: Campaign) -> None:
    if not can_manage(user, campaign):
        raise PermissionDenied


def _period_names(kind: str, year: int) -> list[tuple[str, dt.date, dt.date]]:
    count = PERIODS_PER_YEAR[kind]
    months = 12 // count
    result = []
    for i in range(count):
        start = dt.date(year, i * months + 1, 1)
        end_month = (i + 1) * months
        end = dt.date(year, 12, 31) if end_month == 12 else dt.date(year, end_month + 1, 1) - dt.timedelta(days=1)
        if kind == Campaign.PeriodKind.QUARTERLY:
            name = _("Q%(n)s") % {"n": i + 1}
        elif kind == Campaign.PeriodKind.HALF_YEAR:
            name = _("H%(n)s") % {"n": i + 1}
        elif kind == Campaign.PeriodKind.MONTHLY:
            name = _("Month %(n)s") % {"n": i + 1}
        else:
            name = _("Final")
        result.append((name, start, end))
    return result


@transaction.atomic
def campaign_create(
    *, by: User, org: OrgUnit, kind: str, name: str, year: int, period_kind: str = "", description: str = ""
) -> Campaign:
    """Create a campaign with its kind's criteria template, honour bands and scoring periods (default
    quarterly for a merit competition, one round otherwise). Only an admin of ``org`` may."""
    if not (roles_at(by, org) & ADMIN_ROLES):
        raise PermissionDenied
    if kind not in Campaign.Kind.values:
        raise ValidationError({"kind": _("Unknown campaign type.")})
    if not period_kind:
        period_kind = Campaign.PeriodKind.QUARTERLY if kind == Campaign.Kind.MERIT else Campaign.PeriodKind.SINGLE
    campaign = Campaign.objects.create(
        org=org,
        kind=kind,
        name=name,
        year=year,
        period_kind=period_kind,
        description=description,
        honour_bands=DEFAULT_BANDS[kind],
        created_by=by,
    )
    for order, (code, cname, weight, max_score) in enumerate(TEMPLATES[kind]):
        Criterion.objects.create(
            campaign=campaign, code=code, name=cname, weight=Decimal(weight), max_score=Decimal(max_score), order=order
        )
    for pname, start, end in _period_names(period_kind, year):
        Period.objects.create(campaign=campaign, name=pname, starts_on=start, ends_on=end)
    audit_record(actor=by, action="competitions.campaign_create", obj=campaign, detail={"kind": kind, "year": year})
    return campaign


@transaction.atomic
def criteria_update(*, by: User, campaign: Campaign, rows: list[dict]) -> list[Criterion]:
    """Replace the score sheet. Weights must sum to 100, codes be unique, maxima positive. Refused once any
    score has been given (the sheet would no longer match the scores)."""
    _require_manager(by, campaign)
    campaign = locks.campaign_for_update(campaign.pk)
    if Score.objects.filter(criterion__campaign=campaign).exists():
        raise ValidationError(_("Scores have been given on this sheet; the criteria can no longer change."))
    errors = []
    codes = [r["code"] for r in rows]
    if not rows:
        errors.append(_("The sheet needs at least one criterion."))
    if len(set(codes)) != len(codes):
        errors.append(_("Each criterion needs its own code."))
    total = sum((Decimal(r["weight"]) for r in rows), Decimal(0))
    if total != Decimal(100):
        errors.append(_("The weights add up to %(total)s; they must add up to 100.") % {"total": _num(total)})
    if any(Decimal(r["max_score"]) <= 0 for r in rows) or any(Decimal(r["weight"]) < 0 for r in rows):
        errors.append(_("Maximum scores must be above 0 and weights not negative."))
    if errors:
        raise ValidationError(errors)
    before = list(campaign.criteria.values("code", "name", "weight", "max_score"))
    campaign.criteria.all().delete()
    created = [
        Criterion.objects.create(
            campaign=campaign,
            code=r["code"],
            name=r["name"],
            weight=Decimal(r["weight"]),
            max_score=Decimal(r["max_score"]),
            order=i,
        )
        for i, r in enumerate(rows)
    ]
    codes_now = set(codes)
    cleared = []
    for group in campaign.groups.exclude(weights={}):
        if set(group.weights) != codes_now:  # a trade's own weights no longer fit the sheet
            cleared.append(group.name)
            group.weights = {}
            group.save(update_fields=["weights"])
    audit_record(
        actor=by,
        action="competitions.criteria_update",
        obj=campaign,
        detail={
            "before": [{k: str(v) for k, v in b.items()} for b in before],
            "after": [{k: str(v) for k, v in r.items()} for r in rows],
            "group_weights_cleared": cleared,
        },
    )
    return created


@transaction.atomic
def bands_update(*, by: User, campaign: Campaign, bands: list[tuple[str, int]]) -> Campaign:
    """Set the honour rank bands (cumulative last ranks, increasing)."""
    _require_manager(by, campaign)
    allowed = BAND_KINDS[campaign.kind]
    last = 0
    for kind, upto in bands:
        if kind not in allowed:
            raise ValidationError(_("Unknown honour for this campaign."))
        if int(upto) < last:
            raise ValidationError(_("Each band must end at or after the one before it."))
        last = int(upto)
    before = campaign.honour_bands
    campaign.honour_bands = [[k, int(n)] for k, n in bands]
    campaign.save(update_fields=["honour_bands", "updated_at"])
    audit_record(
        actor=by,
        action="competitions.bands_update",
        obj=campaign,
        detail={"before": before, "after": campaign.honour_bands},
    )
    return campaign


def _check_group_weights(campaign: Campaign, weights: dict | None) -> dict[str, str]:
    """A group's own weights: every criterion code of the sheet, not negative, summing to 100. Weights equal
    to the campaign's are stored as none (the group follows later edits of the sheet)."""
    if not weights:
        return {}
    sheet = {c.code: c.weight for c in campaign.criteria.all()}
    try:
        parsed = {code: Decimal(str(weights[code])) for code in sheet}
    except (KeyError, InvalidOperation):
        raise ValidationError(_("Give a weight for every criterion.")) from None
    if any(w < 0 for w in parsed.values()):
        raise ValidationError(_("Maximum scores must be above 0 and weights not negative."))
    total = sum(parsed.values(), Decimal(0))
    if total != Decimal(100):
        raise ValidationError(_("The weights add up to %(total)s; they must add up to 100.") % {"total": _num(total)})
    if all(parsed[code] == sheet[code] for code in sheet):
        return {}
    return {code: str(w) for code, w in parsed.items()}


@transaction.atomic
def group_add(*, by: User, campaign: Campaign, name: str, weights: dict | None = None) -> Group:
    """Add a project group, trade or category; a trade may carry its own weights (theory/practical)."""
    _require_manager(by, campaign)
    if Group.objects.filter(campaign=campaign, name=name).exists():
        raise ValidationError({"name": _("This name is already used in the campaign.")})
    group = Group.objects.create(campaign=campaign, name=name, weights=_check_group_weights(campaign, weights))
    audit_record(
        actor=by, action="competitions.group_add", obj=group, detail={"campaign": campaign.pk, "weights": group.weights}
    )
    return group


@transaction.atomic
def team_register(
    *,
    by: User,
    campaign: Campaign,
    group: Group,
    name: str,
    kind: str,
    org: OrgUnit | None = None,
    enterprise: Enterprise | None = None,
) -> Team:
    """Register a project department, contractor or unit. Contestants go through ``contestant_enter``."""
    _require_manager(by, campaign)
    if group.campaign_id != campaign.pk:
        raise ValidationError({"group": _("The group belongs to another campaign.")})
    if kind == Team.Kind.CONTESTANT or campaign.kind == Campaign.Kind.SKILLS:
        raise ValidationError(_("Enter skills-contest contestants from the member roll."))
    if Team.objects.filter(campaign=campaign, name=name).exists():
        raise ValidationError({"name": _("This name is already used in the campaign.")})
    if enterprise is not None and org is None:
        org = enterprise.union
    team = Team.objects.create(campaign=campaign, group=group, name=name, kind=kind, org=org, enterprise=enterprise)
    audit_record(actor=by, action="competitions.team_register", obj=team, detail={"campaign": campaign.pk})
    return team


@transaction.atomic
def contestant_enter(*, by: User, campaign: Campaign, trade: Group, member: Member) -> Team:
    """Enter a member in a skills contest for a trade, with their union. A member is entered once."""
    _require_manager(by, campaign)
    if campaign.kind != Campaign.Kind.SKILLS:
        raise ValidationError(_("Only a skills contest has contestants."))
    if trade.campaign_id != campaign.pk:
        raise ValidationError({"trade": _("The trade belongs to another campaign.")})
    locks.campaign_for_update(campaign.pk)  # serialise entries of one campaign
    if Team.objects.filter(campaign=campaign, member=member).exists():
        raise ValidationError({"member": _("%(name)s is already entered in this contest.") % {"name": member.name}})
    name = member.name
    if Team.objects.filter(campaign=campaign, name=name).exists():
        name = f"{member.name}（{member.member_number}）"
    try:
        with transaction.atomic():
            team = Team.objects.create(
                campaign=campaign,
                group=trade,
                name=name,
                kind=Team.Kind.CONTESTANT,
                member=member,
                org=member.org,
                enterprise=member.enterprise,
            )
    except IntegrityError:
        raise ValidationError(
            {"member": _("%(name)s is already entered in this contest.") % {"name": member.name}}
        ) from None
    audit_record(
        actor=by, action="competitions.contestant_enter", obj=team, detail={"member": member.pk, "trade": trade.name}
    )
    return team


@transaction.atomic
def team_record_accident(*, by: User, team: Team, note: str) -> Team:
    """Record a serious safety accident (安全一票否决): the team stays ranked but loses every honour of the
    campaign's year, including those already given (to pass a withdrawn red flag on, reopen and re-release
    that period)."""
    _require_manager(by, team.campaign)
    team = locks.team_for_update(team.pk)
    if not note.strip():
        raise ValidationError({"note": _("Describe the accident.")})
    team.serious_accident = True
    team.accident_note = note.strip()[:200]
    team.save(update_fields=["serious_accident", "accident_note"])
    revoked = list(team.honours.values_list("kind", flat=True))
    team.honours.all().delete()
    # Results already computed stay as they are (released results change only by reopening); pages show
    # the veto from the team, and the next close records it in the result.
    audit_record(
        actor=by,
        action="competitions.accident_record",
        obj=team,
        detail={"note": team.accident_note, "revoked": revoked},
    )
    return team


@transaction.atomic
def judge_profile_set(
    *, by: User, judge, org: OrgUnit | None, enterprise: Enterprise | None, title: str = ""
) -> JudgeProfile:
    """Record where a judge works (the conflict-of-interest rule reads it). District admins only."""
    if not has_role(by, *ADMIN_ROLES):
        raise PermissionDenied
    if not role_holders(Role.JUDGE, active_only=False).filter(pk=judge.pk).exists():
        raise ValidationError(_("This user is not a judge."))
    profile, _created = JudgeProfile.objects.update_or_create(
        user=judge, defaults={"org": org, "enterprise": enterprise, "title": title}
    )
    audit_record(
        actor=by,
        action="competitions.judge_profile",
        obj=profile,
        detail={"org": org.pk if org else None, "enterprise": enterprise.pk if enterprise else None},
    )
    return profile


def conflict_of_interest(*, judge, team: Team) -> str | None:
    """Why ``judge`` may not score ``team`` (None: no conflict). A judge never scores a team of their own
    enterprise or of a union in their own union's subtree (a contestant's union counts as the team's)."""
    profile = JudgeProfile.objects.select_related("org").filter(user=judge).first()
    if profile is None:
        return None
    if profile.enterprise_id and team.enterprise_id == profile.enterprise_id:
        return _("%(judge)s works for %(enterprise)s, the team's own enterprise.") % {
            "judge": judge.get_full_name() or judge.username,
            "enterprise": team.enterprise,
        }
    if profile.org is not None and team.org is not None:
        team_org = team.org
        if tree.is_within(team_org, profile.org):
            return _("%(judge)s works for %(org)s, the team's own organisation.") % {
                "judge": judge.get_full_name() or judge.username,
                "org": profile.org,
            }
    return None


@transaction.atomic
def judge_assign(*, by: User, period: Period, team: Team, judge) -> JudgeAssignment:
    """Assign a judge to a team for a period. Refused: period not open, not a judge, conflict of interest,
    already assigned."""
    campaign = period.campaign
    _require_manager(by, campaign)
    if team.campaign_id != campaign.pk:
        raise ValidationError(_("The team belongs to another campaign."))
    if period.status != Period.Status.OPEN:
        raise ValidationError(_("The period is closed."))
    if not role_holders(Role.JUDGE, active_only=False).filter(pk=judge.pk).exists():
        raise ValidationError({"judge": _("This user is not a judge.")})
    reason = conflict_of_interest(judge=judge, team=team)
    if reason:
        raise ValidationError({"judge": _("Conflict of interest: %(reason)s") % {"reason": reason}})
    if JudgeAssignment.objects.filter(period=period, team=team, judge=judge).exists():
        raise ValidationError({"judge": _("This judge is already assigned to this team for the period.")})
    try:
        with transaction.atomic():
            assignment = JudgeAssignment.objects.create(period=period, team=team, judge=judge, assigned_by=by)
    except IntegrityError:  # the same assignment made concurrently
        raise ValidationError({"judge": _("This judge is already assigned to this team for the period.")}) from None
    notify(
        user=judge,
        event_key=f"competitions.assignment.{assignment.pk}",
        title=_("New scoring task: %(team)s") % {"team": team.name},
        body=f"{campaign.name} · {period.name}",
        link=reverse("competitions:score_form", args=[assignment.pk]),
    )
    audit_record(
        actor=by, action="competitions.judge_assign", obj=assignment, detail={"judge": judge.pk, "team": team.pk}
    )
    return assignment


@transaction.atomic
def assignments_copy(*, by: User, period: Period, source: Period) -> tuple[int, list[str]]:
    """Give ``period`` the judge assignments of ``source`` (e.g. last quarter's), skipping those it already
    has and, with the reason, any refused now (conflict of interest since recorded, no longer a judge)."""
    _require_manager(by, period.campaign)
    if source.campaign_id != period.campaign_id or source.pk == period.pk:
        raise ValidationError(_("Copy from another period of the same campaign."))
    existing = set(period.assignments.values_list("team_id", "judge_id"))
    copied, refused = 0, []
    for old in source.assignments.select_related("team", "judge"):
        if (old.team_id, old.judge_id) in existing:
            continue
        try:
            with transaction.atomic():
                judge_assign(by=by, period=period, team=old.team, judge=old.judge)
        except ValidationError as exc:
            refused.append(
                f"{old.team.name} / {old.judge.get_full_name() or old.judge.username}: {' '.join(exc.messages)}"
            )
        else:
            copied += 1
    return copied, refused


@transaction.atomic
def judge_unassign(*, by: User, assignment: JudgeAssignment) -> None:
    """Remove an assignment while the period is open; its scores go too (their history stays)."""
    _require_manager(by, assignment.period.campaign)
    if assignment.period.status != Period.Status.OPEN:
        raise ValidationError(_("The period is closed."))
    audit_record(actor=by, action="competitions.judge_unassign", obj=assignment, detail={"judge": assignment.judge_id})
    assignment.delete()


def _parse_score(raw) -> Decimal | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    try:
        value = Decimal(str(raw).strip())
    except InvalidOperation:
        raise ValueError from None
    if not value.is_finite():
        raise ValueError
    return value


@transaction.atomic
def scores_submit(*, by: User, assignment: JudgeAssignment, values: dict) -> list[Score]:
    """A judge gives or revises scores of their assigned team, criterion by criterion. ``values`` maps a
    criterion id to a score (blank: not scored yet). All or nothing: a score out of range, a criterion of
    another sheet, someone else's assignment or a closed period saves nothing. Locks the period row (then
    the assignment row): a close waits for submissions in flight and a submission after it sees the period
    closed."""
    if assignment.judge_id != by.pk:
        raise PermissionDenied
    # Lock the period first (the order period_close uses), so no score lands after a close has read them.
    period, assignment = locks.assignment_for_update(assignment)
    if period.status != Period.Status.OPEN:
        raise ValidationError(_("The period is closed; scores can no longer change."))
    criteria = {c.pk: c for c in Criterion.objects.filter(campaign_id=assignment.period.campaign_id)}
    errors: dict[str, list[str]] = {}
    parsed: dict[int, Decimal] = {}
    for key, raw in values.items():
        try:
            criterion = criteria[int(key)]
        except (KeyError, TypeError, ValueError):
            errors.setdefault("__all__", []).append(_("A criterion is not on this score sheet."))
            continue
        try:
            value = _parse_score(raw)
        except ValueError:
            errors[str(criterion.pk)] = [_("%(name)s: enter a number.") % {"name": criterion.name}]
            continue
        if value is None:
            continue
        if value < 0 or value > criterion.max_score or value != value.quantize(SCORE_STEP):
            errors[str(criterion.pk)] = [
                _("%(name)s: the score must be between 0 and %(max)s (at most two decimals).")
                % {"name": criterion.name, "max": _num(criterion.max_score)}
            ]
            continue
        parsed[criterion.pk] = value
    if errors:
        raise ValidationError(errors)
    existing = {s.criterion_id: s for s in assignment.scores.all()}
    saved = []
    changes = {}
    for criterion_id, value in parsed.items():
        score = existing.get(criterion_id)
        if score is None:
            score = Score(assignment=assignment, criterion_id=criterion_id, value=value)
            # django-simple-history reads this attribute, which the model's stubs cannot know
            score._history_user = by  # type: ignore[attr-defined]  # the history names the judge, from the API too
            score.save()
            changes[str(criterion_id)] = [None, str(value)]
        elif score.value != value:
            changes[str(criterion_id)] = [str(score.value), str(value)]
            score.value = value
            score._history_user = by  # type: ignore[attr-defined]  # (see above)
            score.save(update_fields=["value", "updated_at"])
        saved.append(score)
    if changes:
        audit_record(actor=by, action="competitions.score", obj=assignment, detail={"changes": changes})
    return saved


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


def _current_period(campaign: Campaign) -> Period | None:
    today = timezone.localdate()
    open_periods = campaign.periods.filter(status=Period.Status.OPEN)
    return (
        open_periods.filter(starts_on__lte=today, ends_on__gte=today).first()
        or open_periods.order_by("-starts_on").first()
    )


@transaction.atomic
def safety_report_submit(
    *, by: User, campaign: Campaign, team: Team, kind: str, title: str, description: str, photo=None
) -> SafetyReport:
    """A worker reports a hazard or makes a proposal for a unit of an 安康杯, with an optional photo
    (JPEG/PNG, checked by content). It counts towards the campaign's current open period."""
    if campaign.kind != Campaign.Kind.ANKANG:
        raise ValidationError(_("Hazard reports and proposals belong to an Ankang Cup."))
    if team.campaign_id != campaign.pk:
        raise ValidationError({"team": _("The unit does not take part in this campaign.")})
    if kind not in SafetyReport.Kind.values:
        raise ValidationError({"kind": _("Choose hazard report or proposal.")})
    period = _current_period(campaign)
    if period is None:
        raise ValidationError(_("The campaign has no open period; reports are not accepted now."))
    if photo is not None:
        check_upload(photo, allowed=("jpeg", "png"))
    report = SafetyReport.objects.create(
        campaign=campaign,
        team=team,
        period=period,
        kind=kind,
        title=title,
        description=description,
        photo=photo or "",
        reporter=by,
    )
    audit_record(actor=by, action="competitions.report_submit", obj=report, detail={"kind": kind, "team": team.pk})
    return report


@transaction.atomic
def safety_report_assess(
    *, by: User, report: SafetyReport, adopt: bool, points=0, estimated_benefit=0, assessment: str = ""
) -> SafetyReport:
    """The union assesses a report: adopted with points credited to the unit's score for the period and the
    estimated benefit (yuan), or not adopted. Allowed while the report's period is open. Locks the period,
    then the report. The reporter is notified."""
    _require_manager(by, report.campaign)
    period, report = locks.safety_report_for_update(report)  # as scores: no credit after a close
    if period.status != Period.Status.OPEN:
        raise ValidationError(_("The period is closed; the assessment can no longer change."))
    try:
        points = Decimal(str(points or 0))
        benefit = round_fen(Decimal(str(estimated_benefit or 0)))
    except InvalidOperation:
        raise ValidationError(_("Enter numbers for points and benefit.")) from None
    if adopt and not (Decimal(0) <= points <= Decimal(10)):
        raise ValidationError({"points": _("Credit between 0 and 10 points.")})
    if benefit < 0:
        raise ValidationError({"estimated_benefit": _("The benefit cannot be negative.")})
    before = {"status": report.status, "points": str(report.points), "benefit": str(report.estimated_benefit)}
    report.status = SafetyReport.Status.ADOPTED if adopt else SafetyReport.Status.REJECTED
    report.points = points if adopt else Decimal(0)
    report.estimated_benefit = benefit if adopt else Decimal(0)
    report.assessment = assessment[:200]
    report.assessed_by = by
    report.assessed_at = timezone.now()
    report.save()
    audit_record(
        actor=by,
        action="competitions.report_assess",
        obj=report,
        detail={
            "before": before,
            "status": report.status,
            "points": str(report.points),
            "benefit": str(report.estimated_benefit),
        },
    )
    notify(
        user=report.reporter,
        event_key=f"competitions.report.{report.pk}.assessed.{report.assessed_at.isoformat()}",
        title=_("Your report was assessed: %(title)s") % {"title": report.title},
        body=report.get_status_display() + (f" · {report.assessment}" if report.assessment else ""),
        link=reverse("competitions:report_detail", args=[report.pk]),
    )
    return report
