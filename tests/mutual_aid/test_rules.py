from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from mutual_aid.rules import DEFAULT_RULES, compute_inpatient, compute_lump_sum, validate_rules
from union_portal.money import round_fen as money

INPATIENT = DEFAULT_RULES["inpatient"]


def test_money_rounds_half_up_to_the_fen():
    assert money(Decimal("0.005")) == Decimal("0.01")
    assert money(Decimal("2.675")) == Decimal("2.68")
    assert money("10") == Decimal("10.00")


def test_the_issue_example_base_12000_pays_5700():
    result = compute_inpatient(INPATIENT, base=Decimal("12000"), prior_base=Decimal("0"), prior_paid=Decimal("0"))
    assert result.amount == Decimal("5700.00")
    assert [(line["base"], line["rate"], line["amount"]) for line in result.lines] == [
        ("1000.00", "0", "0.00"),
        ("9000.00", "0.5", "4500.00"),
        ("2000.00", "0.6", "1200.00"),
    ]


def test_a_later_claim_continues_on_the_cumulative_base():
    # given 12,000 already claimed, when 3,000 more: all of it in the 60% band
    result = compute_inpatient(INPATIENT, base=Decimal("3000"), prior_base=Decimal("12000"), prior_paid=Decimal("5700"))
    assert result.amount == Decimal("1800.00")


def test_the_claim_over_the_cap_is_cut_to_what_is_left():
    result = compute_inpatient(
        INPATIENT, base=Decimal("20000"), prior_base=Decimal("50000"), prior_paid=Decimal("28000")
    )
    assert result.amount == Decimal("2000.00") and result.capped


def test_the_top_band_pays_70_percent():
    result = compute_inpatient(INPATIENT, base=Decimal("1000"), prior_base=Decimal("50000"), prior_paid=Decimal("0"))
    assert result.amount == Decimal("700.00")


def test_a_period_lump_sum_is_paid_once():
    rules = DEFAULT_RULES["major_disease"]
    assert compute_lump_sum("major_disease", rules, disease="cancer", used=[]).amount == Decimal("10000.00")
    assert compute_lump_sum("major_disease", rules, disease="uremia", used=["major_disease"]).amount == 0


def test_the_womens_lump_sum_is_once_per_disease():
    rules = DEFAULT_RULES["female_disease"]
    used = ["female_disease:breast_cis"]
    assert compute_lump_sum("female_disease", rules, disease="breast_cancer", used=used).amount == Decimal("8000.00")
    assert compute_lump_sum("female_disease", rules, disease="breast_cis", used=used).amount == 0


def test_rules_with_a_gap_between_bands_are_refused():
    bad = dict(INPATIENT, bands=[["0", "1000", "0"], ["2000", None, "0.5"]])
    with pytest.raises(ValidationError):
        validate_rules("inpatient", bad)


def test_rules_with_a_rate_over_one_are_refused():
    bad = dict(INPATIENT, bands=[["0", None, "1.5"]])
    with pytest.raises(ValidationError):
        validate_rules("inpatient", bad)
