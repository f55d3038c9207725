"""Every write of the awards app. Each state change checks the transition is allowed and writes the audit log."""

import datetime as dt
import io
import zipfile
from collections.abc import Callable, Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import Enterprise, Member
from union_portal import tree, workdays
from union_portal.audit import audit_record
from union_portal.identity import validate_mobile
from union_portal.models import HolidayDay, OrgUnit, User
from union_portal.notices import services as notices
from union_portal.notices.models import Objection, ReviewStep
from union_portal.notifications import notify
from union_portal.roles import Role, role_holders
from union_portal.scoping import has_role, roles_at, scope
from union_portal.uploads import check_upload

from . import locks, selectors
from .models import AwardType, CompositionRule, Nomination, Quota, Round
from .permissions import (
    can_answer_objection,
    can_manage_round,
    can_nominate,
    can_review_district,
    can_review_township,
)

MIN_NOTICE_WORKING_DAYS = 5

honours_for: Callable[..., list[dict]] | None  # None: competitions absent (the tests set it so)
try:  # competitions is built in parallel; awards works without it
    from competitions.selectors import honours_for
except ImportError:  # pragma: no cover - depends on which branches are merged
    honours_for = None


# --- rounds ------------------------------------------------------------------------------------------------


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
    ends_on, warnings = workdays.add_working_days(starts_on, days)
    round_.notice = notices.notice_open(
        by=by,
        subject=round_,
        org=round_.org,
        title=round_.title,
        unit_name=round_.org.name,
        starts_on=starts_on,
        ends_on=ends_on,
        working_days=days,
        warnings=warnings,
    )
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


def close_due_notices(*, today: dt.date | None = None) -> list[int]:
    today = today or timezone.localdate()
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


# --- nominations -------------------------------------------------------------------------------------------


def _grassroots_of(node: OrgUnit) -> OrgUnit:
    if node.kind == OrgUnit.Kind.GROUP:
        parent = tree.parent(node)
        assert parent is not None  # a union group sits under its grassroots union
        return parent
    return node


def _candidate_honours(
    *, member: Member | None, candidate_org: OrgUnit | None, enterprise, since_year: int
) -> list[dict]:
    """The candidate's competition record from the competitions app, where it has landed."""
    if honours_for is None:
        return []
    kwargs: dict = {"since_year": since_year}
    if member is not None:
        kwargs["member_ids"] = [member.pk]
    else:
        assert candidate_org is not None  # the candidate is a member or a unit
        kwargs["org_ids"] = [candidate_org.pk]
        if enterprise is not None:
            kwargs["enterprise_ids"] = [enterprise.pk]
    return [
        {key: row.get(key) for key in ("title", "kind", "year", "campaign", "team")} for row in honours_for(**kwargs)
    ]


