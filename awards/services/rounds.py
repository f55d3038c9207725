"""Award rounds: created and dated, their award types, quotas and composition rules; opened, put on public
notice (closed when due), approved."""

import datetime as dt
from collections.abc import Sequence

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from union_portal import tree
from union_portal.audit import audit_record
from union_portal.models import OrgUnit, User
from union_portal.notices import services as notices
from union_portal.notices.models import Objection
from union_portal.roles import Role
from union_portal.scoping import roles_at

from .. import locks, selectors
from ..models import AwardType, CompositionRule, Nomination, Quota, Round
from ..permissions import can_manage_round
from ._common import _tell_nominator

MIN_NOTICE_WORKING_DAYS = 5


def _check_round_dates(*, nominations_open, nominations_close, township_review_by, district_review_by, notice_planned):
    order = [nominations_open, nominations_close, township_review_by, district_review_by, notice_planned]
    if any(later < earlier for earlier, later in zip(order, order[1:], strict=False)):
        raise ValidationError(
            _(
                "The stage dates must follow each other: nominations open, nominations close, township review, "
                "district review, public notice."
            ),
            code="dates",
        )


def _check_notice_days(days: int) -> None:
    if days < MIN_NOTICE_WORKING_DAYS:
        raise ValidationError(
            {
                "notice_working_days": _("The public notice lasts at least %(n)s working days.")
                % {"n": MIN_NOTICE_WORKING_DAYS}
            },
            code="notice_short",
        )


@transaction.atomic
def round_create(
    *,
    by: User,
    org: OrgUnit,
    year: int,
    title: str,
    nominations_open: dt.date,
    nominations_close: dt.date,
    township_review_by: dt.date,
    district_review_by: dt.date,
    notice_planned: dt.date,
    notice_working_days: int = MIN_NOTICE_WORKING_DAYS,
    recent_honour_years: int = 5,
    issuer: str = "",
    award_types: Sequence[tuple[str, str, int]] = (),
) -> Round:
    """Open a round in draft with the default composition rules of DOMAIN.md and the given award types
    ``(kind, name, level)``. Precondition: ``by`` is a district admin at ``org``."""
    if Role.DISTRICT_ADMIN not in roles_at(by, org):
        raise PermissionDenied
    _check_round_dates(
        nominations_open=nominations_open,
        nominations_close=nominations_close,
        township_review_by=township_review_by,
        district_review_by=district_review_by,
        notice_planned=notice_planned,
    )
    _check_notice_days(notice_working_days)
    round_ = Round.objects.create(
        org=org,
        year=year,
        title=title,
        nominations_open=nominations_open,
        nominations_close=nominations_close,
        township_review_by=township_review_by,
        district_review_by=district_review_by,
        notice_planned=notice_planned,
        notice_working_days=notice_working_days,
        recent_honour_years=recent_honour_years,
        issuer=issuer or org.name,
        created_by=by,
    )
    CompositionRule.objects.bulk_create(
        CompositionRule(round=round_, metric=metric, comparison=comparison, percent=percent)
        for metric, comparison, percent in CompositionRule.DEFAULTS
    )
    for kind, name, level in award_types:
        AwardType.objects.create(round=round_, kind=kind, name=name, level=level)
    audit_record(actor=by, action="awards.round_create", obj=round_)
    return round_


@transaction.atomic
def round_update_dates(*, by: User, round_: Round, **dates) -> Round:
    """Change the stage dates (and notice length) of a round not yet on public notice."""
    if not can_manage_round(by, round_):
        raise PermissionDenied
    round_ = locks.round_for_update(round_.pk)
    if round_.status not in (Round.Status.DRAFT, Round.Status.NOMINATING):
        raise ValidationError(_("The dates can no longer be changed at this stage."), code="stage")
    notice_days = dates.pop("notice_working_days", round_.notice_working_days)
    _check_notice_days(notice_days)
    merged = {
        key: dates.get(key, getattr(round_, key))
        for key in (
            "nominations_open",
            "nominations_close",
            "township_review_by",
            "district_review_by",
            "notice_planned",
        )
    }
    _check_round_dates(**merged)
    for key, value in merged.items():
        setattr(round_, key, value)
    round_.notice_working_days = notice_days
    if "recent_honour_years" in dates:
        round_.recent_honour_years = dates["recent_honour_years"]
    round_.save()
    audit_record(
        actor=by, action="awards.round_update", obj=round_, detail={"dates": {k: str(v) for k, v in merged.items()}}
    )
    return round_


