"""Judging: where judges work, conflicts of interest, assignments to teams per period, and the scores judges
submit."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from members.models import Enterprise
from union_portal import tree
from union_portal.audit import audit_record
from union_portal.models import OrgUnit, User
from union_portal.notifications import notify
from union_portal.roles import ADMIN_ROLES, Role, role_holders
from union_portal.scoping import has_role
from union_portal.scores import SCORE_STEP

from .. import locks
from ..models import Criterion, JudgeAssignment, JudgeProfile, Period, Score, Team
from ._common import _num, _require_manager


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
