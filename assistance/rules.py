"""The hardship rules as pure functions (no ORM): validating a rules version, the household's per-capita monthly
income, and the category the portal proposes with its working (DOMAIN.md "Hardship assistance").

Every threshold is data (``RuleSet.rules``); ``DEFAULT_RULES`` is what a new federation starts with. The working is
stored as codes and numbers (``Proposal.working``) and put into words on display (``working_lines``)."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from union_portal.money import round_fen

from .models.choices import Category, Cause

# Illustrative defaults (a federation sets its own line and amounts): 1,062 yuan a person a month was one
# Shandong city's minimum living standard line in 2024–2025 (DOMAIN.md); Shaoxing's differs.
DEFAULT_RULES: dict[str, Any] = {
    "poverty_line": "1062.00",  # minimum living standard line, yuan per person per month
    "relative_multiple": "1.5",  # 相对困难: under the line × this
    # Causes that make a household under the line 深度困难.
    "aggravating_causes": [
        Cause.SERIOUS_ILLNESS.value,
        Cause.DISABILITY.value,
        Cause.CHILD_IN_EDUCATION.value,
        Cause.LOSS_OF_BREADWINNER.value,
    ],
    # Causes whose rigid spending can make a household 意外致困 though its income is above the line.
    "accident_causes": [
        Cause.ACCIDENT.value,
        Cause.SUDDEN_ILLNESS.value,
        Cause.DISASTER.value,
        Cause.SERIOUS_ILLNESS.value,
    ],
    "notice_working_days": 5,  # public notice at the unit, counting its first day
    "file_valid_months": 12,  # a file is valid for a year, then reviewed
    "review_reminder_days": 30,  # reminder before the file's validity ends
}

CAUSE_VALUES = frozenset(Cause.values)


def _decimal(value: Any) -> Decimal | None:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        return None
    return number if number.is_finite() else None


def validate_rules(rules: Mapping[str, Any]) -> list[str]:
    """The problems of a rules version, in words (empty when it is valid). Every key of DEFAULT_RULES is needed."""
    errors: list[str] = []
    missing = [key for key in DEFAULT_RULES if key not in rules]
    if missing:
        errors.append(_("Missing rules: %(keys)s.") % {"keys": ", ".join(missing)})
        return errors
    line = _decimal(rules["poverty_line"])
    if line is None or line <= 0:
        errors.append(_("The minimum living standard line must be an amount above zero."))
    multiple = _decimal(rules["relative_multiple"])
    if multiple is None or multiple < 1:
        errors.append(_("The multiple for relative hardship must be a number of at least 1."))
    for key in ("aggravating_causes", "accident_causes"):
        value = rules[key]
        if not isinstance(value, list) or not set(value) <= CAUSE_VALUES:
            errors.append(_("The list of causes contains an unknown cause."))
    for key, low, high in (
        ("notice_working_days", 1, 30),
        ("file_valid_months", 1, 36),
        ("review_reminder_days", 1, 120),
    ):
        value = rules[key]
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            errors.append(
                _("%(rule)s must be a whole number from %(low)s to %(high)s.") % {"rule": key, "low": low, "high": high}
            )
    return errors


def per_capita_monthly(amount_12m: Decimal, household_size: int) -> Decimal:
    """A 12-month household amount per person per month, rounded to the fen."""
    if household_size < 1:
        raise ValueError("a household has at least one member")
    return round_fen(Decimal(amount_12m) / household_size / 12)


@dataclass(frozen=True)
class Proposal:
    category: str  # Category value
    working: dict[str, Any] = field(default_factory=dict)  # codes and numbers, put into words by working_lines


def propose_category(
    *,
    income_12m: Decimal,
    spending_12m: Decimal,
    household_size: int,
    causes: Iterable[str],
    rules: Mapping[str, Any],
) -> Proposal:
    """The category the rules give a household, with the working.

    深度困难: per-capita monthly income under the line and an aggravating cause. 意外致困: income at or above the line
    but income less rigid spending under it, with an accident cause. 相对困难: under the line × the multiple. In that
    order: a household that is both 意外致困 and under the relative line is proposed 意外致困 (the larger help)."""
    if income_12m < 0 or spending_12m < 0:
        raise ValueError("amounts must not be negative")
    causes = set(causes)
    line = Decimal(str(rules["poverty_line"]))
    relative_line = round_fen(line * Decimal(str(rules["relative_multiple"])))
    per_capita = per_capita_monthly(income_12m, household_size)
    net_per_capita = per_capita_monthly(max(income_12m - spending_12m, Decimal(0)), household_size)
    aggravating = sorted(causes & set(rules["aggravating_causes"]))
    accident = sorted(causes & set(rules["accident_causes"]))
    working: dict[str, Any] = {
        "income_12m": str(income_12m),
        "spending_12m": str(spending_12m),
        "household_size": household_size,
        "per_capita": str(per_capita),
        "net_per_capita": str(net_per_capita),
        "line": str(line),
        "relative_line": str(relative_line),
        "aggravating": aggravating,
        "accident": accident,
    }
    if per_capita < line and aggravating:
        category, reason = Category.DEEP, "below_line_with_cause"
    elif per_capita >= line and net_per_capita < line and accident:
        category, reason = Category.ACCIDENT, "spending_below_line"
    elif per_capita < relative_line:
        category, reason = Category.RELATIVE, "below_relative_line"
    else:
        category, reason = Category.NONE, "above_lines"
    working["reason"] = reason
    return Proposal(category=category.value, working=working)


def working_lines(working: Mapping[str, Any]) -> list[str]:
    """The working of a proposal in words, in the active language."""
    if not working:
        return []
    lines = [
        _("Per-capita monthly income: %(income)s yuan ÷ %(size)s people ÷ 12 months = %(per_capita)s yuan.")
        % {"income": working["income_12m"], "size": working["household_size"], "per_capita": working["per_capita"]},
        _("After rigid spending of %(spending)s yuan: %(net)s yuan a person a month.")
        % {"spending": working["spending_12m"], "net": working["net_per_capita"]},
        _("Minimum living standard line: %(line)s yuan; relative hardship line: %(relative)s yuan.")
        % {"line": working["line"], "relative": working["relative_line"]},
    ]
    labels = dict(Cause.choices)
    if working.get("aggravating"):
        lines.append(
            _("Aggravating causes: %(causes)s.") % {"causes": "、".join(str(labels[c]) for c in working["aggravating"])}
        )
    reasons = {
        "below_line_with_cause": _("Under the minimum living standard line with an aggravating cause: deep hardship."),
        "spending_below_line": _(
            "Income is above the line, but after rigid spending it is under it: hardship from an accident."
        ),
        "below_relative_line": _("Under the relative hardship line: relative hardship."),
        "above_lines": _("Above the lines: not in hardship by the rules."),
    }
    lines.append(str(reasons[working["reason"]]))
    return lines
