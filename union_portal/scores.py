"""Scores and points (competition totals, assessment points): a rule of their own, not money.

``round_score`` is the one rounding of scores: half up to two places (0.01 point)."""

from decimal import ROUND_HALF_UP, Decimal

SCORE_STEP = Decimal("0.01")


def round_score(value: Decimal | int | str) -> Decimal:
    """``value`` rounded half up to 0.01 point: 84.505 → 84.51."""
    return Decimal(value).quantize(SCORE_STEP, rounding=ROUND_HALF_UP)
