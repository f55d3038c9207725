"""The ranking rules worked by hand (no database)."""

from decimal import Decimal as D

from competitions.ranking import CriterionSpec, Entry, band_for, rank, trimmed_mean, weighted_total

SIX = [
    CriterionSpec("q", D(20), D(100), "quality"),
    CriterionSpec("s", D(20), D(100), "safety"),
    CriterionSpec("sc", D(20), D(100), "schedule"),
    CriterionSpec("e", D(15), D(100), "efficiency"),
    CriterionSpec("i", D(15), D(100), "innovation"),
    CriterionSpec("c", D(10), D(100), "clean"),
]


def _all(value_lists):
    """The same judges' scores on every criterion."""
    return {spec.key: value_lists for spec in SIX}


def test_mean_of_four_judges_keeps_every_score():
    # (80 + 90 + 70 + 100) / 4 = 85
    assert trimmed_mean([D(80), D(90), D(70), D(100)]) == D(85)


def test_five_judges_drop_the_highest_and_lowest():
    # 60 and 100 dropped: (80 + 85 + 90) / 3 = 85
    assert trimmed_mean([D(100), D(80), D(60), D(90), D(85)]) == D(85)


def test_six_judges_drop_only_one_highest_and_one_lowest():
    # 50 and 99 dropped: (70 + 70 + 80 + 80) / 4 = 75
    assert trimmed_mean([D(70), D(99), D(80), D(50), D(70), D(80)]) == D(75)


def test_no_scores_is_no_mean():
    assert trimmed_mean([]) is None


def test_weighted_total_of_the_six_criteria():
    # 90*.20 + 80*.20 + 70*.20 + 60*.15 + 100*.15 + 50*.10 = 18 + 16 + 14 + 9 + 15 + 5 = 77
    means = {"q": D(90), "s": D(80), "sc": D(70), "e": D(60), "i": D(100), "c": D(50)}
    assert weighted_total(means, SIX) == D("77.00")


def test_weighted_total_on_a_points_sheet_with_bonus():
    # 安康杯: 18/20*20 + 41/50*50 + 25.5/30*30 = 84.5, plus 2 bonus points = 86.5
    sheet = [CriterionSpec("o", D(20), D(20)), CriterionSpec("c", D(50), D(50)), CriterionSpec("e", D(30), D(30))]
    assert weighted_total({"o": D(18), "c": D(41), "e": D("25.5")}, sheet, D(2)) == D("86.50")


def test_totals_round_half_up_to_the_cent():
    # mean of 3 judges 80, 80, 81 = 80.3333..; x 0.2 = 16.0666.. -> weighted total rounds once: 16.07
    sheet = [CriterionSpec("q", D(20), D(100)), CriterionSpec("x", D(80), D(100))]
    assert weighted_total({"q": trimmed_mean([D(80), D(80), D(81)])}, sheet) == D("16.07")


def test_higher_total_ranks_first():
    rows = rank([Entry(1, _all([D(80)]), 5), Entry(2, _all([D(90)]), 9)], SIX)
    assert [(r.team_id, r.rank, r.total) for r in rows] == [(2, 1, D("90.00")), (1, 2, D("80.00"))]


def test_equal_totals_break_on_safety():
    # team 1: quality 90, safety 80 -> 18 + 16 = 34 (+ 0 elsewhere); team 2: quality 80, safety 90 -> 16 + 18 = 34
    a = Entry(1, {"q": [D(90)], "s": [D(80)]}, tie_breaker=1)
    b = Entry(2, {"q": [D(80)], "s": [D(90)]}, tie_breaker=2)
    rows = rank([a, b], SIX)
    assert [r.team_id for r in rows] == [2, 1]
    assert rows[0].total == rows[1].total == D("34.00")
    assert rows[1].tie_note == "safety"


def test_equal_totals_and_safety_break_on_quality():
    # team 1: q 90, s 80, schedule 70 -> 18+16+14 = 48; team 2: q 80, s 80, schedule 80 -> 16+16+16 = 48
    a = Entry(1, {"q": [D(90)], "s": [D(80)], "sc": [D(70)]}, tie_breaker=9)
    b = Entry(2, {"q": [D(80)], "s": [D(80)], "sc": [D(80)]}, tie_breaker=1)
    rows = rank([b, a], SIX)
    assert [r.team_id for r in rows] == [1, 2]
    assert rows[1].tie_note == "quality"


def test_perfect_ties_follow_the_stored_tie_breaker_on_every_rerun():
    entries = [Entry(1, _all([D(80)]), tie_breaker=700), Entry(2, _all([D(80)]), tie_breaker=30)]
    first = [r.team_id for r in rank(entries, SIX)]
    again = [r.team_id for r in rank(list(reversed(entries)), SIX)]
    assert first == again == [2, 1]


def test_a_serious_accident_is_ranked_but_takes_no_honour():
    rows = rank([Entry(1, _all([D(95)]), 1, vetoed=True), Entry(2, _all([D(85)]), 2)], SIX)
    assert rows[0].team_id == 1 and rows[0].rank == 1 and not rows[0].honour_eligible
    assert rows[1].honour_eligible


def test_trimmed_means_feed_the_total_with_five_judges():
    # quality from five judges: drop 100 and 60 -> (80+85+90)/3 = 85 -> 17.00; safety 70 from one judge -> 14.00
    rows = rank([Entry(1, {"q": [D(100), D(80), D(60), D(90), D(85)], "s": [D(70)]}, 1)], SIX)
    assert rows[0].means == {"q": D("85.00"), "s": D("70.00")}
    assert rows[0].total == D("31.00") and rows[0].judge_count == 5


def test_rank_bands_are_cumulative():
    bands = [("merit_1", 1), ("merit_2", 3), ("merit_3", 6)]
    assert [band_for(n, bands) for n in (1, 2, 3, 4, 6, 7)] == [
        "merit_1",
        "merit_2",
        "merit_2",
        "merit_3",
        "merit_3",
        None,
    ]


def test_an_entry_may_carry_its_own_weights():
    # a trade weighing theory 40 / practical 60 instead of 30 / 70: theory 90, practical 70
    sheet = [CriterionSpec("t", D(30), D(100), "theory"), CriterionSpec("p", D(70), D(100), "practical")]
    default = rank([Entry(1, {"t": [D(90)], "p": [D(70)]}, 1)], sheet)[0]
    own = rank([Entry(1, {"t": [D(90)], "p": [D(70)]}, 1, weights={"t": D(40), "p": D(60)})], sheet)[0]
    assert default.total == D("76.00")  # 27 + 49
    assert own.total == D("78.00")  # 36 + 42
