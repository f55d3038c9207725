"""The money rules of mutual aid as pure functions over rule data (a RuleVersion's ``rules`` JSON).

Amounts are rounded only by ``union_portal.money.round_fen`` (half up to the fen). Never float.

Rule data, by benefit kind:
- inpatient: {"bands": [["0", "1000", "0"], ["1000", "10000", "0.5"], ...] (the last "to" may be null),
  "cap": "30000.00", "waiting_days": 30, "documents": [...]}
- major_disease: {"diseases": {"code": {"name": "...", "amount": "10000.00"}}, "once_per": "period",
  "waiting_days": 90, "documents": [...]}
- female_disease: same with "once_per": "disease".
Every kind may carry "addition_premium": "full" (the default) or "months": the premium of members added to a
unit's enrolment during the period (增员), the full premium or by the whole months remaining.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from union_portal.money import ZERO, round_fen

INPATIENT_DOCUMENTS = ["application", "id_card", "bank_card", "invoice", "settlement", "discharge"]
LUMP_SUM_DOCUMENTS = ["application", "id_card", "bank_card", "discharge", "pathology"]

DEFAULT_RULES: dict[str, Any] = {
    "inpatient": {
        "bands": [["0", "1000", "0"], ["1000", "10000", "0.5"], ["10000", "50000", "0.6"], ["50000", None, "0.7"]],
        "cap": "30000.00",
        "waiting_days": 30,
        "documents": INPATIENT_DOCUMENTS,
    },
    "major_disease": {
        "diseases": {
            "cancer": {"name": "恶性肿瘤", "amount": "10000.00"},
            "uremia": {"name": "尿毒症（慢性肾功能衰竭）", "amount": "10000.00"},
            "organ_transplant": {"name": "重大器官移植术", "amount": "10000.00"},
            "stroke_sequelae": {"name": "脑中风后遗症", "amount": "10000.00"},
            "myocardial_infarction": {"name": "急性心肌梗塞", "amount": "10000.00"},
            "aplastic_anemia": {"name": "再生障碍性贫血", "amount": "10000.00"},
        },
        "once_per": "period",
        "waiting_days": 90,
        "documents": LUMP_SUM_DOCUMENTS,
    },
    "female_disease": {
        "diseases": {
            "breast_cancer": {"name": "乳腺癌", "amount": "8000.00"},
            "cervical_cancer": {"name": "宫颈癌", "amount": "8000.00"},
            "ovarian_cancer": {"name": "卵巢癌", "amount": "8000.00"},
            "uterine_cancer": {"name": "子宫内膜癌", "amount": "8000.00"},
            "breast_cis": {"name": "乳腺原位癌", "amount": "2000.00"},
            "cervical_cis": {"name": "宫颈原位癌", "amount": "2000.00"},
        },
        "once_per": "disease",
        "waiting_days": 90,
        "documents": LUMP_SUM_DOCUMENTS,
    },
}
# The English names of the default rules' diseases (the rules carry the Chinese name an administrator gave).
DISEASE_LABELS = {
    "cancer": gettext_lazy("Malignant tumour"),
    "uremia": gettext_lazy("Uraemia (chronic renal failure)"),
    "organ_transplant": gettext_lazy("Major organ transplant"),
    "stroke_sequelae": gettext_lazy("Sequelae of stroke"),
    "myocardial_infarction": gettext_lazy("Acute myocardial infarction"),
    "aplastic_anemia": gettext_lazy("Aplastic anaemia"),
    "breast_cancer": gettext_lazy("Breast cancer"),
    "cervical_cancer": gettext_lazy("Cervical cancer"),
    "ovarian_cancer": gettext_lazy("Ovarian cancer"),
    "uterine_cancer": gettext_lazy("Endometrial cancer"),
    "breast_cis": gettext_lazy("Breast carcinoma in situ"),
    "cervical_cis": gettext_lazy("Cervical carcinoma in situ"),
}


def disease_name(rules: dict, code: str) -> str:
    """A disease of the rules in words: the name the rules give (Chinese), or in English, when the language is
    not Chinese, the English name of a known disease. Never the code, unless the rules no longer list it and it
    has no known name."""
    entry = (rules.get("diseases") or {}).get(code) or {}
    name = entry.get("name", "")
    if not (get_language() or "zh").startswith("zh") and code in DISEASE_LABELS:
        return str(DISEASE_LABELS[code])
    return name or (str(DISEASE_LABELS[code]) if code in DISEASE_LABELS else code)


def resolve_disease(rules: dict, value: str) -> str:
    """The disease code for ``value``: a code of the rules, or the name (Chinese or English) of one; "" when
    neither."""
    value = (value or "").strip()
    diseases = rules.get("diseases") or {}
    if value in diseases:
        return value
    for code, entry in diseases.items():
        if value and value in (entry.get("name"), str(DISEASE_LABELS.get(code, ""))):
            return code
    return ""


DEFAULT_PREMIUMS = {"inpatient": Decimal("60.00"), "major_disease": Decimal("0.00"), "female_disease": Decimal("20.00")}


def fmt(value: Decimal) -> str:
    return str(round_fen(value))


def _dec(value, what: str) -> Decimal:
    try:
        result = Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        raise ValidationError(_("%(what)s is not a number.") % {"what": what}) from None
    if not result.is_finite():
        raise ValidationError(_("%(what)s is not a number.") % {"what": what})
    return result


@dataclass
class Computation:
    amount: Decimal
    lines: list[dict] = field(default_factory=list)
    capped: bool = False

    def as_working(self) -> dict:
        return {"amount": fmt(self.amount), "lines": self.lines, "capped": self.capped}


def compute_inpatient(rules: dict, *, base: Decimal, prior_base: Decimal, prior_paid: Decimal) -> Computation:
    """The inpatient aid for ``base`` added on top of ``prior_base`` already claimed this period, with
    ``prior_paid`` already granted against the cap. Bands apply to the cumulative base."""
    base, prior_base, prior_paid = round_fen(base), round_fen(prior_base), round_fen(prior_paid)
    start, end = prior_base, prior_base + base
    lines: list[dict] = []
    total = ZERO
    for low, high, rate in rules["bands"]:
        low = Decimal(low)
        high = Decimal(high) if high is not None else None
        seg_low = max(start, low)
        seg_high = end if high is None else min(end, high)
        if seg_high <= seg_low:
            continue
        portion = seg_high - seg_low
        amount = round_fen(portion * Decimal(rate))
        total += amount
        lines.append(
            {
                "kind": "band",
                "from": fmt(seg_low),
                "to": fmt(seg_high),
                "base": fmt(portion),
                "rate": str(Decimal(rate)),
                "amount": fmt(amount),
            }
        )
    cap = round_fen(rules["cap"])
    remaining = max(ZERO, cap - prior_paid)
    capped = total > remaining
    if capped:
        lines.append({"kind": "cap", "cap": fmt(cap), "prior_paid": fmt(prior_paid), "amount": fmt(remaining)})
        total = remaining
    return Computation(amount=round_fen(total), lines=lines, capped=capped)


def lump_sum_key(kind: str, rules: dict, disease: str) -> str:
    return kind if rules.get("once_per", "period") == "period" else f"{kind}:{disease}"


def compute_lump_sum(kind: str, rules: dict, *, disease: str, used: list[str]) -> Computation:
    """A listed disease's lump sum, or nothing when the period's (or this disease's) lump sum is used."""
    entry = rules["diseases"].get(disease)
    if entry is None:
        raise ValidationError(_("The disease is not on the scheme's list."))
    amount = round_fen(entry["amount"])
    line = {"kind": "lump_sum", "disease": disease, "name": entry["name"], "amount": fmt(amount)}
    if lump_sum_key(kind, rules, disease) in used:
        return Computation(amount=ZERO, lines=[line, {"kind": "used", "amount": "0.00"}], capped=True)
    return Computation(amount=amount, lines=[line])


ADDITION_FULL, ADDITION_MONTHS = "full", "months"
ADDITION_PREMIUM_RULES = (ADDITION_FULL, ADDITION_MONTHS)


def period_months(starts_on: dt.date, ends_on: dt.date) -> int:
    """The calendar months a period touches (a calendar year: 12)."""
    return (ends_on.year - starts_on.year) * 12 + ends_on.month - starts_on.month + 1


def months_remaining(starts_on: dt.date, ends_on: dt.date, on: dt.date) -> int:
    """The whole months of the period left on ``on``: the month of ``on`` counts whole (the member is covered
    in it), the months before it do not; 0 after the period, the whole period before it."""
    if on > ends_on:
        return 0
    return min(period_months(starts_on, ends_on), period_months(max(on, starts_on), ends_on))


def addition_premium(
    rules: dict, premium: Decimal, *, starts_on: dt.date, ends_on: dt.date, on: dt.date
) -> tuple[Decimal, int | None]:
    """The premium per person of a member added to the enrolment on ``on``, and the months charged (None:
    the full premium). By months: premium × remaining months ÷ the period's months, rounded to the fen."""
    premium = round_fen(premium)
    if rules.get("addition_premium", ADDITION_FULL) != ADDITION_MONTHS:
        return premium, None
    months = months_remaining(starts_on, ends_on, on)
    return round_fen(premium * months / period_months(starts_on, ends_on)), months


def validate_rules(kind: str, rules: dict) -> dict:
    """Check rule data an administrator entered; return it normalised (money as strings). Raises
    ValidationError with a clear message."""
    if not isinstance(rules, dict):
        raise ValidationError(_("The rules must be a JSON object."))
    out = dict(rules)
    waiting = rules.get("waiting_days", 0)
    if not isinstance(waiting, int) or waiting < 0:
        raise ValidationError(_("The waiting period must be a whole number of days, 0 or more."))
    if rules.get("addition_premium", ADDITION_FULL) not in ADDITION_PREMIUM_RULES:
        raise ValidationError(_("The premium of added members must be the full premium or by months."))
    docs = rules.get("documents", [])
    from .models import CLAIM_DOCUMENT_KINDS

    if not isinstance(docs, list) or any(d not in CLAIM_DOCUMENT_KINDS for d in docs):
        raise ValidationError(_("The document list names an unknown document."))
    if kind == "inpatient":
        bands = rules.get("bands")
        if not isinstance(bands, list) or not bands:
            raise ValidationError(_("The bands are missing."))
        previous_high = Decimal("0")
        normalised = []
        for i, band in enumerate(bands):
            if not isinstance(band, list | tuple) or len(band) != 3:
                raise ValidationError(_("Each band is [from, to, rate]."))
            low = _dec(band[0], _("A band's start"))
            high = None if band[1] is None else _dec(band[1], _("A band's end"))
            rate = _dec(band[2], _("A band's rate"))
            if low != previous_high:
                raise ValidationError(_("The bands must start at 0 and follow each other without gaps."))
            if high is not None and high <= low:
                raise ValidationError(_("A band must end above its start."))
            if high is None and i != len(bands) - 1:
                raise ValidationError(_("Only the last band may be open-ended."))
            if not Decimal("0") <= rate <= Decimal("1"):
                raise ValidationError(_("A band's rate must lie between 0 and 1."))
            normalised.append([str(low), None if high is None else str(high), str(rate)])
            previous_high = high if high is not None else previous_high
        out["bands"] = normalised
        cap = _dec(rules.get("cap"), _("The cap"))
        if cap <= 0:
            raise ValidationError(_("The cap must be more than 0."))
        out["cap"] = fmt(cap)
    else:
        diseases = rules.get("diseases")
        if not isinstance(diseases, dict) or not diseases:
            raise ValidationError(_("The disease list is missing."))
        normalised_d = {}
        for code, entry in diseases.items():
            if not isinstance(entry, dict) or not entry.get("name"):
                raise ValidationError(_("Each disease needs a name and an amount."))
            amount = _dec(entry.get("amount"), _("A lump sum"))
            if amount <= 0:
                raise ValidationError(_("A lump sum must be more than 0."))
            normalised_d[str(code)] = {"name": str(entry["name"]), "amount": fmt(amount)}
        out["diseases"] = normalised_d
        if rules.get("once_per", "period") not in ("period", "disease"):
            raise ValidationError(_("once_per must be 'period' or 'disease'."))
    return out
