"""Nominations: created with the candidate's competition record, edited, submitted within the quota, reviewed
at the township and the district, withdrawn; the reviewers and the nominator told."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from competitions.selectors import honours_for
from members.models import Enterprise, Member
from union_portal import tree
from union_portal.audit import audit_record
from union_portal.models import OrgUnit, User
from union_portal.notices import services as notices
from union_portal.notices.models import ReviewStep
from union_portal.notifications import notify
from union_portal.roles import Role, role_holders
from union_portal.scoping import scope
from union_portal.uploads import check_upload

from .. import locks, selectors
from ..models import AwardType, Nomination, Round
from ..permissions import can_nominate, can_review_district, can_review_township
from ._common import _tell_nominator


def _grassroots_of(node: OrgUnit) -> OrgUnit:
    if node.kind == OrgUnit.Kind.GROUP:
        parent = tree.parent(node)
        assert parent is not None  # a union group sits under its grassroots union
        return parent
    return node


def _candidate_honours(
    *, member: Member | None, candidate_org: OrgUnit | None, enterprise, since_year: int
) -> list[dict]:
    """The candidate's competition record, from the competitions app's selector."""
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