@transaction.atomic
def nomination_create(
    *,
    by: User,
    round_: Round,
    award_type: AwardType,
    member: Member | None = None,
    candidate_org: OrgUnit | None = None,
    deeds_summary: str,
    deeds_file,
    congress_file=None,
) -> Nomination:
    """A draft nomination of a member (individual types) or a unit (collective types) picked from the roll.
    Precondition: the candidate is on the roll (an active member / an active unit) in ``by``'s scope."""
    if award_type.round_id != round_.pk:
        raise ValidationError({"award_type": _("This award type belongs to another round.")}, code="type")
    if round_.status != Round.Status.NOMINATING:
        raise ValidationError(_("This round is not taking nominations."), code="stage")
    errors = {}
    enterprise = None
    if award_type.is_collective:
        if candidate_org is None:
            errors["candidate_org"] = _("Choose the unit from the roll.")
        elif (
            candidate_org.kind not in (OrgUnit.Kind.GRASSROOTS, OrgUnit.Kind.GROUP)
            or candidate_org.status != OrgUnit.Status.ACTIVE
            or not scope(OrgUnit.objects.filter(pk=candidate_org.pk), by).exists()
        ):
            errors["candidate_org"] = _("This unit is not an active union or union group on your roll.")
        member = None
    else:
        if member is None:
            errors["member"] = _("Choose the member from the roll.")
        elif not scope(
            Member.objects.filter(pk=member.pk, status=Member.Status.ACTIVE), by, include_owner=False
        ).exists():
            errors["member"] = _("This person is not an active member on your roll.")
        candidate_org = None
    if not (deeds_summary or "").strip():
        errors["deeds_summary"] = _("Write a summary of the deeds for the public notice.")
    if not deeds_file:
        errors["deeds_file"] = _("Attach the deeds (事迹材料).")
    if errors:
        raise ValidationError(errors)
    check_upload(deeds_file, allowed=("pdf", "jpeg", "png"))
    if congress_file:
        check_upload(congress_file, allowed=("pdf", "jpeg", "png"))
    if member is not None:
        org = member.org
        enterprise = member.enterprise
        duplicate = Nomination.objects.filter(round=round_, person_hash=member.id_number_hash).exclude(
            status=Nomination.Status.WITHDRAWN
        )
    else:
        assert candidate_org is not None  # else an error above
        org = _grassroots_of(candidate_org)
        enterprise = Enterprise.objects.filter(union=org).first()
        duplicate = Nomination.objects.filter(round=round_, award_type=award_type, candidate_org=candidate_org).exclude(
            status=Nomination.Status.WITHDRAWN
        )
    if not can_nominate(by, org):
        raise PermissionDenied
    if duplicate.exists():
        raise ValidationError(_("This candidate is already nominated in this round."), code="duplicate")
    if selectors.quota_for(award_type=award_type, org=org) is None:
        raise ValidationError(_("Your union has no quota for this award type."), code="no_quota")
    since = round_.year - round_.recent_honour_years
    nomination = Nomination(
        round=round_,
        award_type=award_type,
        org=org,
        member=member,
        candidate_org=candidate_org,
        enterprise=enterprise,
        deeds_summary=deeds_summary.strip(),
        deeds_file=deeds_file,
        congress_file=congress_file or "",
        created_by=by,
    )
    if member is not None:
        nomination.candidate_name = member.name
        nomination.unit_name = (member.enterprise.name if member.enterprise else member.org.name)[:200]
        nomination.person_hash = member.id_number_hash
        nomination.is_frontline_or_technical = member.is_frontline or member.is_technical
        nomination.is_enterprise_head = member.is_enterprise_head
        nomination.is_female = member.sex == Member.Sex.FEMALE
        nomination.is_migrant = member.is_migrant
    else:
        assert candidate_org is not None  # else an error above
        nomination.candidate_name = candidate_org.name
        nomination.unit_name = (enterprise.name if enterprise else org.name)[:200]
    nomination.past_honours = selectors.past_honours(
        person_hash=nomination.person_hash, candidate_org=candidate_org, since_year=since, before_year=round_.year
    )
    nomination.competition_record = _candidate_honours(
        member=member, candidate_org=candidate_org, enterprise=enterprise, since_year=since
    )
    nomination.save()
    audit_record(actor=by, action="awards.nomination_create", obj=nomination)
    return nomination


@transaction.atomic
def nomination_update(
    *, by: User, nomination: Nomination, deeds_summary: str, deeds_file=None, congress_file=None
) -> Nomination:
    """Correct a draft or returned nomination: the deeds summary and the attachments."""
    nomination = locks.nomination_for_update(nomination.pk)
    if not can_nominate(by, nomination.org):
        raise PermissionDenied
    if nomination.status not in (Nomination.Status.DRAFT, Nomination.Status.RETURNED):
        raise ValidationError(_("Only a draft or a returned nomination can be changed."), code="stage")
    if not (deeds_summary or "").strip():
        raise ValidationError({"deeds_summary": _("Write a summary of the deeds for the public notice.")})
    if deeds_file:
        check_upload(deeds_file, allowed=("pdf", "jpeg", "png"))
        nomination.deeds_file = deeds_file
    if congress_file:
        check_upload(congress_file, allowed=("pdf", "jpeg", "png"))
        nomination.congress_file = congress_file
    nomination.deeds_summary = deeds_summary.strip()
    nomination.save()
    audit_record(actor=by, action="awards.nomination_update", obj=nomination)
    return nomination


def _first_review_status(nomination: Nomination) -> str:
    """Township review when the nominating union sits under a township/industry/regional union below the
    district; straight to the district committee otherwise."""
    parent = tree.parent(nomination.org)
    if parent is not None and parent.pk != nomination.round.org_id and tree.is_within(parent, nomination.round.org):
        return Nomination.Status.TOWNSHIP_REVIEW
    return Nomination.Status.DISTRICT_REVIEW


