"""The pure rules of help campaigns: default rules are sound, bad rules are named, stages from school names,
the education age range, and the 医疗救助 amount with its working."""

from decimal import Decimal

import pytest

from assistance import rules_campaigns as rules
from assistance.models import CampaignKind


@pytest.mark.parametrize("kind", CampaignKind.values)
def test_default_rules_of_every_kind_are_sound(kind):
    assert rules.rules_problems(kind, rules.default_rules(kind)) == []


def test_default_rules_are_copies_that_a_campaign_may_change():
    mine = rules.default_rules(CampaignKind.SPRING_FESTIVAL)
    mine["amounts"]["deep"] = "1.00"
    assert rules.default_rules(CampaignKind.SPRING_FESTIVAL)["amounts"]["deep"] == "1000.00"


def test_bad_rules_are_each_named():
    problems = rules.rules_problems(
        CampaignKind.EDUCATION,
        {
            "categories": ["deep", "relative"],
            "amounts": {"deep": "abc"},
            "stages": ["kindergarten"],
            "min_age": 30,
            "max_age": 12,
        },
    )
    assert len(problems) == 4  # deep not a number, relative missing, stage unknown, ages reversed


def test_medical_rules_need_a_rate_between_0_and_1():
    bad = dict(rules.default_rules(CampaignKind.MEDICAL), rate="1.5")
    assert len(rules.rules_problems(CampaignKind.MEDICAL, bad)) == 1


@pytest.mark.parametrize(
    ("school", "stage"),
    [
        ("浙江大学 2026级", "university"),
        ("绍兴文理学院", "university"),
        ("浙江工业职业技术学院", "vocational"),
        ("柯桥区中等专业学校（中专）", "vocational"),
        ("华舍实验小学", ""),
        ("", ""),
    ],
)
def test_the_stage_comes_from_the_school_named(school, stage):
    assert rules.stage_of(school) == stage


def test_a_child_outside_the_age_range_is_refused_in_words():
    education = rules.default_rules(CampaignKind.EDUCATION)
    assert rules.education_problem(education, age=18, stage="university") == ""
    assert rules.education_problem(education, age=9, stage="university")
    assert rules.education_problem(education, age=18, stage="")


@pytest.mark.parametrize(
    ("self_paid", "mutual_aid", "amount"),
    [
        ("30000.00", "0.00", "6000.00"),  # 30% of 20,000
        ("30000.00", "5700.00", "4290.00"),  # 30% of (24,300 - 10,000)
        ("10000.00", "0.00", "0.00"),  # not above the threshold
        ("200000.00", "0.00", "20000.00"),  # capped
        ("5000.00", "8000.00", "0.00"),  # mutual aid paid more than the costs
        ("10000.03", "0.00", "0.01"),  # 0.009 rounds half up to the fen
    ],
)
def test_medical_amount_is_30_percent_of_the_remainder_above_10000_capped_at_20000(self_paid, mutual_aid, amount):
    got, working = rules.medical_amount(
        rules.default_rules(CampaignKind.MEDICAL), self_paid=Decimal(self_paid), mutual_aid=Decimal(mutual_aid)
    )
    assert got == Decimal(amount) and working["amount"] == amount
    assert len(rules.medical_working_lines(working)) == 4
