"""Writes of workers' congress sessions (职代会) and open factory affairs (厂务公开). The quorum and majority come
from the rule kept as data (``selectors.congress.congress_rule``); bad input is refused whole."""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from union_portal.audit import audit_record

from ..models import CongressResolution, CongressRule, CongressSession, OpenAffairsItem
from ..permissions.congress import RULE_ROLES, check_can_record
from ..rules_congress import quorum_met, quorum_needed, resolution_passes
from ..selectors.congress import congress_rule


@dataclass(frozen=True)
class ResolutionInput:
    title: str
    votes_for: int
    votes_against: int = 0
    abstentions: int = 0


@transaction.atomic
def congress_session_record(
    *,
    by,
    enterprise,
    held_on: dt.date,
    delegates: int,
    present: int,
    agenda: str,
    resolutions: Sequence[ResolutionInput] = (),
    today: dt.date | None = None,
) -> CongressSession:
    """Record a session of the enterprise's workers' congress with its resolutions and votes. Refused whole
    (nothing saved) when the date is in the future, more delegates are present than were elected, the quorum
    is not met, or a resolution's votes add up to more than those present."""
    today = today or timezone.localdate()
    check_can_record(by, enterprise)
    rule = congress_rule()
    errors: dict[str, list[str]] = {}
    if held_on > today:
        errors.setdefault("held_on", []).append(_("The date cannot be in the future."))
    if delegates <= 0:
        errors.setdefault("delegates", []).append(_("A congress needs at least one delegate."))
    elif present > delegates:
        errors.setdefault("present", []).append(
            _("More delegates present (%(present)s) than elected (%(delegates)s).")
            % {"present": present, "delegates": delegates}
        )
    elif not quorum_met(delegates=delegates, present=present, rule=rule):
        errors.setdefault("present", []).append(
            _(
                "No quorum: at least %(needed)s of the %(delegates)s delegates must be present "
                "(%(numerator)s/%(denominator)s)."
            )
            % {
                "needed": quorum_needed(delegates=delegates, rule=rule),
                "delegates": delegates,
                "numerator": rule.quorum_numerator,
                "denominator": rule.quorum_denominator,
            }
        )
    if not agenda.strip():
        errors.setdefault("agenda", []).append(_("Give the agenda."))
    for number, item in enumerate(resolutions, start=1):
        if not item.title.strip():
            errors.setdefault("resolutions", []).append(_("Resolution %(number)s has no title.") % {"number": number})
        if min(item.votes_for, item.votes_against, item.abstentions) < 0:
            errors.setdefault("resolutions", []).append(
                _("Resolution %(number)s: votes cannot be negative.") % {"number": number}
            )
        cast = item.votes_for + item.votes_against + item.abstentions
        if cast > present:
            errors.setdefault("resolutions", []).append(
                _("Resolution %(number)s: %(cast)s votes, more than the %(present)s delegates present.")
                % {"number": number, "cast": cast, "present": present}
            )
    if CongressSession.objects.filter(enterprise=enterprise, held_on=held_on).exists():
        errors.setdefault("held_on", []).append(_("A session of this congress on that day is already recorded."))
    if errors:
        raise ValidationError(errors)
    session = CongressSession.objects.create(
        enterprise=enterprise,
        org=enterprise.union,
        held_on=held_on,
        delegates=delegates,
        present=present,
        agenda=agenda.strip(),
        created_by=by,
        quorum_numerator=rule.quorum_numerator,
        quorum_denominator=rule.quorum_denominator,
    )
    CongressResolution.objects.bulk_create(
        [
            CongressResolution(
                session=session,
                title=item.title.strip(),
                votes_for=item.votes_for,
                votes_against=item.votes_against,
                abstentions=item.abstentions,
                passed=resolution_passes(delegates=delegates, votes_for=item.votes_for, rule=rule),
                majority_numerator=rule.majority_numerator,
                majority_denominator=rule.majority_denominator,
            )
            for item in resolutions
        ]
    )
    audit_record(
        actor=by,
        action="labour.congress.record",
        obj=session,
        detail={"delegates": delegates, "present": present, "resolutions": len(resolutions)},
    )
    return session


@transaction.atomic
def congress_rule_set(
    *,
    by,
    quorum_numerator: int,
    quorum_denominator: int,
    majority_numerator: int,
    majority_denominator: int,
) -> CongressRule:
    """The district admin changes the quorum and majority (sessions already recorded keep their own)."""
    from union_portal.scoping import has_role

    if not has_role(by, *RULE_ROLES):
        raise PermissionDenied
    if quorum_denominator <= 0 or majority_denominator <= 0:
        raise ValidationError(_("A fraction needs a denominator above zero."))
    if not 0 < quorum_numerator <= quorum_denominator:
        raise ValidationError({"quorum_numerator": _("The quorum must be a share between 0 and 1.")})
    if not 0 < majority_numerator < majority_denominator:
        raise ValidationError({"majority_numerator": _("The majority must be a share between 0 and 1.")})
    rule = CongressRule.objects.select_for_update().order_by("pk").first() or CongressRule()
    before = str(rule) if rule.pk else ""
    rule.quorum_numerator, rule.quorum_denominator = quorum_numerator, quorum_denominator
    rule.majority_numerator, rule.majority_denominator = majority_numerator, majority_denominator
    rule.save()
    audit_record(actor=by, action="labour.congress.rule", obj=rule, detail={"before": before, "after": str(rule)})
    return rule


@transaction.atomic
def open_affairs_record(
    *,
    by,
    enterprise,
    subject: str,
    published_on: dt.date,
    channel: str,
    note: str = "",
    today: dt.date | None = None,
) -> OpenAffairsItem:
    """Record what the enterprise published to its staff (厂务公开), when and how."""
    today = today or timezone.localdate()
    check_can_record(by, enterprise)
    errors: dict[str, list[str]] = {}
    if published_on > today:
        errors["published_on"] = [_("The date cannot be in the future.")]
    if not subject.strip():
        errors["subject"] = [_("Say what was published.")]
    if channel not in OpenAffairsItem.Channel.values:
        errors["channel"] = [_("Choose how it was published.")]
    if errors:
        raise ValidationError(errors)
    item = OpenAffairsItem.objects.create(
        enterprise=enterprise,
        org=enterprise.union,
        subject=subject.strip(),
        published_on=published_on,
        channel=channel,
        note=note.strip(),
        created_by=by,
    )
    audit_record(actor=by, action="labour.open_affairs.record", obj=item, detail={"channel": channel})
    return item