@transaction.atomic
def award_type_add(*, by: User, round_: Round, kind: str, name: str, level: int) -> AwardType:
    if not can_manage_round(by, round_):
        raise PermissionDenied
    if round_.status != Round.Status.DRAFT:
        raise ValidationError(_("Award types can only be changed while the round is being prepared."), code="stage")
    if round_.award_types.filter(name=name).exists():
        raise ValidationError({"name": _("This round already has an award type of that name.")}, code="duplicate")
    award_type = AwardType.objects.create(round=round_, kind=kind, name=name, level=level)
    audit_record(actor=by, action="awards.award_type_add", obj=award_type)
    return award_type


@transaction.atomic
def quota_set(*, by: User, award_type: AwardType, union: OrgUnit, places: int) -> Quota:
    """Set the places of ``award_type`` for ``union``'s subtree. Places cannot drop below the nominations
    already holding one (locks the quota row)."""
    round_ = award_type.round
    if not can_manage_round(by, round_) or not tree.is_within(union, round_.org):
        raise PermissionDenied
    if round_.status not in (Round.Status.DRAFT, Round.Status.NOMINATING):
        raise ValidationError(_("Quotas can no longer be changed at this stage."), code="stage")
    quota = locks.quota_of_union_for_update(award_type=award_type, union=union)
    if quota is not None:
        used = selectors.quota_used(quota=quota)
        if places < used:
            raise ValidationError(
                {"places": _("%(used)s places are already taken; the quota cannot be lower.") % {"used": used}},
                code="below_used",
            )
        quota.places = places
        quota.save(update_fields=["places"])
    else:
        quota = Quota.objects.create(round=round_, award_type=award_type, union=union, places=places)
    audit_record(actor=by, action="awards.quota_set", obj=quota, detail={"places": places})
    return quota


@transaction.atomic
def rule_update(*, by: User, rule: CompositionRule, comparison: str, percent, blocks_notice: bool) -> CompositionRule:
    if not can_manage_round(by, rule.round):
        raise PermissionDenied
    if rule.round.status not in (Round.Status.DRAFT, Round.Status.NOMINATING):
        raise ValidationError(_("The rules can no longer be changed at this stage."), code="stage")
    if not (0 <= percent <= 100):
        raise ValidationError({"percent": _("A share is between 0 and 100 percent.")}, code="percent")
    rule.comparison, rule.percent, rule.blocks_notice = comparison, percent, blocks_notice
    rule.save()
    audit_record(actor=by, action="awards.rule_update", obj=rule, detail={"rule": str(rule)})
    return rule


@transaction.atomic
def round_open(*, by: User, round_: Round) -> Round:
    """Draft → nominating. Needs at least one award type and one quota."""
    if not can_manage_round(by, round_):
        raise PermissionDenied
    round_ = locks.round_for_update(round_.pk)
    if round_.status != Round.Status.DRAFT:
        raise ValidationError(_("Only a round being prepared can be opened."), code="stage")
    if not round_.award_types.exists() or not round_.quotas.exists():
        raise ValidationError(_("Add award types and quotas before opening the round."), code="incomplete")
    round_.status = Round.Status.NOMINATING
    round_.save(update_fields=["status", "updated_at"])
    audit_record(actor=by, action="awards.round_open", obj=round_)
    return round_


@transaction.atomic
def round_start_notice(
    *, by: User, round_: Round, starts_on: dt.date, working_days: int | None = None, today: dt.date | None = None
) -> Round:
    """Nominating → public notice. Preconditions: no nomination still in review or returned, at least one
    passed, every blocking composition rule holds on the slate. Computes the last day of the notice from
    the holiday calendar; warnings (a year without holiday data) are kept on the round and shown."""
    if not can_manage_round(by, round_):
        raise PermissionDenied
    round_ = locks.round_for_update(round_.pk)
    if round_.status != Round.Status.NOMINATING:
        raise ValidationError(_("Only a round in nominations and review can go to public notice."), code="stage")
    days = working_days or round_.notice_working_days
    _check_notice_days(days)
    if starts_on < (today or timezone.localdate()):
        raise ValidationError({"starts_on": _("A public notice cannot start in the past.")}, code="past")
    pending = round_.nominations.filter(
        status__in=[Nomination.Status.TOWNSHIP_REVIEW, Nomination.Status.DISTRICT_REVIEW, Nomination.Status.RETURNED]
    ).count()
    if pending:
        raise ValidationError(
            _("%(n)s nominations are still in review or returned; finish the review first.") % {"n": pending},
            code="pending",
        )
    slate = selectors.slate(round_=round_)
    if not slate:
        raise ValidationError(_("No nomination has passed review."), code="empty")
    failing = [
        check for check in selectors.composition(round_=round_, nominations=slate) if check.blocks and not check.ok
    ]
    if failing:
        raise ValidationError(
            _("The slate does not meet the composition rules: %(rules)s.")
            % {"rules": "；".join(str(check) for check in failing)},
            code="composition",
        )
    round_.notice = notices.notice_open(
        by=by,
        subject=round_,
        org=round_.org,
        title=round_.title,
        unit_name=round_.org.name,
        starts_on=starts_on,
        working_days=days,
    )
    ends_on, warnings = round_.notice.ends_on, round_.notice.warnings
    round_.notice_working_days = days
    round_.status = Round.Status.NOTICE
    round_.save()
    audit_record(
        actor=by,
        action="awards.notice_start",
        obj=round_,
        detail={"starts": str(starts_on), "ends": str(ends_on), "warnings": warnings},
    )
    return round_