@transaction.atomic
def nomination_submit(*, by: User, nomination: Nomination, today: dt.date | None = None) -> Nomination:
    """Draft → township (or district) review; a returned one goes back to the stage that returned it.

    Locks: the quota row of the nominating union for the award type (SELECT ... FOR UPDATE), then the
    nomination. With the quota row held, counting the places taken and adding this one cannot interleave
    with another submission: of two handlers submitting the last place, exactly one succeeds.
    Refuses: past the quota, past the closing date, without the congress approval, or when the candidate
    was honoured at the same or a higher level in the previous ``recent_honour_years`` years."""
    today = today or timezone.localdate()
    if not can_nominate(by, nomination.org):
        raise PermissionDenied
    round_ = nomination.round
    if round_.status != Round.Status.NOMINATING:
        raise ValidationError(_("This round is not taking nominations."), code="stage")
    quota = selectors.quota_for(award_type=nomination.award_type, org=nomination.org)
    if quota is None:
        raise ValidationError(_("Your union has no quota for this award type."), code="no_quota")
    quota = locks.quota_for_update(quota.pk)
    nomination = locks.nomination_for_update(nomination.pk)
    if nomination.status == Nomination.Status.RETURNED:
        last = nomination.reviews.order_by("-created_at", "-id").first()
        new_status = (
            Nomination.Status.DISTRICT_REVIEW
            if last is not None and last.stage == ReviewStep.Stage.DISTRICT
            else _first_review_status(nomination)
        )
    elif nomination.status == Nomination.Status.DRAFT:
        if today > round_.nominations_close:
            raise ValidationError(
                _("Nominations closed on %(date)s.") % {"date": round_.nominations_close}, code="closed"
            )
        if today < round_.nominations_open:
            raise ValidationError(
                _("Nominations open on %(date)s.") % {"date": round_.nominations_open}, code="not_open"
            )
        used = selectors.quota_used(quota=quota)
        if used >= quota.places:
            raise ValidationError(
                _("The quota of %(union)s for %(type)s is used up (%(places)s places).")
                % {"union": quota.union.name, "type": nomination.award_type.name, "places": quota.places},
                code="quota",
            )
        new_status = _first_review_status(nomination)
    else:
        raise ValidationError(_("This nomination has already been submitted."), code="stage")
    if not nomination.congress_file:
        raise ValidationError({"congress_file": _("Attach the workers' congress approval before submitting.")})
    blocking = selectors.blocking_honours(nomination=nomination)
    if blocking:
        raise ValidationError(
            _("%(name)s was honoured at the same or a higher level in the previous %(years)s years: %(honours)s.")
            % {
                "name": nomination.candidate_name,
                "years": round_.recent_honour_years,
                "honours": "；".join(f"{h['year']} {h['title']}" for h in blocking),
            },
            code="recent_honour",
        )
    nomination.status = new_status
    nomination.submitted_at = timezone.now()
    nomination.return_comment = ""
    nomination.save(update_fields=["status", "submitted_at", "return_comment", "updated_at"])
    audit_record(actor=by, action="awards.nomination_submit", obj=nomination, detail={"to": new_status})
    _tell_reviewers(nomination, new_status)
    return nomination


@transaction.atomic
def nomination_review(*, by: User, nomination: Nomination, decision: str, comment: str = "") -> Nomination:
    """Township or district stage: pass (township → district, district → passed) or return with comments.
    Precondition: the nomination is at the stage the reviewer may act on."""
    nomination = locks.nomination_for_update(nomination.pk, "round", "org")
    if nomination.status == Nomination.Status.TOWNSHIP_REVIEW:
        stage = ReviewStep.Stage.TOWNSHIP
        allowed = can_review_township(by, nomination)
        passed_to = Nomination.Status.DISTRICT_REVIEW
    elif nomination.status == Nomination.Status.DISTRICT_REVIEW:
        stage = ReviewStep.Stage.DISTRICT
        allowed = can_review_district(by, nomination)
        passed_to = Nomination.Status.PASSED
    else:
        raise ValidationError(_("This nomination is not waiting for a review."), code="stage")
    if not allowed:
        raise PermissionDenied
    if nomination.round.status != Round.Status.NOMINATING:
        raise ValidationError(_("The review of this round has ended."), code="stage")
    notices.review_record(by=by, subject=nomination, stage=stage, decision=decision, comment=comment)
    if decision == ReviewStep.Decision.PASS:
        nomination.status = passed_to
        if passed_to == Nomination.Status.DISTRICT_REVIEW:
            _tell_reviewers(nomination, passed_to)
    else:
        nomination.status = Nomination.Status.RETURNED
        nomination.return_comment = comment.strip()
        _tell_nominator(
            nomination,
            f"returned-{nomination.reviews.count()}",
            _("Nomination returned: %(name)s") % {"name": nomination.candidate_name},
            comment,
        )
    nomination.save(update_fields=["status", "return_comment", "updated_at"])
    audit_record(
        actor=by, action=f"awards.review_{stage}", obj=nomination, detail={"decision": decision, "comment": comment}
    )
    return nomination


