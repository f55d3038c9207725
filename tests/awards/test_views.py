"""Pages: who may see what, end-to-end flows through the browser, public pages leak nothing, query counts."""

import datetime as dt
import io
import zipfile

import pytest
from django.urls import reverse
from django.utils import translation

from awards import services
from awards.models import Nomination, Round
from union_portal.models import AuditLog, HolidayDay
from union_portal.notices.models import Objection
from union_portal.notices.selectors import notices_of
from union_portal.notices.services import notice_open

from .conftest import YEAR, pdf


def _pass(nomination, township, district):
    services.nomination_review(by=township, nomination=nomination, decision="pass")
    return services.nomination_review(by=district, nomination=nomination, decision="pass")


# --- access ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    ["/awards/rounds/", "/awards/rounds/new/", "/awards/nominations/", "/awards/objections/", "/awards/holidays/"],
)
def test_anonymous_users_are_sent_to_login(tree, client, url):
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_anonymous_detail_pages_are_sent_to_login(tree, client, award_round):
    for url in [award_round.get_absolute_url(), reverse("awards:nomination_create", args=[award_round.pk])]:
        assert client.get(url)["Location"].startswith("/accounts/login/")


def test_a_worker_may_not_open_staff_pages(tree, login, worker, award_round):
    client = login(worker)
    assert client.get("/awards/rounds/").status_code == 403
    assert client.get(award_round.get_absolute_url()).status_code == 403


def test_another_townships_nomination_is_404(tree, login, handler, handler_qixian, huashe_staff, make_member, nominate):
    qx = nominate(handler_qixian, make_member(tree["KQ-QX-001"]))
    for user in (handler, huashe_staff):
        client = login(user)
        assert client.get(qx.get_absolute_url()).status_code == 404
        assert client.get(reverse("awards:nomination_file", args=[qx.pk, "deeds"])).status_code == 404
        assert client.post(reverse("awards:nomination_withdraw", args=[qx.pk]), {"reason": "x"}).status_code == 404
    # a handler holds no reviewer role at all (403); the other township's staff does not see it (404)
    assert (
        login(handler).post(reverse("awards:nomination_review", args=[qx.pk]), {"decision": "pass"}).status_code == 403
    )
    assert (
        login(huashe_staff).post(reverse("awards:nomination_review", args=[qx.pk]), {"decision": "pass"}).status_code
        == 404
    )
    qx.refresh_from_db()
    assert qx.status == Nomination.Status.TOWNSHIP_REVIEW


def test_township_staff_may_not_manage_the_round(tree, login, huashe_staff, award_round):
    client = login(huashe_staff)
    assert client.get(award_round.get_absolute_url()).status_code == 200
    assert client.post(reverse("awards:round_open", args=[award_round.pk])).status_code == 403
    assert client.get("/awards/rounds/new/").status_code == 403
    assert client.get("/awards/holidays/").status_code == 403
    assert client.get("/awards/objections/").status_code == 403


# --- flows -------------------------------------------------------------------------------------------------


def test_district_admin_creates_a_round_sets_a_quota_and_opens_it(tree, login, district_admin):
    client = login(district_admin)
    response = client.post(
        "/awards/rounds/new/",
        {
            "year": YEAR,
            "title": f"{YEAR}年度表彰",
            "issuer": "柯桥区总工会",
            "award_types": ["0", "1"],
            "nominations_open": f"{YEAR}-03-01",
            "nominations_close": f"{YEAR}-04-01",
            "township_review_by": f"{YEAR}-04-10",
            "district_review_by": f"{YEAR}-04-20",
            "notice_planned": f"{YEAR}-04-25",
            "notice_working_days": 5,
            "recent_honour_years": 5,
        },
    )
    round_ = Round.objects.get()
    assert response.status_code == 302 and response["Location"] == round_.get_absolute_url()
    assert [t.name for t in round_.award_types.all()] == ["先进集体", "先进个人"]
    # opening without a quota is refused with a message
    client.post(reverse("awards:round_open", args=[round_.pk]))
    round_.refresh_from_db()
    assert round_.status == Round.Status.DRAFT
    client.post(
        reverse("awards:round_quota_set", args=[round_.pk]),
        {"award_type": round_.award_types.get(name="先进个人").pk, "union": tree["KQ-HS"].pk, "places": 3},
    )
    assert round_.quotas.get().places == 3
    client.post(reverse("awards:round_open", args=[round_.pk]))
    round_.refresh_from_db()
    assert round_.status == Round.Status.NOMINATING
    page = client.get(round_.get_absolute_url()).content.decode()
    assert "华舍街道工会" in page and "女职工" not in page  # the rules render with their labels


