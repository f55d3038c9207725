"""The scheme rules as people read and edit them: a version's rule data (``mutual_aid.rules``) turned into rows
and labels (bands as 起点/终点/比例 with the deductible apart, diseases by name, documents by label) and back.
Pure functions (no ORM): the editor's forms feed ``rules_from_editor``, whose result
``services.rule_version_create`` validates and saves as a new version, as the JSON editor did."""

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from .rules import ADDITION_FULL, ADDITION_MONTHS

LUMP_SUM_KINDS = ("major_disease", "female_disease")


def plain(value: Decimal | str | int) -> str:
    """A number as plain text without exponent or trailing zeros: 1000.00 -> "1000", 0.50 -> "0.5"."""
    text = format(Decimal(str(value)).normalize(), "f")
    return text


def rate_to_pct(rate: str | Decimal) -> Decimal:
    return Decimal(plain(Decimal(str(rate)) * 100))


def pct_to_rate(pct: Decimal) -> str:
    return plain(Decimal(pct) / 100)


def split_deductible(bands: list) -> tuple[Decimal, list]:
    """The deductible (免赔额: a first band paying 0%) apart from the paying bands."""
    if len(bands) > 1 and Decimal(str(bands[0][2])) == 0 and bands[0][1] is not None:
        return Decimal(str(bands[0][1])), bands[1:]
    return Decimal("0"), bands


def rules_to_editor(kind: str, rules: dict) -> dict[str, Any]:
    """The initial values of the editor's forms: ``meta`` (the single fields), ``bands`` and ``diseases``
    (one dict per row)."""
    meta: dict[str, Any] = {
        "waiting_days": int(rules.get("waiting_days", 0)),
        "documents": list(rules.get("documents", [])),
        "addition_premium": rules.get("addition_premium", ADDITION_FULL),
    }
    bands: list[dict] = []
    diseases: list[dict] = []
    if kind == "inpatient":
        deductible, paying = split_deductible(rules.get("bands", []))
        meta["deductible"] = Decimal(plain(deductible))
        meta["cap"] = Decimal(str(rules.get("cap", "0")))
        bands = [
            {
                "start": Decimal(plain(low)),
                "end": None if high is None else Decimal(plain(high)),
                "rate_pct": rate_to_pct(rate),
            }
            for low, high, rate in paying
        ]
    else:
        meta["once_per"] = rules.get("once_per", "period")
        diseases = [
            {"code": code, "name": entry["name"], "amount": Decimal(str(entry["amount"]))}
            for code, entry in rules.get("diseases", {}).items()
        ]
    return {"meta": meta, "bands": bands, "diseases": diseases}


def _new_code(taken: set[str]) -> str:
    n = 1
    while f"disease_{n}" in taken:
        n += 1
    return f"disease_{n}"


def rules_from_editor(kind: str, *, meta: dict, bands: list[dict], diseases: list[dict], previous: dict) -> dict:
    """Rule data from the editor's cleaned rows (blank and deleted rows left out by the caller). Keys the
    editor does not show are kept from ``previous``. A new disease row gets a fresh code (claims and the
    period ledger refer to diseases by code, so an existing row keeps its own)."""
    rules = dict(previous)
    rules["waiting_days"] = int(meta["waiting_days"])
    rules["documents"] = list(meta["documents"])
    rules["addition_premium"] = meta.get("addition_premium") or ADDITION_FULL
    if kind == "inpatient":
        rows = []
        deductible = Decimal(meta.get("deductible") or 0)
        if deductible > 0:
            rows.append(["0", plain(deductible), "0"])
        for band in bands:
            end = band.get("end")
            rows.append([plain(band["start"]), None if end is None else plain(end), pct_to_rate(band["rate_pct"])])
        rules["bands"] = rows
        rules["cap"] = str(meta["cap"])
    else:
        taken = {row["code"] for row in diseases if row.get("code")}
        out = {}
        for row in diseases:
            code = row.get("code") or _new_code(taken | set(out))
            out[code] = {"name": row["name"].strip(), "amount": str(row["amount"])}
        rules["diseases"] = out
        rules["once_per"] = meta.get("once_per") or "period"
    return rules


def addition_premium_choices():
    return [
        (ADDITION_FULL, _("Full premium")),
        (ADDITION_MONTHS, _("By the whole months remaining in the period")),
    ]


def once_per_choices():
    return [("period", _("Once per period")), ("disease", _("Once per disease"))]


def rules_display(kind: str, rules: dict) -> dict[str, Any]:
    """A version's rules for a read-only table: numbers as plain text, rates in per cent, names and labels
    in words."""
    from .models import ClaimDocument

    labels = dict(ClaimDocument.Kind.choices)
    shown = rules_to_editor(kind, rules)
    meta = shown["meta"]
    return {
        "inpatient": kind == "inpatient",
        "deductible": plain(meta.get("deductible", 0)),
        "cap": meta.get("cap"),
        "bands": [
            {
                "start": plain(b["start"]),
                "end": "" if b["end"] is None else plain(b["end"]),
                "pct": plain(b["rate_pct"]),
            }
            for b in shown["bands"]
        ],
        "diseases": shown["diseases"],
        "waiting_days": meta["waiting_days"],
        "documents": [str(labels.get(d, d)) for d in meta["documents"]],
        "addition_premium": dict(addition_premium_choices()).get(meta["addition_premium"], ""),
        "once_per": dict(once_per_choices()).get(meta.get("once_per", ""), ""),
    }
