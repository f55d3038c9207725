"""Scores and points (competition totals, assessment points): a rule of their own, not money.

``round_score`` is the one rounding of scores: half up to two places (0.01 point)."""

from decimal import Decimal

from .rounding import round_half_up

SCORE_STEP = Decimal("0.01")


def round_score(value: Decimal | int | str) -> Decimal:
    """``value`` rounded half up to 0.01 point: 84.505 → 84.51."""
    return round_half_up(value, SCORE_STEP)
