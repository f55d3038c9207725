"""Allocation: every split sums to the fen; ratio sets are versioned and must sum to 100%."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from funds.models import Level
from funds.services import LEVEL_ORDER, Ratios, allocate, default_ratios, ratio_set_create, ratios_in_force
from union_portal.money import round_fen

from .conftest import YEAR

amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999999.99"), places=2)


@st.composite
def ratio_sets(draw):
    """Random shares (two decimals) summing to 100, the residue level with a share above zero."""
    cents = sorted(draw(st.lists(st.integers(min_value=0, max_value=10000), min_size=4, max_size=4)))
    bounds = [0, *cents, 10000]
    shares = {level: Decimal(bounds[i + 1] - bounds[i]) / 100 for i, level in enumerate(LEVEL_ORDER)}
    residue = draw(st.sampled_from([level for level, pct in shares.items() if pct > 0]))
    return Ratios(shares=shares, residue_level=residue)


@settings(max_examples=3000, deadline=None)
@given(amount=amounts)
def test_default_split_sums_exactly_to_the_collected_amount(amount):
    shares = allocate(amount, default_ratios())
    assert sum(shares.values()) == amount
    assert all(share == share.quantize(Decimal("0.01")) and share >= 0 for share in shares.values())


@settings(max_examples=3000, deadline=None)
@given(amount=amounts, ratios=ratio_sets())
def test_any_ratio_set_splits_to_the_fen_and_each_share_is_within_a_few_fen_of_exact(amount, ratios):
    shares = allocate(amount, ratios)
    assert sum(shares.values()) == amount
    for level, share in shares.items():
        exact = amount * ratios.shares[level] / 100
        # each rounded share is within half a fen; the residue level also takes the others' half fens
        assert abs(share - exact) <= Decimal("0.025")
        assert share == share.quantize(Decimal("0.01"))


def test_the_rounding_residue_goes_to_the_defined_level():
    ratios = Ratios(
        shares={
            "grassroots": Decimal("60"),
            "district": Decimal("20"),
            "city": Decimal("10"),
            "province": Decimal("5"),
            "national": Decimal("5"),
        },
        residue_level=Level.NATIONAL,
    )
    # 0.05 → 0.03, 0.01, 0.01 (0.005 rounds up), 0.00 (0.0025), residue -0.00; try 1.01:
    shares = allocate(Decimal("1.01"), ratios)
    assert shares["grassroots"] == Decimal("0.61")  # 0.606
    assert shares["district"] == Decimal("0.20")  # 0.202
    assert shares["city"] == Decimal("0.10")  # 0.101
    assert shares["province"] == Decimal("0.05")  # 0.0505
    assert shares["national"] == Decimal("0.05")  # 0.0505 rounded 0.05, residue 0.00
    shares = allocate(Decimal("0.07"), ratios)
    # 0.042→0.04, 0.014→0.01, 0.007→0.01, 0.0035→0.00; national takes 0.07-0.06 = 0.01
    assert shares == {
        "grassroots": Decimal("0.04"),
        "district": Decimal("0.01"),
        "city": Decimal("0.01"),
        "province": Decimal("0.00"),
        "national": Decimal("0.01"),
    }


def test_round_fen_rounds_half_up():
    assert round_fen(Decimal("0.005")) == Decimal("0.01")
    assert round_fen(Decimal("0.0049")) == Decimal("0.00")
    assert round_fen(Decimal("2.675")) == Decimal("2.68")


def _create(by, district, **overrides):
    values = {
        "effective_from": dt.date(YEAR, 1, 1),
        "grassroots_pct": Decimal("60"),
        "district_pct": Decimal("25"),
        "city_pct": Decimal("10"),
        "province_pct": Decimal("3"),
        "national_pct": Decimal("2"),
    }
    values.update(overrides)
    return ratio_set_create(by=by, district=district, **values)


def test_ratio_sets_that_do_not_sum_to_100_are_refused(tree, district_admin):
    with pytest.raises(ValidationError) as info:
        _create(district_admin, tree["SX-KQ"], national_pct=Decimal("3"))
    assert "100" in " ".join(info.value.messages)


def test_a_residue_level_without_a_share_is_refused(tree, district_admin):
    with pytest.raises(ValidationError):
        _create(
            district_admin,
            tree["SX-KQ"],
            national_pct=Decimal("0"),
            province_pct=Decimal("5"),
            residue_level=Level.NATIONAL,
        )


def test_ratio_sets_are_versioned_by_effective_date(tree, district_admin):
    district = tree["SX-KQ"]
    first = _create(district_admin, district)
    _create(
        district_admin,
        district,
        effective_from=dt.date(YEAR, 7, 1),
        grassroots_pct=Decimal("55"),
        district_pct=Decimal("30"),
    )

    assert ratios_in_force(district=district, on=dt.date(YEAR - 1, 12, 1)).ratio_set_id is None  # the default
    assert ratios_in_force(district=district, on=dt.date(YEAR, 6, 1)).ratio_set_id == first.pk
    assert ratios_in_force(district=district, on=dt.date(YEAR, 7, 1)).shares["grassroots"] == Decimal("55")


def test_two_sets_on_one_date_are_refused(tree, district_admin):
    _create(district_admin, tree["SX-KQ"])
    with pytest.raises(ValidationError):
        _create(district_admin, tree["SX-KQ"])


def test_township_staff_cannot_set_ratios(tree, huashe_staff):
    with pytest.raises(PermissionDenied):
        _create(huashe_staff, tree["SX-KQ"])
