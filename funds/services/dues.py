"""Member dues: the arrears window and recording dues paid."""

import datetime as dt
from decimal import Decimal
from typing import cast

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from members.models import Member
from union_portal.audit import audit_record
from union_portal.models import User

from ..models import DuesPayment
from ..permissions import can_record_dues
from .parsing import month_start
from .rates import dues_for_wage


def arrears_window_months() -> int:
    """How many past months the arrears list looks at (setting DUES_ARREARS_MONTHS, default 6: six months
    without dues may end a membership, which staff then decide)."""
    return int(getattr(settings, "DUES_ARREARS_MONTHS", 6))


@transaction.atomic
def dues_record(*, by: User, members: list[Member], period: dt.date) -> list[DuesPayment]:
    """Record that ``members`` paid their dues for ``period``: 0.5% of the wage as recorded on the member.
    Retired members pay nothing and are refused, as are members without a wage or not active. A member
    already recorded for the month is left as it is (recording twice has the effect of once)."""
    period = month_start(period)
    errors = []
    for member in members:
        if not can_record_dues(by, member):
            raise PermissionDenied
        if member.status == Member.Status.RETIRED:
            errors.append(_("%(name)s is retired and pays no dues.") % {"name": member.name})
        elif member.status != Member.Status.ACTIVE:
            errors.append(_("%(name)s is not an active member.") % {"name": member.name})
        elif member.monthly_wage is None:
            errors.append(_("%(name)s has no monthly wage recorded.") % {"name": member.name})
    if errors:
        raise ValidationError(errors)
    paid = set(DuesPayment.objects.filter(member__in=members, period=period).values_list("member_id", flat=True))
    created = DuesPayment.objects.bulk_create(
        [
            DuesPayment(
                member=member,
                period=period,
                wage=cast(Decimal, member.monthly_wage),  # None refused above
                amount=dues_for_wage(member.monthly_wage),
                recorded_by=by,
            )
            for member in members
            if member.pk not in paid
        ],
        ignore_conflicts=True,
    )
    if created:
        audit_record(
            actor=by,
            action="funds.dues_record",
            object_type="funds.duespayment",
            object_repr=f"{period:%Y-%m}",
            detail={"period": period.isoformat(), "members": [p.member_id for p in created]},
        )
    return created
