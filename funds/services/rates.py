"""The rates: union funds on the payroll (2%) and member dues on the wage (0.5%), from settings."""

from decimal import ROUND_FLOOR, Decimal

from django.conf import settings

from members.models import Member
from union_portal.money import ZERO, round_fen

HUNDRED = Decimal("100")


def _setting_decimal(name: str, default: str) -> Decimal:
    return Decimal(str(getattr(settings, name, default)))


def funds_rate() -> Decimal:
    """Union funds as a fraction of the payroll (2%; setting FUNDS_RATE_PERCENT)."""
    return _setting_decimal("FUNDS_RATE_PERCENT", "2") / HUNDRED


def funds_due_for_payroll(payroll: Decimal) -> Decimal:
    return round_fen(payroll * funds_rate())


def dues_for_wage(wage: Decimal | None) -> Decimal:
    """Monthly dues on a wage: 0.5% (setting DUES_RATE_PERCENT) of the wage floored to whole 10 yuan
    (setting DUES_WAGE_STEP): the part of the wage under 10 yuan is not counted. 4,567.89 → 4,560 → 22.80.
    A wage under 10 yuan owes nothing."""
    if wage is None or wage <= 0:
        return ZERO
    step = _setting_decimal("DUES_WAGE_STEP", "10")
    counted = (Decimal(wage) / step).to_integral_value(rounding=ROUND_FLOOR) * step
    return round_fen(counted * _setting_decimal("DUES_RATE_PERCENT", "0.5") / HUNDRED)


def member_dues_due(member: Member) -> Decimal | None:
    """Dues one member owes per month: nothing for retired members, None when the wage is unknown."""
    if member.status == Member.Status.RETIRED:
        return ZERO
    if member.monthly_wage is None:
        return None
    return dues_for_wage(member.monthly_wage)
