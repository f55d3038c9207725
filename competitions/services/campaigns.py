"""Campaigns: created with their kind's criteria template, honour bands and scoring periods; the criteria,
bands and groups (with their own weights) edited by the campaign's managers."""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from union_portal.audit import audit_record
from union_portal.models import OrgUnit, User
from union_portal.roles import ADMIN_ROLES
from union_portal.scoping import roles_at

from .. import locks
from ..models import Campaign, Criterion, Group, Period, Score
from ._common import _num, _require_manager

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
            name = _("First half") if i == 0 else _("Second half")
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
