"""Half-up rounding (四舍五入) to a step: the one way figures are rounded in the project.

Money rounds to the fen (``money.round_fen``), scores to 0.01 point (``scores.round_score``), shares and means to
the step their page shows; each is this function with its own step."""

from decimal import ROUND_HALF_UP, Decimal


def round_half_up(value: Decimal | int | str, step: Decimal) -> Decimal:
    """``value`` rounded half up to ``step`` (a power of ten such as Decimal("0.1")): 2.675 → 2.68 at 0.01."""
    return Decimal(value).quantize(step, rounding=ROUND_HALF_UP)
