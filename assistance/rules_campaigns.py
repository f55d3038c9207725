"""The rules of help campaigns as pure functions (no ORM): a campaign's default rules by kind, their validation,
the amount a household or child gets, the stage of education a child starts, and the 医疗救助 amount with its
working (DOMAIN.md "Hardship assistance": the amounts are illustrative defaults; each federation sets its own).

A campaign's rules (``Campaign.rules``):
- ``categories``: the file categories that may receive help;
- ``amounts``: yuan by category (送温暖, 金秋助学, 生活救助);
- 金秋助学: ``min_age``/``max_age`` of the child, ``stages`` the grant is for;
- 医疗救助: ``threshold`` (yuan a year), ``rate`` (of the remainder above it), ``cap`` (yuan a year)."""

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from union_portal.money import ZERO, fits_money_field, round_fen

from .models.campaigns import CampaignKind, Stage
from .models.choices import Category

# The categories in words on the campaign pages (the shared choices' labels carry the Chinese term in brackets,
# which an English page must not show).
CATEGORY_LABELS = {
    Category.DEEP.value: gettext_lazy("Deep hardship"),
    Category.RELATIVE.value: gettext_lazy("Relative hardship"),
    Category.ACCIDENT.value: gettext_lazy("Hardship from an accident"),
    Category.NONE.value: gettext_lazy("Not in hardship"),
}

HELPED = [Category.DEEP.value, Category.RELATIVE.value, Category.ACCIDENT.value]

DEFAULT_RULES: dict[str, dict[str, Any]] = {
    CampaignKind.SPRING_FESTIVAL: {
        "categories": HELPED,
        "amounts": {"deep": "1000.00", "relative": "600.00", "accident": "800.00"},
    },
    CampaignKind.EDUCATION: {
        "categories": HELPED,
        "amounts": {"deep": "5000.00", "relative": "3000.00", "accident": "3000.00"},
        "stages": [Stage.UNIVERSITY.value, Stage.VOCATIONAL.value],
        "min_age": 15,
        "max_age": 25,
    },
    CampaignKind.MEDICAL: {
        "categories": HELPED,
        "threshold": "10000.00",
        "rate": "0.30",
        "cap": "20000.00",
    },
    CampaignKind.LIVING: {
        "categories": HELPED,
        "amounts": {"deep": "2000.00", "relative": "1000.00", "accident": "1500.00"},
    },
}

# Words in a school's name that tell the stage a child starts (the household's "school and year" field).
VOCATIONAL_WORDS = ("职业", "职院", "技师", "技工", "技校", "中专", "高职", "vocational", "technical")
UNIVERSITY_WORDS = ("大学", "学院", "本科", "专科", "university", "college")


def default_rules(kind: str) -> dict[str, Any]:
    return {
        key: (list(v) if isinstance(v, list) else dict(v) if isinstance(v, dict) else v)
        for key, v in DEFAULT_RULES[kind].items()
    }


def _money(value: Any) -> Decimal | None:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        return None
    if not fits_money_field(amount) or amount < 0:
        return None
    return amount


def rules_problems(kind: str, rules: Mapping[str, Any]) -> list[str]:
    """What is wrong with a campaign's rules, in words (empty when they are sound)."""
    problems: list[str] = []
    categories = rules.get("categories")
    if not isinstance(categories, list) or not categories or any(c not in HELPED for c in categories):
        problems.append(_("Choose at least one category of hardship the campaign helps."))
        categories = []
    if kind == CampaignKind.MEDICAL:
        for key, label in (("threshold", _("threshold")), ("cap", _("yearly cap"))):
            if _money(rules.get(key)) is None:
                problems.append(_("The %(what)s must be an amount of zero or more.") % {"what": label})
        rate = _money(rules.get("rate"))
        if rate is None or rate <= 0 or rate > 1:
            problems.append(_("The share paid must be more than 0 and at most 1 (e.g. 0.30)."))
        return problems
    amounts = rules.get("amounts")
    if not isinstance(amounts, Mapping):
        amounts = {}
    for category in categories:
        amount = _money(amounts.get(category))
        if amount is None or amount <= 0:
            problems.append(
                _("Give the amount for %(category)s: more than zero, in yuan.") % {"category": Category(category).label}
            )
    if kind == CampaignKind.EDUCATION:
        stages = rules.get("stages")
        if not isinstance(stages, list) or not stages or any(s not in Stage.values for s in stages):
            problems.append(_("Choose the stages of education the grant is for."))
        min_age, max_age = rules.get("min_age"), rules.get("max_age")
        if not (isinstance(min_age, int) and isinstance(max_age, int) and 10 <= min_age <= max_age <= 40):
            problems.append(_("The children's ages must be whole years, from 10 to 40, the lowest first."))
    return problems


