"""Rounds, quotas, nominations, the five-year rule, reviews, notice, objections, approval."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from awards import selectors, services
from awards.models import AwardType, CompositionRule, HonourLevel, Nomination, Round
from union_portal.models import AuditLog
from union_portal.notices.models import Objection

from .conftest import NOMINATIONS_CLOSE, NOTICE_MONDAY, YEAR, notice_day, pdf


def test_round_create_adds_the_default_composition_rules(award_round):
    rules = {r.metric: (r.comparison, r.percent) for r in award_round.rules.all()}
    assert rules == {
        "frontline_technical": ("at_least", Decimal("60")),
        "enterprise_head": ("at_most", Decimal("10")),
        "female": ("at_least", Decimal("20")),
        "migrant": ("at_least", Decimal("20")),
    }
    assert award_round.status == Round.Status.NOMINATING


def test_round_with_a_notice_under_five_working_days_is_refused(tree, district_admin):
    with pytest.raises(ValidationError) as exc:
        services.round_create(
            by=district_admin,
            org=tree["SX-KQ"],
            year=YEAR,
            title="x",
            nominations_open=dt.date(YEAR, 3, 1),
            nominations_close=dt.date(YEAR, 4, 1),
            township_review_by=dt.date(YEAR, 4, 10),
            district_review_by=dt.date(YEAR, 4, 20),
            notice_planned=dt.date(YEAR, 4, 25),
            notice_working_days=4,
        )
    assert "notice_working_days" in exc.value.message_dict
    assert not Round.objects.exists()


def test_round_stage_dates_out_of_order_are_refused(tree, district_admin):
    with pytest.raises(ValidationError):
        services.round_create(
            by=district_admin,
            org=tree["SX-KQ"],
            year=YEAR,
            title="x",
            nominations_open=dt.date(YEAR, 3, 1),
            nominations_close=dt.date(YEAR, 2, 1),
            township_review_by=dt.date(YEAR, 4, 10),
            district_review_by=dt.date(YEAR, 4, 20),
            notice_planned=dt.date(YEAR, 4, 25),
        )


def test_only_a_district_admin_creates_rounds(tree, huashe_staff):
    with pytest.raises(PermissionDenied):
        services.round_create(
            by=huashe_staff,
            org=tree["SX-KQ"],
            year=YEAR,
            title="x",
            nominations_open=dt.date(YEAR, 3, 1),
            nominations_close=dt.date(YEAR, 4, 1),
            township_review_by=dt.date(YEAR, 4, 10),
            district_review_by=dt.date(YEAR, 4, 20),
            notice_planned=dt.date(YEAR, 4, 25),
        )


def test_nomination_snapshots_the_roll_and_goes_to_township_review(tree, handler, make_member, nominate):
    member = make_member(tree["KQ-HS-001"], name="王芳", sex="F", is_migrant=True)
    nomination = nominate(handler, member)
    assert nomination.status == Nomination.Status.TOWNSHIP_REVIEW
    assert nomination.candidate_name == "王芳" and nomination.unit_name == "浙江华舍纺织印染有限公司"
    assert nomination.is_female and nomination.is_migrant and nomination.is_frontline_or_technical
    assert AuditLog.objects.filter(action="awards.nomination_submit", object_id=str(nomination.pk)).exists()


def test_a_person_not_on_the_handlers_roll_is_refused(tree, handler, make_member, award_round):
    # given a member of a union under another township, and one who has left
    other = make_member(tree["KQ-QX-001"])
    left = make_member(tree["KQ-HS-001"], status="left")
    for candidate in (other, left):
        with pytest.raises(ValidationError) as exc:
            services.nomination_create(
                by=handler,
                round_=award_round,
                award_type=award_round.types["先进个人"],
                member=candidate,
                deeds_summary="事迹",
                deeds_file=pdf(),
            )
        assert "member" in exc.value.message_dict
    assert not Nomination.objects.exists()


def test_submitting_past_the_quota_is_refused(tree, handler, make_member, nominate):
    nominate(handler, make_member(tree["KQ-HS-001"]))
    nominate(handler, make_member(tree["KQ-HS-001"]))
    third = nominate(handler, make_member(tree["KQ-HS-001"]), submit=False)
    with pytest.raises(ValidationError) as exc:
        services.nomination_submit(by=handler, nomination=third, today=dt.date(YEAR, 6, 1))
    assert "名额" in str(exc.value) or "quota" in str(exc.value)
    third.refresh_from_db()
    assert third.status == Nomination.Status.DRAFT


def test_a_withdrawn_nomination_frees_its_quota_place(tree, handler, make_member, nominate, award_round):
    first = nominate(handler, make_member(tree["KQ-HS-001"]))
    nominate(handler, make_member(tree["KQ-HS-001"]))
    services.nomination_withdraw(by=handler, nomination=first, reason="本人申请")
    third = nominate(handler, make_member(tree["KQ-HS-001"]))
    assert third.status == Nomination.Status.TOWNSHIP_REVIEW
    left = {q.award_type.name: q.left for q in selectors.quotas_left(round_=award_round, org=tree["KQ-HS-001"])}
    assert left == {"先进个人": 0, "劳动模范": 1, "先进集体": 1}


def test_submission_without_the_congress_approval_is_refused(tree, handler, make_member, award_round):
    nomination = services.nomination_create(
        by=handler,
        round_=award_round,
        award_type=award_round.types["先进个人"],
        member=make_member(tree["KQ-HS-001"]),
        deeds_summary="事迹",
        deeds_file=pdf(),
    )
    with pytest.raises(ValidationError) as exc:
        services.nomination_submit(by=handler, nomination=nomination, today=dt.date(YEAR, 6, 1))
    assert "congress_file" in exc.value.message_dict


@pytest.mark.parametrize("today", [NOMINATIONS_CLOSE + dt.timedelta(days=1), dt.date(YEAR, 2, 28)])
def test_submission_outside_the_nomination_dates_is_refused(tree, handler, make_member, nominate, today):
    with pytest.raises(ValidationError) as exc:
        nominate(handler, make_member(tree["KQ-HS-001"]), today=today)
    assert exc.value.error_list[0].code in ("closed", "not_open")
    assert not Nomination.objects.exclude(status=Nomination.Status.DRAFT).exists()


def _published_round(district_admin, tree, *, year, type_name, level, nominations):
    """A published round of ``year`` honouring ``nominations``: (member or unit) pairs."""
    round_ = Round.objects.create(
        org=tree["SX-KQ"],
        year=year,
        title=f"{year}年度表彰",
        status=Round.Status.PUBLISHED,
        nominations_open=dt.date(year, 3, 1),
        nominations_close=dt.date(year, 4, 1),
        township_review_by=dt.date(year, 4, 10),
        district_review_by=dt.date(year, 4, 20),
        notice_planned=dt.date(year, 4, 25),
        approved_on=dt.date(year, 5, 1),
        created_by=district_admin,
    )
    award_type = AwardType.objects.create(round=round_, kind="model_worker", name=type_name, level=level)
    for member in nominations:
        Nomination.objects.create(
            round=round_,
            award_type=award_type,
            org=member.org,
            member=member,
            candidate_name=member.name,
            unit_name="x",
            person_hash=member.id_number_hash,
            deeds_summary="x",
            deeds_file="awards/deeds/x.pdf",
            status=Nomination.Status.APPROVED,
            certificate_number=f"C{member.pk}",
            created_by=district_admin,
        )
    return round_


@pytest.mark.parametrize(
    ("year", "level", "refused"),
    [
        (YEAR - 3, HonourLevel.CITY, True),  # same level, 3 years ago
        (YEAR - 4, HonourLevel.PROVINCE, True),  # higher level
        (YEAR - 3, HonourLevel.DISTRICT, False),  # lower level
        (YEAR - 6, HonourLevel.CITY, False),  # six years ago: outside the window
    ],
)
def test_recent_honour_at_same_or_higher_level_refuses_submission(
    tree, handler, district_admin, make_member, nominate, year, level, refused
):
    member = make_member(tree["KQ-HS-001"])
    _published_round(district_admin, tree, year=year, type_name="劳模", level=level, nominations=[member])
    nomination = nominate(handler, member, "劳动模范", submit=False)
    assert nomination.past_honours[0]["year"] == year if year >= YEAR - 5 else nomination.past_honours == []
    if refused:
        with pytest.raises(ValidationError) as exc:
            services.nomination_submit(by=handler, nomination=nomination, today=dt.date(YEAR, 6, 1))
        assert str(year) in str(exc.value)
    else:
        assert services.nomination_submit(by=handler, nomination=nomination, today=dt.date(YEAR, 6, 1)).status


def test_competition_record_is_pulled_in_when_competitions_provides_it(
    tree, handler, make_member, nominate, monkeypatch
):
    calls = []

    def fake_honours_for(**kwargs):
        calls.append(kwargs)
        return [
            {
                "title": "立功竞赛二等功",
                "kind": "merit",
                "year": YEAR - 1,
                "campaign": f"{YEAR - 1}重点工程立功竞赛",
                "member_id": kwargs["member_ids"][0],
                "org_id": None,
                "enterprise_id": None,
                "team": "一车间",
            }
        ]

    monkeypatch.setattr(services.nominations, "honours_for", fake_honours_for)
    member = make_member(tree["KQ-HS-001"])
    nomination = nominate(handler, member)
    assert calls == [{"since_year": YEAR - 5, "member_ids": [member.pk]}]
    assert nomination.competition_record == [
        {
            "title": "立功竞赛二等功",
            "kind": "merit",
            "year": YEAR - 1,
            "campaign": f"{YEAR - 1}重点工程立功竞赛",
            "team": "一车间",
        }
    ]


def test_nomination_of_a_member_without_competition_honours_has_an_empty_record(tree, handler, make_member, nominate):
    assert nominate(handler, make_member(tree["KQ-HS-001"])).competition_record == []


def test_collective_nomination_picks_a_unit_from_the_roll(tree, handler, nominate, monkeypatch):
    nomination = nominate(handler, tree["KQ-HS-001-G01"], "先进集体")
    assert nomination.candidate_org == tree["KQ-HS-001-G01"] and nomination.org == tree["KQ-HS-001"]
    assert nomination.candidate_name == "印染一车间工会小组"


def test_township_then_district_review_with_return_and_resubmit(
    tree, handler, huashe_staff, qixian_staff, district_admin, make_member, nominate
):
    nomination = nominate(handler, make_member(tree["KQ-HS-001"]))
    # another township's staff may not review it
    with pytest.raises(PermissionDenied):
        services.nomination_review(by=qixian_staff, nomination=nomination, decision="pass")
    # the district may not skip the township stage by acting as district committee: the stage is township
    nomination = services.nomination_review(by=huashe_staff, nomination=nomination, decision="pass")
    assert nomination.status == Nomination.Status.DISTRICT_REVIEW
    with pytest.raises(PermissionDenied):
        services.nomination_review(by=huashe_staff, nomination=nomination, decision="pass")
    with pytest.raises(ValidationError):
        services.nomination_review(by=district_admin, nomination=nomination, decision="return", comment=" ")
    nomination = services.nomination_review(
        by=district_admin, nomination=nomination, decision="return", comment="请补充获奖证明"
    )
    assert nomination.status == Nomination.Status.RETURNED and nomination.return_comment == "请补充获奖证明"
    # resubmitted, it goes back to the stage that returned it, and keeps its quota place
    nomination = services.nomination_submit(by=handler, nomination=nomination, today=dt.date(YEAR, 6, 1))
    assert nomination.status == Nomination.Status.DISTRICT_REVIEW
    nomination = services.nomination_review(by=district_admin, nomination=nomination, decision="pass")
    assert nomination.status == Nomination.Status.PASSED
    assert [r.stage for r in nomination.reviews.all()] == ["township", "district", "district"]


def test_reviewing_a_draft_is_a_stage_out_of_order(tree, handler, huashe_staff, make_member, nominate):
    nomination = nominate(handler, make_member(tree["KQ-HS-001"]), submit=False)
    with pytest.raises(ValidationError):
        services.nomination_review(by=huashe_staff, nomination=nomination, decision="pass")


def _pass(nomination, huashe_staff, district_admin):
    services.nomination_review(by=huashe_staff, nomination=nomination, decision="pass")
    return services.nomination_review(by=district_admin, nomination=nomination, decision="pass")


def test_composition_of_slate_blocks_public_notice_until_rules_hold(
    tree, handler, huashe_staff, district_admin, make_member, nominate, award_round
):
    # given two passed nominees: both men, not migrants -> women 0% and migrants 0% fail
    for _i in range(2):
        _pass(nominate(handler, make_member(tree["KQ-HS-001"])), huashe_staff, district_admin)
    checks = {
        c.rule.metric: c.ok
        for c in selectors.composition(round_=award_round, nominations=selectors.slate(round_=award_round))
    }
    assert checks == {"frontline_technical": True, "enterprise_head": True, "female": False, "migrant": False}
    with pytest.raises(ValidationError) as exc:
        services.round_start_notice(by=district_admin, round_=award_round, starts_on=NOTICE_MONDAY, today=NOTICE_MONDAY)
    assert "composition" in [e.code for e in exc.value.error_list]
    # when the district relaxes the rules (editable rows), the notice may start
    for rule in award_round.rules.filter(metric__in=["female", "migrant"]):
        services.rule_update(
            by=district_admin, rule=rule, comparison="at_least", percent=Decimal("0"), blocks_notice=True
        )
    round_ = services.round_start_notice(
        by=district_admin, round_=award_round, starts_on=NOTICE_MONDAY, today=NOTICE_MONDAY
    )
    assert round_.status == Round.Status.NOTICE and round_.notice_ends == notice_day(4)


def test_public_notice_waits_for_pending_reviews(tree, handler, district_admin, make_member, nominate, award_round):
    nominate(handler, make_member(tree["KQ-HS-001"], sex="F", is_migrant=True))
    with pytest.raises(ValidationError) as exc:
        services.round_start_notice(by=district_admin, round_=award_round, starts_on=NOTICE_MONDAY, today=NOTICE_MONDAY)
    assert exc.value.error_list[0].code == "pending"


@pytest.fixture
def on_notice(tree, handler, huashe_staff, district_admin, make_member, nominate, award_round):
    nomination = _pass(
        nominate(handler, make_member(tree["KQ-HS-001"], name="李娟", sex="F", is_migrant=True)),
        huashe_staff,
        district_admin,
    )
    services.round_start_notice(by=district_admin, round_=award_round, starts_on=NOTICE_MONDAY, today=NOTICE_MONDAY)
    nomination.refresh_from_db()
    return nomination


def test_objection_needs_real_name_and_valid_mobile(on_notice):
    with pytest.raises(ValidationError) as exc:
        services.objection_file(nomination=on_notice, name="", phone="12345", code="", content="", today=notice_day(1))
    assert set(exc.value.message_dict) == {"name", "phone", "content"}
    assert not Objection.objects.exists()


def test_objection_outside_the_notice_period_is_refused(on_notice):
    with pytest.raises(ValidationError):
        services.objection_file(
            nomination=on_notice, name="赵六", phone="13957511111", code="", content="x", today=notice_day(7)
        )


def test_notice_closes_by_itself_and_approval_waits_for_answers(on_notice, district_admin, award_round, sms_code):
    objection = services.objection_file(
        nomination=on_notice,
        name="赵六",
        phone="139 5751 1111",
        code=sms_code("objection", "13957511111"),
        content="事迹不实",
        today=notice_day(1),
    )
    assert objection.phone == "13957511111" and objection.phone_masked != objection.phone
    assert district_admin.notifications.filter(title__contains="李娟").exists()
    # the beat task on the last day leaves it; the day after closes it
    assert services.close_due_notices(today=notice_day(4)) == []
    assert services.close_due_notices(today=notice_day(5)) == [award_round.pk]
    assert services.close_due_notices(today=notice_day(6)) == []  # idempotent
    award_round.refresh_from_db()
    assert award_round.status == Round.Status.APPROVAL
    with pytest.raises(ValidationError):
        services.round_approve(by=district_admin, round_=award_round)
    services.objection_answer(by=district_admin, objection=objection, status="dismissed", answer="经核实，事迹属实。")
    services.round_approve(by=district_admin, round_=award_round, approved_on=notice_day(9))
    on_notice.refresh_from_db()
    assert on_notice.status == Nomination.Status.APPROVED and on_notice.certificate_number.startswith(f"KQ{YEAR}-")
    roll = selectors.honour_roll(year=YEAR)
    assert roll == [
        (YEAR, {"先进个人": [{"name": "李娟", "unit": "浙江华舍纺织印染有限公司", "deeds": on_notice.deeds_summary}]})
    ]


def test_withdrawn_candidate_is_not_honoured(on_notice, district_admin, award_round):
    services.nomination_withdraw(by=district_admin, nomination=on_notice, reason="异议属实")
    services.close_due_notices(today=notice_day(5))
    award_round.refresh_from_db()
    services.round_approve(by=district_admin, round_=award_round)
    assert selectors.honour_roll(year=YEAR) == []


def test_approval_before_the_notice_closes_is_refused(on_notice, district_admin, award_round):
    award_round.refresh_from_db()
    with pytest.raises(ValidationError):
        services.round_approve(by=district_admin, round_=award_round)


def test_certificates_one_pdf_and_a_zip(on_notice, district_admin, award_round):
    import io
    import zipfile

    services.close_due_notices(today=notice_day(5))
    award_round.refresh_from_db()
    services.round_approve(by=district_admin, round_=award_round)
    on_notice.refresh_from_db()
    assert services.certificate_pdf(nomination=on_notice).startswith(b"%PDF")
    archive = zipfile.ZipFile(io.BytesIO(services.certificates_zip(round_=award_round)))
    assert archive.namelist() == [f"{on_notice.certificate_number}-李娟.pdf"]


def test_quota_cannot_drop_below_places_taken(tree, handler, district_admin, make_member, nominate, award_round):
    nominate(handler, make_member(tree["KQ-HS-001"]))
    nominate(handler, make_member(tree["KQ-HS-001"]))
    with pytest.raises(ValidationError):
        services.quota_set(by=district_admin, award_type=award_round.types["先进个人"], union=tree["KQ-HS"], places=1)


def test_a_deeper_quota_takes_precedence(tree, handler, district_admin, make_member, nominate, award_round):
    services.quota_set(by=district_admin, award_type=award_round.types["先进个人"], union=tree["KQ-HS-001"], places=3)
    for _i in range(3):
        nominate(handler, make_member(tree["KQ-HS-001"]))
    township = selectors.quota_for(award_type=award_round.types["先进个人"], org=tree["KQ-HS-002"])
    assert township.union == tree["KQ-HS"] and selectors.quota_used(quota=township) == 0


def test_rule_percent_out_of_range_is_refused(award_round, district_admin):
    rule = award_round.rules.get(metric=CompositionRule.Metric.FEMALE)
    with pytest.raises(ValidationError):
        services.rule_update(
            by=district_admin, rule=rule, comparison="at_least", percent=Decimal("120"), blocks_notice=True
        )


def test_a_team_cited_in_the_competition_brings_its_record(tree, handler, nominate, monkeypatch):
    calls = []

    def fake_honours_for(**kwargs):
        calls.append(kwargs)
        return [
            {
                "title": "流动红旗",
                "kind": "red_flag",
                "year": YEAR - 1,
                "campaign": f"{YEAR - 1}重点工程立功竞赛",
                "member_id": None,
                "org_id": tree["KQ-HS-001-G01"].pk,
                "enterprise_id": None,
                "team": "印染一车间",
            }
        ]

    monkeypatch.setattr(services.nominations, "honours_for", fake_honours_for)
    nomination = nominate(handler, tree["KQ-HS-001-G01"], "先进集体")
    assert calls[0]["org_ids"] == [tree["KQ-HS-001-G01"].pk] and "enterprise_ids" in calls[0]
    assert nomination.competition_record[0]["title"] == "流动红旗"


def test_public_notice_cannot_start_in_the_past(
    tree, handler, huashe_staff, district_admin, make_member, nominate, award_round
):
    _pass(nominate(handler, make_member(tree["KQ-HS-001"], sex="F", is_migrant=True)), huashe_staff, district_admin)
    with pytest.raises(ValidationError) as exc:
        services.round_start_notice(
            by=district_admin, round_=award_round, starts_on=notice_day(-3), today=NOTICE_MONDAY
        )
    assert "starts_on" in exc.value.message_dict
    award_round.refresh_from_db()
    assert award_round.status == Round.Status.NOMINATING


def test_dashboard_selectors_count_honours_by_unit_and_nominations_by_stage(
    on_notice, district_admin, award_round, tree
):
    services.close_due_notices(today=notice_day(5))
    award_round.refresh_from_db()
    services.round_approve(by=district_admin, round_=award_round)
    assert selectors.honours_by_unit(year=YEAR) == [
        {
            "org_id": tree["KQ-HS-001"].pk,
            "org__name": "浙江华舍纺织印染有限公司工会",
            "org__path": tree["KQ-HS-001"].path,
            "honours": 1,
        }
    ]
    assert selectors.honours_by_unit(year=YEAR, root=tree["KQ-QX"]) == []
    assert selectors.nominations_by_stage(round_=award_round) == {"approved": 1}


def test_reviewers_and_the_nominator_are_told_what_to_do(
    tree, handler, huashe_staff, qixian_staff, district_admin, make_member, nominate
):
    from union_portal.models import Notification

    nomination = nominate(handler, make_member(tree["KQ-HS-001"], name="钱芳"))
    assert Notification.objects.filter(user=huashe_staff, title__contains="钱芳").count() == 1
    assert not Notification.objects.filter(user=qixian_staff).exists()
    services.nomination_review(by=huashe_staff, nomination=nomination, decision="pass")
    assert Notification.objects.filter(user=district_admin, title__contains="钱芳").count() == 1
    services.nomination_review(by=district_admin, nomination=nomination, decision="return", comment="补充")
    assert Notification.objects.filter(user=handler, title__contains="钱芳").count() == 1


def test_a_certificate_whose_name_no_font_can_print_is_refused_naming_the_certificate(
    on_notice, district_admin, award_round
):
    from django.utils import translation

    from union_portal.pdf import UnprintableCharacter

    services.close_due_notices(today=notice_day(5))
    award_round.refresh_from_db()
    services.round_approve(by=district_admin, round_=award_round)
    on_notice.refresh_from_db()
    type(on_notice).objects.filter(pk=on_notice.pk).update(candidate_name="李\U00031350")
    on_notice.refresh_from_db()
    with translation.override("zh-hans"), pytest.raises(UnprintableCharacter) as raised:
        services.certificates_zip(round_=award_round)
    assert f"证书{on_notice.certificate_number}的姓名中的字符" in raised.value.messages[0]


def test_composition_rule_reads_its_percentage_in_plain_digits():
    """A rule of 20.00 percent reads "20%", never Decimal's exponent form "2E+1%"."""
    # given a rule stored as 20.00 percent
    from decimal import Decimal

    from awards.models import CompositionRule
    from awards.selectors import RuleCheck

    rule = CompositionRule(
        metric=CompositionRule.Metric.FEMALE, comparison=CompositionRule.Comparison.AT_LEAST, percent=Decimal("20.00")
    )
    # when it is written out
    text = str(RuleCheck(rule=rule, count=1, total=4))
    # then the percentage is plain
    assert "20%" in text
    assert "E+" not in text
