"""Allocation ratios: the shares by level in force, splitting an amount by them, and the districts' ratio sets."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from union_portal.audit import audit_record
from union_portal.models import OrgUnit, User
from union_portal.money import round_fen

from ..models import AllocationRatioSet, Level
from ..permissions import can_administer
from .rates import HUNDRED

LEVEL_ORDER: list[str] = [Level.GRASSROOTS, Level.DISTRICT, Level.CITY, Level.PROVINCE, Level.NATIONAL]


@dataclass(frozen=True)
class Ratios:
    """The shares (percent of the collected amount) in force, and where the rounding residue goes."""

    shares: dict[str, Decimal]
    residue_level: str
    ratio_set_id: int | None = None
    effective_from: dt.date | None = None

    def as_json(self) -> dict:
        return {
            "shares": {level: str(pct) for level, pct in self.shares.items()},
            "residue_level": self.residue_level,
            "ratio_set": self.ratio_set_id,
        }


def default_ratios() -> Ratios:
    """The shipped default (setting FUNDS_DEFAULT_RATIOS): 60% grassroots; the 40% above split district 20,
    city 10, province 5, national 5; residue to the grassroots union."""
    configured = getattr(settings, "FUNDS_DEFAULT_RATIOS", None) or {
        "grassroots": "60",
        "district": "20",
        "city": "10",
        "province": "5",
        "national": "5",
    }
    shares = {level: Decimal(str(configured.get(level, "0"))) for level in LEVEL_ORDER}
    return Ratios(shares=shares, residue_level=getattr(settings, "FUNDS_DEFAULT_RESIDUE_LEVEL", Level.GRASSROOTS))


def ratios_in_force(*, district: OrgUnit, on: dt.date) -> Ratios:
    """The district's ratio set in force on ``on`` (the latest effective on or before it), else the default."""
    ratio_set = (
        AllocationRatioSet.objects.filter(district=district, effective_from__lte=on).order_by("-effective_from").first()
    )
    if ratio_set is None:
        return default_ratios()
    return Ratios(
        shares=ratio_set.shares(),
        residue_level=ratio_set.residue_level,
        ratio_set_id=ratio_set.pk,
        effective_from=ratio_set.effective_from,
    )


def allocate(amount: Decimal, ratios: Ratios) -> dict[str, Decimal]:
    """Split ``amount`` by level. Each share is rounded with ``round_fen``; the residue (what the rounded
    shares miss of the amount, a few fen at most) goes to ``ratios.residue_level``, so the shares always
    sum exactly to the amount."""
    amount = Decimal(amount)
    shares = {level: round_fen(amount * pct / HUNDRED) for level, pct in ratios.shares.items()}
    shares[ratios.residue_level] += amount - sum(shares.values())
    return shares


def validate_ratio_shares(shares: dict[str, Decimal], residue_level: str) -> None:
    errors = []
    if any(pct < 0 for pct in shares.values()):
        errors.append(_("No share may be negative."))
    total = sum(shares.values())
    if total != HUNDRED:
        errors.append(_("The shares must add up to 100%% (they add up to %(total)s%%).") % {"total": total})
    if shares.get(residue_level, Decimal(0)) <= 0:
        errors.append(_("The level that takes the rounding residue must have a share above 0%."))
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def ratio_set_create(
    *,
    by: User,
    district: OrgUnit,
    effective_from: dt.date,
    grassroots_pct: Decimal,
    district_pct: Decimal,
    city_pct: Decimal,
    province_pct: Decimal,
    national_pct: Decimal,
    residue_level: str = Level.GRASSROOTS,
    note: str = "",
) -> AllocationRatioSet:
    """A new version of the district's allocation ratios, in force from ``effective_from``. The shares must
    sum to 100% and the residue level must have a share. Sets are never edited."""
    if district.kind != OrgUnit.Kind.DISTRICT:
        raise ValidationError(_("Allocation ratios are kept by a district federation."))
    if not can_administer(by, district):
        raise PermissionDenied
    shares: dict[str, Decimal] = {
        Level.GRASSROOTS: Decimal(grassroots_pct),
        Level.DISTRICT: Decimal(district_pct),
        Level.CITY: Decimal(city_pct),
        Level.PROVINCE: Decimal(province_pct),
        Level.NATIONAL: Decimal(national_pct),
    }
    if residue_level not in Level.values:
        raise ValidationError({"residue_level": _("Unknown level.")})
    validate_ratio_shares(shares, residue_level)
    if AllocationRatioSet.objects.filter(district=district, effective_from=effective_from).exists():
        raise ValidationError({"effective_from": _("A ratio set already takes effect on this date.")})
    ratio_set = AllocationRatioSet.objects.create(
        district=district,
        effective_from=effective_from,
        grassroots_pct=shares[Level.GRASSROOTS],
        district_pct=shares[Level.DISTRICT],
        city_pct=shares[Level.CITY],
        province_pct=shares[Level.PROVINCE],
        national_pct=shares[Level.NATIONAL],
        residue_level=residue_level,
        note=note,
        created_by=by,
    )
    audit_record(
        actor=by,
        action="funds.ratio_set_create",
        obj=ratio_set,
        detail={"shares": {k: str(v) for k, v in shares.items()}, "residue": residue_level},
    )
    return ratio_set
