"""Money: ``Decimal`` yuan with two places, never float, rounded in one place.

``round_fen`` is the one rounding of money in the project: half up (ROUND_HALF_UP, 四舍五入) to the fen (分,
0.01 yuan). Every app rounds amounts with it and stores them in fields made with ``MONEY``."""

from decimal import Decimal
from typing import TypedDict

from django.utils.translation import gettext as _

from .rounding import round_half_up

FEN = Decimal("0.01")
ZERO = Decimal("0.00")


class MoneyFieldKwargs(TypedDict):
    max_digits: int
    decimal_places: int


# DecimalField kwargs of every amount: up to 9,999,999,999.99 yuan.
MONEY: MoneyFieldKwargs = {"max_digits": 12, "decimal_places": 2}


# The largest amount a field made with MONEY holds (9,999,999,999.99 yuan). An amount typed beyond it made
# the database adapter raise (a 500): every amount people enter is checked against it first.
MAX_AMOUNT = Decimal(10) ** (MONEY["max_digits"] - MONEY["decimal_places"]) - FEN


def fits_money_field(value: Decimal) -> bool:
    """True when ``value`` is a finite amount a MONEY field can store (before rounding to the fen)."""
    return value.is_finite() and abs(value) <= MAX_AMOUNT


def round_fen(value: Decimal | int | str) -> Decimal:
    """``value`` rounded half up to the fen: 0.005 → 0.01, 2.675 → 2.68, "10" → 10.00."""
    return round_half_up(value, FEN)


def is_whole_fen(value: Decimal) -> bool:
    """True when ``value`` has no part smaller than a fen (an amount as entered, before any rounding)."""
    return value == value.quantize(FEN)


# --- showing amounts ---------------------------------------------------------------------------------------
# Large amounts are shown in 万元 (ten thousand yuan), as Chinese reports write them, with the exact yuan
# beside them (a tooltip, the table, the Excel export). Both round here, half up, like every amount.

WAN = Decimal(10000)


def to_wan(value: Decimal | int | str) -> Decimal:
    """``value`` yuan in 万元, rounded half up to 0.01 万元 (100 yuan): 1,234,567.89 → 123.46."""
    return round_half_up(Decimal(value) / WAN, FEN)


def wan_text(value: Decimal | int | str) -> str:
    """An amount as people read it on a dashboard: "123.46 万元" (grouped thousands: "1,234.57 万元")."""
    return _("%(amount)s ten thousand yuan") % {"amount": f"{to_wan(value):,}"}


def yuan_text(value: Decimal | int | str) -> str:
    """The exact amount: "1,234,567.89 元"."""
    return _("%(amount)s yuan") % {"amount": f"{round_fen(value):,}"}