def amount_for(rules: Mapping[str, Any], category: str) -> Decimal | None:
    """The amount for a file of ``category``, or None when the campaign does not help that category."""
    if category not in rules.get("categories", []):
        return None
    amount = _money(rules.get("amounts", {}).get(category))
    return round_fen(amount) if amount else None


def stage_of(school: str) -> str:
    """The stage of education a child's school names ("" when it names neither a university nor a vocational
    school). Vocational words first: 浙江工业职业技术学院 is a vocational college."""
    text = (school or "").lower()
    if any(word in text for word in VOCATIONAL_WORDS):
        return Stage.VOCATIONAL.value
    if any(word in text for word in UNIVERSITY_WORDS):
        return Stage.UNIVERSITY.value
    return ""


def education_problem(rules: Mapping[str, Any], *, age: int | None, stage: str) -> str:
    """Why a child cannot get the grant ("" when they may): the stage is not one the grant is for, or the age
    is outside the rules."""
    if stage not in rules.get("stages", []):
        return _("The child is not starting a university or vocational school the grant is for.")
    if age is None or not rules.get("min_age", 0) <= age <= rules.get("max_age", 200):
        return _("The child's age (%(age)s) is outside the grant's range of %(low)s to %(high)s years.") % {
            "age": "—" if age is None else age,
            "low": rules.get("min_age"),
            "high": rules.get("max_age"),
        }
    return ""


def medical_amount(
    rules: Mapping[str, Any], *, self_paid: Decimal, mutual_aid: Decimal
) -> tuple[Decimal, dict[str, str]]:
    """医疗救助: of the household's self-paid medical costs (after basic insurance) less the union's mutual-aid
    payouts, ``rate`` of what is above ``threshold``, at most ``cap``. Returns the amount and its working (codes
    and numbers, put into words by ``medical_working_lines``)."""
    threshold = _money(rules.get("threshold")) or ZERO
    rate = _money(rules.get("rate")) or ZERO
    cap = _money(rules.get("cap")) or ZERO
    remainder = max(ZERO, round_fen(self_paid - mutual_aid))
    above = max(ZERO, remainder - threshold)
    amount = min(cap, round_fen(above * rate))
    working = {
        "self_paid": str(round_fen(self_paid)),
        "mutual_aid": str(round_fen(mutual_aid)),
        "remainder": str(remainder),
        "threshold": str(round_fen(threshold)),
        "above": str(round_fen(above)),
        "rate": str(rate),
        "cap": str(round_fen(cap)),
        "amount": str(amount),
    }
    return amount, working


def medical_working_lines(working: Mapping[str, str]) -> list[str]:
    if "remainder" not in working:
        return []
    return [
        _("Self-paid medical costs after basic insurance: %(v)s yuan") % {"v": working["self_paid"]},
        _("Less the union's mutual-aid payouts: %(v)s yuan") % {"v": working["mutual_aid"]},
        _("Remainder: %(v)s yuan; above the threshold of %(t)s: %(a)s yuan")
        % {"v": working["remainder"], "t": working["threshold"], "a": working["above"]},
        _("%(rate)s of it, at most %(cap)s yuan: %(amount)s yuan")
        % {"rate": working["rate"], "cap": working["cap"], "amount": working["amount"]},
    ]
