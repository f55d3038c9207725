"""Scheme periods, their benefits and the versions of the benefits' rules."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from union_portal.audit import audit_record
from union_portal.models import User
from union_portal.money import round_fen

from ..models import Benefit, RuleVersion, Scheme
from ..rules import DEFAULT_PREMIUMS, DEFAULT_RULES
from ..rules import validate_rules as _validate_rules
from ._common import _require


@transaction.atomic
def scheme_create(*, by: User, year: int, name: str = "", starts_on: dt.date | None = None, ends_on=None) -> Scheme:
    """A scheme period with the three default benefits and their default rules (DOMAIN.md), first version
    effective from the period's start. District admin only."""
    _require(year >= 2000, _("The year is not valid."), "year")
    _require(not Scheme.objects.filter(year=year).exists(), _("A scheme for this year exists already."), "year")
    starts_on = starts_on or dt.date(year, 1, 1)
    ends_on = ends_on or dt.date(year, 12, 31)
    _require(ends_on > starts_on, _("The period must end after it starts."), "ends_on")
    scheme = Scheme.objects.create(
        year=year, name=name or _("Medical mutual aid %(year)s") % {"year": year}, starts_on=starts_on, ends_on=ends_on
    )
    names = {
        Benefit.Kind.INPATIENT: ("住院医疗互助", False, "base"),
        Benefit.Kind.MAJOR_DISEASE: ("重大疾病互助", False, "base"),
        Benefit.Kind.FEMALE_DISEASE: ("女职工特殊疾病互助", True, "female"),
    }
    for kind, (bname, female_only, package) in names.items():
        benefit = Benefit.objects.create(
            scheme=scheme,
            kind=kind,
            name=bname,
            premium=DEFAULT_PREMIUMS[kind],
            female_only=female_only,
            package=package,
        )
        RuleVersion.objects.create(
            benefit=benefit, effective_from=starts_on, rules=DEFAULT_RULES[kind], created_by=by, note="default"
        )
    audit_record(actor=by, action="mutual_aid.scheme_create", obj=scheme)
    return scheme


@transaction.atomic
def scheme_update(*, by: User, scheme: Scheme, **fields) -> Scheme:
    allowed = {
        "name",
        "deadline_month",
        "deadline_day",
        "min_participation_pct",
        "large_unit_size",
        "large_unit_min_pct",
    }
    changes = {}
    for key, value in fields.items():
        _require(key in allowed, "bad field")
        changes[key] = [str(getattr(scheme, key)), str(value)]
        setattr(scheme, key, value)
    try:
        dt.date(2001, scheme.deadline_month, scheme.deadline_day)
    except ValueError:
        raise ValidationError({"deadline_day": _("The deadline is not a valid date.")}) from None
    scheme.save()
    audit_record(actor=by, action="mutual_aid.scheme_update", obj=scheme, detail=changes)
    return scheme


@transaction.atomic
def rule_version_create(
    *, by: User, benefit: Benefit, effective_from: dt.date, rules: dict, premium: Decimal | None = None, note: str = ""
) -> RuleVersion:
    """A new version of a benefit's rules. Claims admitted from ``effective_from`` on use it; earlier claims
    keep theirs. Versions are never edited, so a decided claim can always be recomputed."""
    scheme = benefit.scheme
    _require(
        scheme.starts_on <= effective_from <= scheme.ends_on,
        _("The date must lie within the scheme period."),
        "effective_from",
    )
    _require(
        not benefit.versions.filter(effective_from=effective_from).exists(),
        _("A version effective on this date exists already."),
        "effective_from",
    )
    try:
        rules = _validate_rules(benefit.kind, rules)
    except ValidationError as exc:
        raise ValidationError({"rules": exc.messages}) from None
    version = RuleVersion.objects.create(
        benefit=benefit, effective_from=effective_from, rules=rules, created_by=by, note=note
    )
    if premium is not None:
        _require(premium >= 0, _("The premium cannot be negative."), "premium")
        benefit.premium = round_fen(premium)
        benefit.save(update_fields=["premium"])
    audit_record(actor=by, action="mutual_aid.rules_version", obj=version, detail={"rules": rules})
    return version
