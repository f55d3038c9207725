"""Teams and contestants entered in a campaign, and serious safety accidents (安全一票否决) recorded against a team."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from members.models import Enterprise, Member
from union_portal.audit import audit_record
from union_portal.models import OrgUnit, User

from .. import locks
from ..models import Campaign, Group, Team
from ._common import _require_manager


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