def test_round_with_a_four_day_notice_is_refused_in_the_form(tree, login, district_admin):
    response = login(district_admin).post(
        "/awards/rounds/new/",
        {
            "year": YEAR,
            "title": "x",
            "nominations_open": f"{YEAR}-03-01",
            "nominations_close": f"{YEAR}-04-01",
            "township_review_by": f"{YEAR}-04-10",
            "district_review_by": f"{YEAR}-04-20",
            "notice_planned": f"{YEAR}-04-25",
            "notice_working_days": 4,
            "recent_honour_years": 5,
        },
    )
    assert response.status_code == 200 and "公示期不得少于 5 个工作日" in response.content.decode()
    assert not Round.objects.exists()


def test_handler_nominates_from_the_roll_and_submits(
    tree, login, handler, make_member, award_round, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    member = make_member(tree["KQ-HS-001"], name="周静", sex="F")
    client = login(handler)
    page = client.get(reverse("awards:nomination_create", args=[award_round.pk])).content.decode()
    assert "周静" in page and "剩余" in page  # the member is offered; the quota left is shown
    response = client.post(
        reverse("awards:nomination_create", args=[award_round.pk]),
        {
            "award_type": award_round.types["先进个人"].pk,
            "member": member.pk,
            "deeds_summary": "十年如一日坚守一线。",
            "deeds_file": pdf(),
            "congress_file": pdf("c.pdf"),
        },
    )
    nomination = Nomination.objects.get()
    assert response["Location"] == nomination.get_absolute_url()
    client.post(reverse("awards:nomination_submit", args=[nomination.pk]))
    nomination.refresh_from_db()
    assert nomination.status == Nomination.Status.TOWNSHIP_REVIEW
    assert client.get(reverse("awards:nomination_file", args=[nomination.pk, "deeds"])).status_code == 200


def test_handler_cannot_nominate_a_member_of_another_union(
    tree, login, handler, make_member, award_round, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    stranger = make_member(tree["KQ-QX-001"])
    response = login(handler).post(
        reverse("awards:nomination_create", args=[award_round.pk]),
        {
            "award_type": award_round.types["先进个人"].pk,
            "member": stranger.pk,
            "deeds_summary": "x",
            "deeds_file": pdf(),
        },
    )
    assert response.status_code == 200 and not Nomination.objects.exists()


def test_township_returns_with_comments_through_the_page(tree, login, handler, huashe_staff, make_member, nominate):
    nomination = nominate(handler, make_member(tree["KQ-HS-001"]))
    client = login(huashe_staff)
    assert "镇街审核" in client.get(nomination.get_absolute_url()).content.decode()  # the review form is offered
    client.post(
        reverse("awards:nomination_review", args=[nomination.pk]), {"decision": "return", "comment": "请补充材料"}
    )
    nomination.refresh_from_db()
    assert nomination.status == Nomination.Status.RETURNED and nomination.return_comment == "请补充材料"
    assert "请补充材料" in login(handler).get(nomination.get_absolute_url()).content.decode()


# --- public pages ------------------------------------------------------------------------------------------


@pytest.fixture
def on_notice(tree, handler, huashe_staff, district_admin, make_member, nominate, award_round, today):
    member = make_member(tree["KQ-HS-001"], name="李娟", sex="F", is_migrant=True)
    nomination = _pass(nominate(handler, member, today=today), huashe_staff, district_admin)
    services.round_start_notice(by=district_admin, round_=award_round, starts_on=today)
    nomination.refresh_from_db()
    return nomination


def test_public_notice_shows_only_name_unit_and_deeds(client, on_notice):
    member = on_notice.member
    body = client.get(reverse("awards:public_notice", args=[on_notice.round_id])).content.decode()
    assert "李娟" in body and on_notice.unit_name in body and on_notice.deeds_summary in body
    for private in [
        member.id_number,
        member.id_number[-4:] + "<",  # not even the tail of it
        member.mobile,
        member.mobile[-4:],
        member.member_number,
        member.birth_date.strftime("%Y-%m-%d"),
        on_notice.org.name,  # the nominating union is internal
        "女",
        "农民工",
    ]:
        assert private not in body, private


def test_public_objection_needs_name_and_phone_then_staff_answer(client, login, on_notice, district_admin, sms_code):
    url = reverse("awards:public_objection", args=[on_notice.pk])
    response = client.post(url, {"name": "赵六", "phone": "123", "content": "不实"})
    assert response.status_code == 200 and not Objection.objects.exists()
    assert "11" in response.content.decode()  # the mobile rule is explained
    code = sms_code("objection", "13957511111")
    client.post(url, {"name": "赵六", "phone": "13957511111", "code": code, "content": "事迹不实"})
    objection = Objection.objects.get()
    staff = login(district_admin)
    page = staff.get(reverse("awards:objection_detail", args=[objection.pk])).content.decode()
    assert "13957511111" not in page and "1111" in page
    staff.post(reverse("awards:objection_detail", args=[objection.pk]), {"reveal": "1"})
    assert AuditLog.objects.filter(action="awards.reveal").exists()
    staff.post(reverse("awards:objection_detail", args=[objection.pk]), {"status": "dismissed", "answer": "经核实属实"})
    objection.refresh_from_db()
    assert objection.status == Objection.Status.DISMISSED


def test_an_objection_to_a_candidate_not_on_notice_is_404(client, tree, handler, make_member, nominate):
    nomination = nominate(handler, make_member(tree["KQ-HS-001"]))
    assert client.get(reverse("awards:public_objection", args=[nomination.pk])).status_code == 404


def _publish(round_, district_admin):
    # a notice of last December: its last day (derived from start and length) has passed by 2 January
    notices_of(round_).update(starts_on=dt.date(YEAR - 1, 12, 1), ends_on=dt.date(YEAR - 1, 12, 1))
    services.close_due_notices(today=dt.date(YEAR, 1, 2))
    round_.refresh_from_db()
    return services.round_approve(by=district_admin, round_=round_, approved_on=dt.date(YEAR, 6, 10))


def test_honour_roll_and_certificates(client, login, on_notice, district_admin, award_round):
    _publish(award_round, district_admin)
    body = client.get(reverse("awards:public_honours") + f"?year={YEAR}").content.decode()
    assert "李娟" in body and on_notice.member.member_number not in body and on_notice.member.mobile not in body
    staff = login(district_admin)
    on_notice.refresh_from_db()
    response = staff.get(reverse("awards:nomination_certificate", args=[on_notice.pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    response = staff.get(reverse("awards:round_certificates", args=[award_round.pk]))
    assert zipfile.ZipFile(io.BytesIO(response.content)).namelist() == [f"{on_notice.certificate_number}-李娟.pdf"]


def test_certificates_zip_is_for_the_district_only(login, on_notice, district_admin, huashe_staff, award_round):
    _publish(award_round, district_admin)
    assert login(huashe_staff).get(reverse("awards:round_certificates", args=[award_round.pk])).status_code == 403


def test_english_is_available(client, on_notice):
    with translation.override("en"):
        client.cookies["django_language"] = "en"
        body = client.get(reverse("awards:public_notice", args=[on_notice.round_id]), HTTP_ACCEPT_LANGUAGE="en").content
    assert b"Summary of deeds" in body


# --- holiday table -----------------------------------------------------------------------------------------


def test_district_admin_fills_and_edits_the_holiday_table(login, district_admin):
    client = login(district_admin)
    client.post("/awards/holidays/", {"action": "fill", "year": 2025})
    assert HolidayDay.objects.filter(date__year=2025, source="package").count() > 20
    client.post("/awards/holidays/", {"action": "set", "date": "2025-10-10", "name": "本地", "is_workday": ""})
    assert not HolidayDay.objects.get(date=dt.date(2025, 10, 10)).is_workday
    page = client.get("/awards/holidays/?year=2027").content.decode()
    assert "2027" in page and "alert-warning" in page
    response = client.post("/awards/holidays/", {"action": "fill", "year": 2027})
    assert response.status_code == 200 and "2027" in response.content.decode()


# --- query counts ------------------------------------------------------------------------------------------


def test_nomination_list_queries_do_not_grow_with_rows(
    tree, login, district_admin, handler, make_member, nominate, django_assert_num_queries
):
    nominate(handler, make_member(tree["KQ-HS-001"]))
    client = login(district_admin)
    client.get("/awards/nominations/")
    # session (+ the verified OTP device), user, assignments, the rounds for the filter, the page of nominations (with type
    # and union joined); the idle-timeout session save (savepoint, update, release)
    with django_assert_num_queries(8):
        client.get("/awards/nominations/")
    nominate(handler, make_member(tree["KQ-HS-001"]))
    nominate(handler, make_member(tree["KQ-HS-001"]), "劳动模范")
    with django_assert_num_queries(8):
        client.get("/awards/nominations/")


def test_public_pages_queries_do_not_grow_with_rows(
    client, tree, handler, huashe_staff, district_admin, make_member, nominate, on_notice, django_assert_num_queries
):
    url = reverse("awards:public_notice", args=[on_notice.round_id])
    # the round, the candidates (type joined)
    with django_assert_num_queries(2):
        client.get(url)
    Nomination.objects.filter(pk=on_notice.pk).update(status=Nomination.Status.PASSED)
    extra = nominate(handler, tree["KQ-HS-001-G01"], "先进集体", submit=False)
    Nomination.objects.filter(pk=extra.pk).update(status=Nomination.Status.PASSED)
    with django_assert_num_queries(2):
        client.get(url)


def test_honour_roll_queries_do_not_grow_with_rows(
    client, on_notice, district_admin, award_round, django_assert_num_queries
):
    _publish(award_round, district_admin)
    # the years, the honours of the year (round and type joined)
    with django_assert_num_queries(2):
        client.get("/awards/public/honours/")
    Nomination.objects.create(
        **{
            f.name: getattr(on_notice, f.name)
            for f in Nomination._meta.concrete_fields
            if f.name not in ("id", "certificate_number", "person_hash")
        }
    )
    with django_assert_num_queries(2):
        client.get("/awards/public/honours/")


def test_objection_list_queries_do_not_grow_with_rows(
    login, on_notice, district_admin, django_assert_num_queries, today, sms_code
):
    code = sms_code("objection", "13957511111")
    services.objection_file(nomination=on_notice, name="赵六", phone="13957511111", code=code, content="x", today=today)
    client = login(district_admin)
    client.get("/awards/objections/")
    # session (+ the verified OTP device), user, assignments, the page of objections (nomination and type joined); session save (3)
    with django_assert_num_queries(7):
        client.get("/awards/objections/")
    for _i in range(3):
        code = sms_code("objection", "13957522222")
        services.objection_file(
            nomination=on_notice, name="钱七", phone="13957522222", code=code, content="y", today=today
        )
    with django_assert_num_queries(7):
        client.get("/awards/objections/")


def test_beat_task_closes_due_notices(on_notice, award_round):
    from awards.tasks import close_due_notices_task

    notices_of(award_round).update(starts_on=dt.date(2020, 1, 1), ends_on=dt.date(2020, 1, 1))
    assert close_due_notices_task.delay().get() == [award_round.pk]
    award_round.refresh_from_db()
    assert award_round.status == Round.Status.APPROVAL


def test_round_list_queries_do_not_grow_with_rows(tree, login, district_admin, award_round, django_assert_num_queries):
    client = login(district_admin)
    client.get("/awards/rounds/")
    # session (+ the verified OTP device), user, assignments, the rounds (org joined), "may create" (home nodes); session save (3)
    with django_assert_num_queries(8):
        client.get("/awards/rounds/")
    for year in (2023, 2024):
        Round.objects.create(
            org=tree["SX-KQ"],
            year=year,
            title=f"{year}",
            nominations_open=dt.date(year, 3, 1),
            nominations_close=dt.date(year, 4, 1),
            township_review_by=dt.date(year, 4, 2),
            district_review_by=dt.date(year, 4, 3),
            notice_planned=dt.date(year, 4, 4),
            created_by=district_admin,
        )
    with django_assert_num_queries(8):
        client.get("/awards/rounds/")


def test_public_notice_list_queries_do_not_grow_with_rows(client, on_notice, district_admin, django_assert_num_queries):
    # the rounds on notice
    with django_assert_num_queries(1):
        body = client.get("/awards/public/notices/").content.decode()
    assert on_notice.round.title in body
    second = Round.objects.create(
        org=on_notice.round.org,
        year=YEAR,
        title="工人先锋号专项评选",
        status=Round.Status.NOTICE,
        nominations_open=dt.date(YEAR, 3, 1),
        nominations_close=dt.date(YEAR, 4, 1),
        township_review_by=dt.date(YEAR, 4, 2),
        district_review_by=dt.date(YEAR, 4, 3),
        notice_planned=dt.date(YEAR, 4, 4),
        created_by=district_admin,
    )
    second.notice = notice_open(
        by=district_admin,
        subject=second,
        org=second.org,
        title=second.title,
        starts_on=dt.date(YEAR, 4, 6),
        working_days=5,
    )
    second.save()
    with django_assert_num_queries(1):
        body = client.get("/awards/public/notices/").content.decode()
    assert "工人先锋号专项评选" in body


def test_nomination_preview_shows_the_effect_of_the_candidate(
    tree, login, handler, district_admin, make_member, award_round
):
    from awards.models import HonourLevel
    from tests.awards.test_services import _published_round

    honoured = make_member(tree["KQ-HS-001"], name="孔明", sex="F")
    _published_round(
        district_admin, tree, year=YEAR - 2, type_name="劳模", level=HonourLevel.CITY, nominations=[honoured]
    )
    url = reverse("awards:nomination_preview", args=[award_round.pk])
    body = (
        login(handler)
        .get(url, {"award_type": award_round.types["劳动模范"].pk, "member": honoured.pk})
        .content.decode()
    )
    assert "孔明" in body and f"{YEAR - 2} 劳模" in body and "不能提交" in body
    assert "100.0%（1 人中 1 人）" in body  # women: the candidate is counted in the composition
    # a member of another township is not previewed (scoped)
    other = make_member(tree["KQ-QX-001"], name="外人")
    body = login(handler).get(url, {"member": other.pk}).content.decode()
    assert "外人" not in body
