"""The rules of a harmonious-enterprise rating, pure (no ORM): which indicators are met, the weighted score,
whether the required ones hold, and what counts as a serious dispute."""

from dataclasses import dataclass
from decimal import Decimal

# The rate indicators (a percentage against a threshold); the others are yes/no facts.
RATE_KEYS = frozenset({"contract_rate", "insurance_rate"})

# Shipped default indicators of a new batch: (key, weight, threshold %, must be met). The district edits them.
DEFAULT_INDICATORS: tuple[tuple[str, int, Decimal | None, bool], ...] = (
    ("contract_rate", 20, Decimal("100"), True),
    ("insurance_rate", 20, Decimal("95"), True),
    ("wages_on_time", 15, None, True),
    ("collective_contract", 15, None, True),
    ("congress", 10, None, True),
    ("safety", 10, None, True),
    ("no_dispute", 10, None, True),
)

# Case types and outcomes that make a rights case a serious dispute (besides any group case).
SERIOUS_OUTCOMES = frozenset({"not_resolved", "referred"})


@dataclass(frozen=True)
class Indicator:
    key: str
    weight: int
    threshold: Decimal | None
    required: bool


@dataclass(frozen=True)
class IndicatorResult:
    key: str
    weight: int
    met: bool
    required: bool
    value: object


@dataclass(frozen=True)
class Assessment:
    results: tuple[IndicatorResult, ...]
    score: Decimal
    passed: bool
    failing: tuple[str, ...]  # keys of required indicators not met (and "score" when below the pass score)


def is_serious_dispute(*, is_group: bool, outcome: str) -> bool:
    """A group case is always serious; a single case is when it could not be resolved or went to arbitration."""
    return is_group or outcome in SERIOUS_OUTCOMES


def is_withdrawing_case(*, is_group: bool, case_type: str) -> bool:
    """A group case of unpaid wages withdraws a harmonious-enterprise title."""
    return is_group and case_type == "unpaid_wages"


def indicator_met(indicator: Indicator, value: object) -> bool:
    if indicator.key in RATE_KEYS:
        if value is None:
            return False
        return Decimal(str(value)) >= (indicator.threshold if indicator.threshold is not None else Decimal("0"))
    return bool(value)


def assess(indicators: list[Indicator], values: dict[str, object], *, pass_score: Decimal) -> Assessment:
    """Score = points of the met indicators ÷ all points × 100 (two decimals, truncated down never up: a score
    is not money, and 79.996 must not pass an 80 bar). Passed when every required indicator is met and the score
    reaches ``pass_score``."""
    results = tuple(
        IndicatorResult(i.key, i.weight, indicator_met(i, values.get(i.key)), i.required, values.get(i.key))
        for i in indicators
    )
    total = sum(r.weight for r in results)
    got = sum(r.weight for r in results if r.met)
    score = (
        (Decimal(got) * 100 / Decimal(total)).quantize(Decimal("0.01"), rounding="ROUND_DOWN") if total else Decimal(0)
    )
    failing = [r.key for r in results if r.required and not r.met]
    if score < pass_score:
        failing.append("score")
    return Assessment(results=results, score=score, passed=not failing, failing=tuple(failing))
