"""How figures read on the dashboard's pages and charts: money in 万元 with the exact yuan beside it, rates and
averages rounded half up, parts of a rate in words. Pure functions (no ORM); the Excel exports keep the exact
values. Money is converted and rounded by union_portal.money, the one place amounts are rounded."""

from decimal import Decimal

from django.utils.translation import gettext as _

from union_portal import money
from union_portal.rounding import round_half_up

from .registry import Kind, Metric

PERCENT_STEP = Decimal("0.01")  # the page: 12.35%
AVERAGE_STEP = Decimal("0.1")  # the page: 86.4 points
CHART_STEP = Decimal("0.1")  # a bar's label: 12.3 (a chart is read at a glance)


def figure_text(metric: Metric, value: Decimal | None) -> str:
    """A figure as text: counts whole ("1,234"), money in 万元 ("123.46 万元"), percentages to 0.01, averages to
    0.1; "—" when a rate or average has nothing to divide by."""
    if value is None:
        return "—"
    if metric.kind == Kind.COUNT:
        return f"{int(value):,}"
    if metric.kind == Kind.MONEY:
        return money.wan_text(value)
    if metric.kind == Kind.PERCENT:
        return f"{round_half_up(value, PERCENT_STEP)}%"
    return f"{round_half_up(value, AVERAGE_STEP)}"


def figure_exact(metric: Metric, value: Decimal | None) -> str:
    """The exact amount behind a money figure shown in 万元 ("1,234,567.89 元"); "" for other figures."""
    if value is None or metric.kind != Kind.MONEY:
        return ""
    return money.yuan_text(value)


def chart_value(metric: Metric, value: Decimal | None) -> float | None:
    """A bar's value: money in 万元 to 0.01, rates and averages to 0.1, counts whole. A float for the chart
    only, rounded first so the chart never labels a bar 12345.678901."""
    if value is None:
        return None
    if metric.kind == Kind.COUNT:
        return float(int(value))
    if metric.kind == Kind.MONEY:
        return float(money.to_wan(value))
    return float(round_half_up(value, CHART_STEP))


def chart_number(value: Decimal | None, *, step: Decimal = CHART_STEP) -> float | None:
    """Any other bar's value (an assessment's points), rounded half up to ``step`` first."""
    return None if value is None else float(round_half_up(value, step))


def chart_unit(metric: Metric) -> str:
    """The unit of a chart's value axis: 万元 for money (the bars are in 万元), else the figure's own."""
    if metric.kind == Kind.MONEY:
        return _("10k yuan")
    return str(metric.unit)


def _number(value: Decimal) -> str:
    whole = value == value.to_integral_value()
    return f"{int(value):,}" if whole else f"{round_half_up(value, AVERAGE_STEP):,}"


def parts_text(metric: Metric, snapshot) -> str:
    """The parts of a rate or average in words where they help ("32 家 / 40 家"), from the metric's ``parts``
    wording; "" for counts and sums, for figures without a wording, and when there is nothing to show."""
    if not metric.parts or snapshot is None or snapshot.denominator is None:
        return ""
    return str(metric.parts) % {
        "numerator": _number(Decimal(snapshot.numerator)),
        "denominator": _number(Decimal(snapshot.denominator)),
    }