@transaction.atomic
def round_close_notice(*, round_id: int, today: dt.date | None = None) -> bool:
    """Public notice → awaiting approval once the notice's last day has passed. Idempotent: a round not on
    notice or not yet due is left alone (returns False). Called by the beat task."""
    today = today or timezone.localdate()
    round_ = locks.round_with_notice_for_update(round_id)
    if round_.status != Round.Status.NOTICE or round_.notice_ends is None or round_.notice_ends >= today:
        return False
    assert round_.notice is not None  # a round on notice has its notice
    notices.notice_close(notice=round_.notice, today=today)
    round_.status = Round.Status.APPROVAL
    round_.save(update_fields=["status", "updated_at"])
    audit_record(actor=None, action="awards.notice_close", obj=round_, detail={"on": str(today)})
    return True


def rounds_reevaluate_notices(**_event: object) -> int:
    """The ``workdays.calendar_changed`` handler (and the first step of the nightly close): recompute the last
    day of every round's open notice from the calendar as it is now, and tell whoever started a notice whose
    last day moved. Idempotent. Returns how many notices moved."""
    moves = notices.notices_reevaluate(app_label=Round._meta.app_label)
    rounds = {r.notice_id: r for r in Round.objects.filter(notice__in=[move.notice for move in moves])}
    with translation.override(settings.LANGUAGE_CODE):  # told in the portal's language, whoever changed the table
        for move in moves:
            round_ = rounds.get(move.notice.pk)
            notices.notice_tell_moved(
                move=move, users=[move.notice.created_by], link=round_.get_absolute_url() if round_ else ""
            )
    return len(moves)


def close_due_notices(*, today: dt.date | None = None) -> list[int]:
    """Close every round's notice whose last day has passed. The stored end dates are brought up to date first
    (a calendar change whose hook was lost is caught up here)."""
    today = today or timezone.localdate()
    rounds_reevaluate_notices()
    due = Round.objects.filter(status=Round.Status.NOTICE, notice__ends_on__lt=today).values_list("pk", flat=True)
    return [pk for pk in due if round_close_notice(round_id=pk, today=today)]


@transaction.atomic
def round_approve(*, by: User, round_: Round, approved_on: dt.date | None = None) -> Round:
    """Awaiting approval → published: every passed nomination becomes an honour with a certificate number.
    Preconditions: the notice has closed and every objection is answered."""
    if not can_manage_round(by, round_):
        raise PermissionDenied
    round_ = locks.round_for_update(round_.pk)
    if round_.status != Round.Status.APPROVAL:
        raise ValidationError(_("A round is approved after its public notice has closed."), code="stage")
    open_objections = Objection.objects.filter(nomination__round=round_, status=Objection.Status.OPEN).count()
    if open_objections:
        raise ValidationError(_("%(n)s objections are not answered yet.") % {"n": open_objections}, code="objections")
    approved_on = approved_on or timezone.localdate()
    passed = locks.nominations_for_update(round_.nominations.filter(status=Nomination.Status.PASSED))
    # Certificates are numbered by award type, then by nomination.
    for seq, nomination in enumerate(sorted(passed, key=lambda n: (n.award_type_id, n.pk)), start=1):
        nomination.status = Nomination.Status.APPROVED
        nomination.certificate_number = f"KQ{round_.year}-{round_.pk:03d}-{seq:04d}"
        nomination.save(update_fields=["status", "certificate_number", "updated_at"])
        _tell_nominator(nomination, "approved", _("Honoured: %(name)s") % {"name": nomination.candidate_name})
    round_.status = Round.Status.PUBLISHED
    round_.approved_on = approved_on
    round_.save(update_fields=["status", "approved_on", "updated_at"])
    audit_record(actor=by, action="awards.round_approve", obj=round_, detail={"on": str(approved_on)})
    return round_


def next_round_year(org: OrgUnit) -> int:
    last = Round.objects.filter(org=org).aggregate(m=Max("year"))["m"]
    return (last + 1) if last else timezone.localdate().year
