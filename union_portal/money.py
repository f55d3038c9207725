"""Money: ``Decimal`` yuan with two places, never float, rounded in one place.

``round_fen`` is the one rounding of money in the project: half up (ROUND_HALF_UP, 四舍五入) to the fen (分,
0.01 yuan). Every app rounds amounts with it and stores them in fields made with ``MONEY``."""

from decimal import Decimal
from typing import TypedDict

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