@transaction.atomic
def nomination_withdraw(*, by: User, nomination: Nomination, reason: str) -> Nomination:
    """Withdraw a candidate (by the nominating union or the district) before the round is published; the
    quota place is freed."""
    nomination = locks.nomination_for_update(nomination.pk, "round")
    if not (can_nominate(by, nomination.org) or can_review_district(by, nomination)):
        raise PermissionDenied
    if nomination.status in (Nomination.Status.WITHDRAWN, Nomination.Status.APPROVED):
        raise ValidationError(_("This nomination can no longer be withdrawn."), code="stage")
    if nomination.round.status == Round.Status.PUBLISHED:
        raise ValidationError(_("The round is published."), code="stage")
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the withdrawal.")})
    nomination.status = Nomination.Status.WITHDRAWN
    nomination.withdrawn_reason = reason.strip()[:200]
    nomination.save(update_fields=["status", "withdrawn_reason", "updated_at"])
    audit_record(actor=by, action="awards.nomination_withdraw", obj=nomination, detail={"reason": reason})
    return nomination


def _tell_reviewers(nomination: Nomination, status: str) -> None:
    """Tell the staff who must act next: township staff above the nominating union (township stage) or the
    district admins of the round (district stage). One inbox entry per reviewer per submission."""
    if status == Nomination.Status.TOWNSHIP_REVIEW:
        reviewers = role_holders(Role.TOWNSHIP_STAFF, at_or_above=nomination.org, include_self=False, active_only=False)
        title = _("Nomination to review: %(name)s") % {"name": nomination.candidate_name}
    else:
        reviewers = role_holders(Role.DISTRICT_ADMIN, at=nomination.round.org, active_only=False)
        title = _("Nomination for the district committee: %(name)s") % {"name": nomination.candidate_name}
    stamp = nomination.reviews.count()
    for reviewer in reviewers:
        notify(
            user=reviewer,
            event_key=f"awards.nomination.{nomination.pk}.{status}.{stamp}.{reviewer.pk}",
            title=title,
            body=f"{nomination.award_type.name} · {nomination.unit_name}",
            link=nomination.get_absolute_url(),
        )


def _tell_nominator(nomination: Nomination, event: str, title: str, body: str = "") -> None:
    notify(
        user=nomination.created_by,
        event_key=f"awards.nomination.{nomination.pk}.{event}",
        title=title,
        body=body or title,
        link=nomination.get_absolute_url(),
    )


# --- objections --------------------------------------------------------------------------------------------


@transaction.atomic
def objection_file(
    *, nomination: Nomination, name: str, phone: str, content: str, today: dt.date | None = None
) -> Objection:
    """Anyone may object to a candidate on public notice, with real name and mobile phone. The objection is
    filed against the round's notice (the core's notices capability), about this candidate."""
    round_ = Round.objects.select_related("notice").get(pk=nomination.round_id)  # fresh: may predate the notice
    nomination = Nomination.objects.get(pk=nomination.pk)
    if round_.status != Round.Status.NOTICE or nomination.status != Nomination.Status.PASSED:
        raise ValidationError(_("This candidate is not on public notice."), code="stage")
    assert round_.notice is not None  # a round on notice has its notice
    try:
        objection = notices.objection_file(
            notice=round_.notice,
            item=nomination,
            name=name,
            phone=phone,
            content=content,
            validate_phone=validate_mobile,
            today=today,
        )
    except ValidationError as exc:
        if getattr(exc, "code", None) == "stage":
            raise ValidationError(_("This candidate is not on public notice."), code="stage") from exc
        raise
    for admin in role_holders(Role.DISTRICT_ADMIN, at=round_.org, active_only=False):
        notify(
            user=admin,
            event_key=f"awards.objection.{objection.pk}.{admin.pk}",
            title=_("Objection to %(name)s") % {"name": nomination.candidate_name},
            body=nomination.award_type.name,
            link=reverse("awards:objection_detail", args=[objection.pk]),
        )
    return objection


