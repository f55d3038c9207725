"""Checks the members services share: a person's ID number and mobile, a grassroots union."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from union_portal import identity
from union_portal.models import OrgUnit

from ..models import Member


def _clean_person(*, id_number: str, mobile: str) -> tuple[str, str]:
    errors = {}
    try:
        id_number = identity.validate_id_number(id_number)
    except ValidationError as exc:
        errors["id_number"] = exc.messages
    if mobile:
        try:
            mobile = identity.validate_mobile(mobile)
        except ValidationError as exc:
            errors["mobile"] = exc.messages
    if errors:
        raise ValidationError(errors)
    return id_number, mobile


def _login_free_for_membership(user_id: int) -> bool:
    """Whether a membership may be linked to this login (one membership per login). An ended membership
    (left, deceased...) the account carries is unlinked first: the card follows the new one."""
    Member.objects.filter(user_id=user_id).exclude(status__in=Member.HOLDING_STATUSES).update(user=None)
    return not Member.objects.filter(user_id=user_id).exists()


def _check_grassroots(org: OrgUnit) -> None:
    if org.kind != OrgUnit.Kind.GRASSROOTS:
        raise ValidationError({"org": _("Members belong to a grassroots union.")})
