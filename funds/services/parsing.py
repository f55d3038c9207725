"""Months, amounts and dates as people write them in forms and in the tax authority's export."""

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from union_portal.money import FEN, is_whole_fen

_PERIOD_RE = re.compile(r"^\s*(\d{4})\s*[-/.年]?\s*(\d{1,2})\s*(?:月|[-/.]\s*\d{1,2}\s*日?)?\s*$")


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def parse_period(text: str) -> dt.date:
    """'2026-03', '2026/3', '202603', '2026年3月' or a date in the month → the first day of the month."""
    match = _PERIOD_RE.match(str(text or ""))
    if not match:
        raise ValidationError(_("Not a month: write it as 2026-03."))
    year, month = int(match.group(1)), int(match.group(2))
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        raise ValidationError(_("Not a month: write it as 2026-03."))
    return dt.date(year, month, 1)


def parse_money(text, *, allow_zero: bool = True) -> Decimal:
    """A non-negative amount in yuan with at most two decimals ('12,345.60' allowed)."""
    raw = str(text if text is not None else "").replace(",", "").replace("，", "").strip()
    try:
        value = Decimal(raw)
    except (InvalidOperation, ValueError):
        raise ValidationError(_("Not a number.")) from None
    if not value.is_finite():
        raise ValidationError(_("Not a number."))
    if value < 0:
        raise ValidationError(_("Must not be negative."))
    if value == 0 and not allow_zero:
        raise ValidationError(_("Must be more than zero."))
    if not is_whole_fen(value):
        raise ValidationError(_("At most two decimal places (fen)."))
    if value >= Decimal("10000000000"):
        raise ValidationError(_("The amount is too large."))
    return value.quantize(FEN)


def parse_date(text) -> dt.date:
    raw = str(text or "").strip().replace("/", "-").replace(".", "-")
    try:
        return dt.date.fromisoformat(raw[:10])
    except ValueError:
        raise ValidationError(_("Not a date: write it as 2026-03-15.")) from None
