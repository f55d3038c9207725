"""The pure hardship rules: per-capita income, the category proposed, rules validation."""

from decimal import Decimal

import pytest

from assistance.rules import DEFAULT_RULES, per_capita_monthly, propose_category, validate_rules


def _propose(income, spending="0", size=3, causes=()):
    return propose_category(
        income_12m=Decimal(income),
        spending_12m=Decimal(spending),
        household_size=size,
        causes=causes,
        rules=DEFAULT_RULES,
    )


def test_per_capita_is_twelve_months_income_over_people_over_twelve_rounded_to_the_fen():
    assert per_capita_monthly(Decimal("10000"), 3) == Decimal("277.78")


def test_under_the_line_with_an_aggravating_cause_is_deep_hardship():
    assert _propose("30000", causes=["serious_illness"]).category == "deep"


def test_under_the_line_without_an_aggravating_cause_is_relative_hardship():
    assert _propose("30000", causes=["spouse_unemployed"]).category == "relative"


def test_just_at_the_line_is_not_deep_hardship():
    # 1,062 × 3 × 12 = 38,232: per capita exactly on the line is not under it
    assert _propose("38232", causes=["disability"]).category == "relative"


def test_income_above_line_but_spending_pushes_under_it_with_an_accident_is_accident_hardship():
    proposal = _propose("60000", spending="40000", causes=["accident"])
    assert proposal.category == "accident"
    assert proposal.working["net_per_capita"] == "555.56"


def test_rigid_spending_without_an_accident_cause_is_judged_on_income():
    assert _propose("60000", spending="40000", causes=["spouse_unemployed"]).category == "none"


def test_above_the_relative_line_is_not_hardship():
    # relative line 1,593: 1,600 a person a month is above it
    assert _propose(str(1600 * 3 * 12)).category == "none"


def test_the_multiple_is_data():
    rules = {**DEFAULT_RULES, "relative_multiple": "2"}
    proposal = propose_category(
        income_12m=Decimal(1600 * 36), spending_12m=Decimal(0), household_size=3, causes=[], rules=rules
    )
    assert proposal.category == "relative"


def test_negative_amounts_are_refused():
    with pytest.raises(ValueError):
        _propose("-1")


def test_default_rules_are_valid_and_broken_ones_are_named():
    assert validate_rules(DEFAULT_RULES) == []
    assert validate_rules({**DEFAULT_RULES, "poverty_line": "abc"})
    assert validate_rules({**DEFAULT_RULES, "relative_multiple": "0.5"})
    assert validate_rules({**DEFAULT_RULES, "aggravating_causes": ["nonsense"]})
    assert validate_rules({**DEFAULT_RULES, "notice_working_days": 0})
    assert validate_rules({"poverty_line": "1000"})