def objection_answer(*, by: User, objection: Objection, status: str, answer: str) -> Objection:
    """Record the finding of the investigation and the answer. An upheld objection does not withdraw the
    candidate by itself: the district withdraws them explicitly."""
    if not can_answer_objection(by, objection):
        raise PermissionDenied
    return notices.objection_answer(by=by, objection=objection, status=status, answer=answer)


def objection_reveal_phone(*, by: User, objection: Objection) -> str:
    """The objector's full number, for the district admin investigating; every reveal and every refusal is
    audited (as ``members.reveal``)."""
    if not can_answer_objection(by, objection):
        audit_record(actor=by, action="awards.reveal", obj=objection, result="denied", detail={"field": "phone"})
        raise PermissionDenied
    return notices.objection_reveal_phone(by=by, objection=objection)


# --- holiday table -----------------------------------------------------------------------------------------


@transaction.atomic
def holidays_fill_from_package(*, by: User, year: int) -> int:
    """Copy the package's holidays and make-up working days of ``year`` into the table; rows entered by
    hand are kept. Returns the number of rows written; raises for a year the package does not know."""
    if not has_role(by, Role.DISTRICT_ADMIN):
        raise PermissionDenied
    if not workdays.package_knows(year):
        raise ValidationError(
            _("The chinese-calendar package has no data for %(year)s yet; enter that year's days by hand.")
            % {"year": year},
            code="no_data",
        )
    manual = set(
        HolidayDay.objects.filter(date__year=year, source=HolidayDay.Source.MANUAL).values_list("date", flat=True)
    )
    HolidayDay.objects.filter(date__year=year, source=HolidayDay.Source.PACKAGE).delete()
    rows = [
        HolidayDay(date=day, is_workday=workday, name=name, source=HolidayDay.Source.PACKAGE)
        for day, workday, name in workdays.package_special_days(year)
        if day not in manual
    ]
    HolidayDay.objects.bulk_create(rows)
    audit_record(
        actor=by,
        action="awards.holidays_fill",
        object_type="union_portal.holidayday",
        object_id=year,
        detail={"rows": len(rows)},
    )
    return len(rows)


@transaction.atomic
def holiday_set(*, by: User, date: dt.date, is_workday: bool, name: str = "") -> HolidayDay:
    if not has_role(by, Role.DISTRICT_ADMIN):
        raise PermissionDenied
    day, _created = HolidayDay.objects.update_or_create(
        date=date, defaults={"is_workday": is_workday, "name": name, "source": HolidayDay.Source.MANUAL}
    )
    audit_record(actor=by, action="awards.holiday_set", obj=day, detail={"workday": is_workday})
    return day


@transaction.atomic
def holiday_delete(*, by: User, day: HolidayDay) -> None:
    if not has_role(by, Role.DISTRICT_ADMIN):
        raise PermissionDenied
    audit_record(actor=by, action="awards.holiday_delete", obj=day)
    day.delete()


# --- certificates ------------------------------------------------------------------------------------------


def certificate_pdf(*, nomination: Nomination) -> bytes:
    from union_portal.pdf import certificate

    round_ = nomination.round
    body = _(
        "distinguished themselves in %(year)s and were awarded the title of %(award)s. This certificate is issued in recognition."
    ) % {
        "year": round_.year,
        "award": nomination.award_type.name,
    }
    if nomination.is_individual:
        name = _("%(name)s of %(unit)s") % {"name": nomination.candidate_name, "unit": nomination.unit_name}
    else:
        name = nomination.candidate_name
    approved = round_.approved_on or timezone.localdate()
    return certificate(
        heading=_("Certificate of Honour"),
        name=name,
        body=body,
        issuer=round_.issuer or round_.org.name,
        date_text=_("%(y)s-%(m)s-%(d)s") % {"y": approved.year, "m": approved.month, "d": approved.day}
        + f"  No. {nomination.certificate_number}",
    )


def certificates_zip(*, round_: Round) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for nomination in selectors.honour_roll_of(round_=round_):
            archive.writestr(
                f"{nomination.certificate_number}-{nomination.candidate_name}.pdf",
                certificate_pdf(nomination=nomination),
            )
    return buffer.getvalue()


def next_round_year(org: OrgUnit) -> int:
    last = Round.objects.filter(org=org).aggregate(m=Max("year"))["m"]
    return (last + 1) if last else timezone.localdate().year
