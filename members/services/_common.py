"""Checks the members services share: a person's ID number and mobile, a grassroots union."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from union_portal import identity
from union_portal.models import OrgUnit


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


def _check_grassroots(org: OrgUnit) -> None:
    if org.kind != OrgUnit.Kind.GRASSROOTS:
        raise ValidationError({"org": _("Members belong to a grassroots union.")})
