"""Pages of the roll: scoped like everything else, constant queries per page, masked personal data."""

import datetime as dt
import re

import pytest

from members import services
from members.models import FoundingApplication, JoinApplication, Member
from members.selectors import card_code, card_token
from tests.factories import new_id_number
from union_portal.audit import audit_record
from union_portal.models import AuditLog, OrgUnit

from .conftest import YEAR

QUERIES_CARD = 11

# A logged-in page costs: session, user, the verified OTP device (the user's assignments come from the per-user
# cache, union_portal.usercache); then the page's own queries; then the idle-timeout session save (savepoint,
# update, release).
BASE = 3 + 3


def _many(make_member, n, org="KQ-HS-001"):
    for i in range(n):
        make_member(org, name=f"批量{i}")


# --- list, search, filters --------------------------------------------------------------------------------


def test_member_list_queries_do_not_grow_with_rows(make_member, login, handler, django_assert_num_queries):
    client = login(handler)
    client.get("/members/")
    _many(make_member, 3)
    # BASE + the page of members with their unions (one query, no COUNT)
    with django_assert_num_queries(BASE + 1):
        client.get("/members/")
    _many(make_member, 60)
    with django_assert_num_queries(BASE + 1):
        response = client.get("/members/?sort=name&frontline=1")
    assert response.context["page"].has_next is False or len(response.context["page"]) == 50


def test_member_search_queries_are_constant(make_member, login, huashe_staff, django_assert_num_queries):
    client = login(huashe_staff)
    client.get("/members/")
    member = make_member(name="查询人")
    # BASE + the unit looked up by code + the page
    with django_assert_num_queries(BASE + 2):
        response = client.get(f"/members/?unit=KQ-HS-001&q={member.id_number}")
    assert list(response.context["page"]) == [member]


@pytest.mark.parametrize("field", ["id_number", "mobile", "member_number", "name"])
def test_search_finds_by_full_id_phone_number_or_name(make_member, login, handler, field):
    target = make_member(name="欧阳修远", mobile="13511112222")
    make_member(name="别人")
    query = {
        "id_number": target.id_number.lower(),
        "mobile": "135 1111 2222",
        "member_number": target.member_number.lower(),
        "name": "欧阳",
    }[field]
    page = login(handler).get("/members/", {"q": query}).context["page"]
    assert list(page) == [target]


def test_partial_id_numbers_find_nothing(make_member, login, handler):
    target = make_member()
    page = login(handler).get("/members/", {"q": target.id_number[:10]}).context["page"]
    assert list(page) == []


def test_filters_and_subtree(make_member, login, huashe_staff, district_admin):
    a = make_member("KQ-HS-001", is_migrant=True, is_hardship=True)
    make_member("KQ-HS-002")
    make_member("KQ-QX-001", is_migrant=True)
    client = login(district_admin)
    assert list(client.get("/members/", {"unit": "KQ-HS", "migrant": "1", "hardship": "1"}).context["page"]) == [a]
    # staff of Huashe never see Qixian, and a unit outside their scope is 404
    client = login(huashe_staff)
    orgs = {m.org.code for m in client.get("/members/").context["page"]}
    assert orgs <= {"KQ-HS-001", "KQ-HS-002"} and "KQ-HS-002" in orgs
    assert client.get("/members/", {"unit": "KQ-QX"}).status_code == 404


def test_list_shows_masked_phones_only(make_member, login, handler):
    member = make_member(mobile="13612345678")
    body = login(handler).get("/members/").content.decode()
    assert "*******5678" in body and "13612345678" not in body and member.id_number not in body


def test_staff_pages_refuse_workers_and_anonymous(tree, client, login, worker, judge1):
    assert client.get("/members/").status_code == 302
    assert login(worker).get("/members/").status_code == 403
    assert login(judge1).get("/members/").status_code == 403


# --- detail, history, reveal, edits ----------------------------------------------------------------------


def test_member_page_shows_history_who_when_why(make_member, login, handler):
    member = make_member()
    services.member_change_status(
        by=handler, member=member, status="retired", effective_on=dt.date(YEAR - 1, 1, 1), reason="到龄退休"
    )
    body = login(handler).get(f"/members/{member.pk}/").content.decode()
    assert "到龄退休" in body and handler.display_name in body and f"{YEAR - 1}-01-01" in body
    assert member.id_number not in body and member.id_number[:3] in body


def test_member_page_of_another_union_is_404(make_member, login, handler_qixian, qixian_staff):
    member = make_member("KQ-HS-001")
    for user in (handler_qixian, qixian_staff):
        client = login(user)
        for suffix in ("", "edit/", "status/", "transfer/"):
            assert client.get(f"/members/{member.pk}/{suffix}").status_code == 404


def test_township_staff_may_see_but_the_worker_only_their_own(make_member, login, huashe_staff, worker):
    member = make_member()
    assert login(huashe_staff).get(f"/members/{member.pk}/").status_code == 200
    assert login(worker).get(f"/members/{member.pk}/").status_code == 404


def test_reveal_shows_the_full_number_and_is_audited(make_member, login, handler):
    member = make_member()
    response = login(handler).post(f"/members/{member.pk}/reveal/id_number/", HTTP_HX_REQUEST="true")
    assert member.id_number in response.content.decode()
    assert AuditLog.objects.filter(action="members.reveal", object_id=str(member.pk)).count() == 1


def test_reveal_is_refused_to_roles_without_the_right(make_member, login, city_admin):
    member = make_member()
    # the city admin sees the roll but is not in REVEAL_ROLES
    assert login(city_admin).post(f"/members/{member.pk}/reveal/id_number/").status_code == 403


def test_add_edit_status_and_transfer_through_the_pages(tree, login, handler, handler_qixian):
    client = login(handler)
    id_number = new_id_number()
    response = client.post(
        "/members/new/",
        {
            "org": tree["KQ-HS-001"].pk,
            "name": "页面新增",
            "id_number": id_number,
            "mobile": "13700001111",
            "joined_on": f"{YEAR - 1}-05-01",
        },
    )
    member = Member.objects.get(name="页面新增")
    assert response.status_code == 302 and member.org == tree["KQ-HS-001"]

    client.post(
        f"/members/{member.pk}/edit/",
        {
            "name": "页面新增",
            "id_number": id_number,
            "mobile": "13700002222",
            "joined_on": f"{YEAR - 1}-05-01",
            "job": "机修工",
            "reason": "更正",
        },
    )
    member.refresh_from_db()
    assert member.mobile == "13700002222" and member.job == "机修工"

    client.post(f"/members/{member.pk}/transfer/", {"to_code": "KQ-QX-001", "reason": "调往齐贤"})
    transfer = member.transfers.get()
    response = login(handler_qixian).post(f"/members/transfers/{transfer.pk}/decide/", {"decision": "accept"})
    member.refresh_from_db()
    assert response.status_code == 302 and member.org == tree["KQ-QX-001"]


def test_adding_a_person_active_elsewhere_shows_the_error_in_chinese(make_member, tree, login, handler_qixian):
    existing = make_member("KQ-HS-001")
    response = login(handler_qixian).post(
        "/members/new/",
        {"org": tree["KQ-QX-001"].pk, "name": "x", "id_number": existing.id_number, "joined_on": f"{YEAR - 1}-05-01"},
    )
    body = response.content.decode()
    assert response.status_code == 200 and "请办理会员关系接转" in body
    # neither the union nor the member number (issue 14 M9)
    assert existing.member_number not in body and existing.org.name not in body


def test_status_page_refuses_a_missing_reason(make_member, login, handler):
    member = make_member()
    response = login(handler).post(
        f"/members/{member.pk}/status/", {"status": "left", "effective_on": f"{YEAR - 1}-01-01", "reason": ""}
    )
    assert response.status_code == 200
    member.refresh_from_db()
    assert member.status == "active"


def test_transfer_list_queries_do_not_grow(
    make_member, tree, login, handler, handler_qixian, django_assert_num_queries
):
    client = login(handler_qixian)
    client.get("/members/transfers/")
    for _ in range(2):
        services.transfer_request(by=handler, member=make_member(), to_org=tree["KQ-QX-001"], reason="调动")
    # BASE + the page of transfers with member and both unions
    with django_assert_num_queries(BASE + 1):
        client.get("/members/transfers/")
    for _ in range(10):
        services.transfer_request(by=handler, member=make_member(), to_org=tree["KQ-QX-001"], reason="调动")
    with django_assert_num_queries(BASE + 1):
        response = client.get("/members/transfers/")
    assert len(response.context["rows"]) == 12


# --- export -----------------------------------------------------------------------------------------------


def _sheet(content):
    import io

    from openpyxl import load_workbook

    return [[c.value for c in row] for row in load_workbook(io.BytesIO(content)).active.iter_rows()]


def test_export_is_masked_by_default_and_full_only_for_entitled_roles_with_a_reason(
    make_member, login, handler, city_admin
):
    member = make_member(mobile="13612340000")
    rows = _sheet(login(handler).get("/members/export.xlsx").content)
    flat = str(rows)
    assert member.member_number in flat and "13612340000" not in flat and member.id_number not in flat

    # the full export first asks for a reason (issue 14 M8), then writes the file
    asked = login(handler).get("/members/export.xlsx?full=1")
    assert asked["Content-Type"].startswith("text/html") and member.id_number not in asked.content.decode()
    full = _sheet(login(handler).post("/members/export.xlsx?full=1", {"reason": "核对会员信息"}).content)
    assert member.id_number in str(full) and "13612340000" in str(full)
    assert AuditLog.objects.filter(action="members.export", detail__full=True, detail__reason="核对会员信息").exists()
    assert login(city_admin).get("/members/export.xlsx?full=1").status_code == 403


def test_export_follows_the_filters_and_scope(make_member, login, handler_qixian):
    make_member("KQ-HS-001", name="华舍人")
    make_member("KQ-QX-001", name="齐贤人")
    flat = str(_sheet(login(handler_qixian).get("/members/export.xlsx").content))
    assert "齐贤人" in flat and "华舍人" not in flat


# --- joining and the card ---------------------------------------------------------------------------------


def test_worker_joins_from_the_phone_and_gets_a_card(tree, client, login, handler, django_user_model):
    applicant = django_user_model.objects.create_user("phone_user", password="x", full_name="手机用户")
    c = login(applicant)
    found = c.get("/members/join/", {"q": "华舍纺织"}).content.decode()
    assert f"/members/join/{tree['KQ-HS-001'].pk}/" in found
    response = c.post(
        f"/members/join/{tree['KQ-HS-001'].pk}/",
        {
            "name": "手机用户",
            "id_number": new_id_number(),
            "mobile": "13655556666",
            "job": "挡车工",
            "is_frontline": "on",
            "consent": "on",
        },
    )
    assert response.status_code == 302
    application = JoinApplication.objects.get(user=applicant)

    hc = login(handler)
    assert "手机用户" in hc.get("/members/joins/").content.decode()
    hc.post(f"/members/joins/{application.pk}/", {"decision": "approve"})
    member = Member.objects.get(user=applicant)

    card = login(applicant).get("/members/me/").content.decode()
    # issue 16: the card shows the short verify link (its QR code encodes it), not the long signed token
    assert member.member_number in card and "<svg" in card and card_code(member) in card
    assert card_token(member) not in card


def test_join_rejection_without_a_reason_is_refused(tree, login, handler):
    application = services.join_submit(
        consent=True, user=None, org=tree["KQ-HS-001"], name="某", id_number=new_id_number(), mobile="13655556667"
    )
    response = login(handler).post(f"/members/joins/{application.pk}/", {"decision": "reject", "reason": ""})
    assert response.status_code == 200
    application.refresh_from_db()
    assert application.status == "pending"


def test_join_applications_of_another_union_are_404(tree, login, handler_qixian):
    application = services.join_submit(
        consent=True, user=None, org=tree["KQ-HS-001"], name="某", id_number=new_id_number(), mobile="13655556668"
    )
    assert login(handler_qixian).get(f"/members/joins/{application.pk}/").status_code == 404


def test_join_list_queries_do_not_grow(tree, login, handler, django_assert_num_queries):
    client = login(handler)
    client.get("/members/joins/")
    services.join_submit(
        consent=True, user=None, org=tree["KQ-HS-001"], name="甲", id_number=new_id_number(), mobile="13655550001"
    )
    # BASE + the page of applications with their unions
    with django_assert_num_queries(BASE + 1):
        client.get("/members/joins/")
    for i in range(8):
        services.join_submit(
            consent=True,
            user=None,
            org=tree["KQ-HS-001"],
            name="乙",
            id_number=new_id_number(),
            mobile=f"136555510{i:02d}",
        )
    with django_assert_num_queries(BASE + 1):
        client.get("/members/joins/")


def test_public_card_check_shows_masked_name_union_and_validity(make_member, client, handler):
    member = make_member(name="张三丰")
    body = client.get(f"/members/card/{card_token(member)}/").content.decode()
    assert "张*丰" in body and "张三丰" not in body and member.org.name in body and "有效" in body
    services.member_change_status(
        by=handler, member=member, status="left", effective_on=dt.date(YEAR - 1, 1, 1), reason="离职"
    )
    body = client.get(f"/members/card/{card_token(member)}/").content.decode()
    assert "无效" in body


def test_a_forged_card_token_is_404(make_member, client):
    member = make_member()
    assert client.get(f"/members/card/{member.member_number}:forged/").status_code == 404


def test_worker_without_membership_is_invited_to_join(tree, login, django_user_model):
    user = django_user_model.objects.create_user("nobody", password="x")
    body = login(user).get("/members/me/").content.decode()
    assert "/members/join/" in body


# --- enterprises and founding -----------------------------------------------------------------------------


def test_enterprise_list_shows_unorganised_25_plus_firms_of_the_township(tree, login, huashe_staff):
    body = login(huashe_staff).get("/members/enterprises/?unorganised=1").content.decode()
    assert "绍兴华舍经编有限公司" in body  # 66 staff, no union
    assert "浙江华舍纺织印染有限公司" not in body  # has a union
    assert "绍兴齐贤新材料科技有限公司" not in body  # another township


def test_enterprise_list_queries_do_not_grow(tree, login, huashe_staff, django_assert_num_queries):
    from union_portal.identity import make_uscc

    client = login(huashe_staff)
    client.get("/members/enterprises/")
    # BASE + the page of enterprises with township and union
    with django_assert_num_queries(BASE + 1):
        client.get("/members/enterprises/")
    for i in range(10):
        services.enterprise_create(
            by=huashe_staff, township=tree["KQ-HS"], name=f"企业{i}", uscc=make_uscc(700 + i), employee_count=30
        )
    with django_assert_num_queries(BASE + 1):
        client.get("/members/enterprises/")


def test_enterprise_registration_with_a_bad_code_shows_a_chinese_error(tree, login, huashe_staff):
    response = login(huashe_staff).post(
        "/members/enterprises/new/",
        {"name": "坏码企业", "uscc": "91330603000000001X", "township": tree["KQ-HS"].pk, "employee_count": 30},
    )
    assert response.status_code == 200 and "统一社会信用代码" in response.content.decode()


def test_enterprise_pages_are_for_township_staff_only(tree, login, handler, qixian_staff):
    from members.models import Enterprise

    firm = Enterprise.objects.get(name="绍兴华舍经编有限公司")
    assert login(handler).get("/members/enterprises/new/").status_code == 403
    assert login(qixian_staff).get(f"/members/enterprises/{firm.pk}/edit/").status_code == 404


def test_founding_filed_online_and_approved_by_the_township(tree, login, huashe_staff, qixian_staff, pdf_upload):
    from members.models import Enterprise

    firm = Enterprise.objects.get(name="绍兴华舍经编有限公司")
    client = login(huashe_staff)
    response = client.post(
        "/members/founding/new/",
        {
            "uscc": firm.uscc,
            "union_name": "绍兴华舍经编有限公司工会",
            "chair_name": "钱一",
            "meeting_date": f"{YEAR}-02-01",
            "member_count": 50,
            "election_result": pdf_upload,
            "applicant_name": "钱一",
            "applicant_phone": "13900000000",
        },
    )
    application = FoundingApplication.objects.get(enterprise=firm)
    assert response.status_code == 302

    assert login(qixian_staff).get(f"/members/founding/{application.pk}/").status_code == 404
    assert login(qixian_staff).get(f"/members/founding/{application.pk}/file/").status_code == 404
    client = login(huashe_staff)
    assert client.get(f"/members/founding/{application.pk}/file/").status_code == 200

    client.post(f"/members/founding/{application.pk}/", {"decision": "approve"})
    firm.refresh_from_db()
    assert firm.union is not None and firm.union.name == "绍兴华舍经编有限公司工会"


def test_founding_upload_must_be_a_pdf_or_photo(tree, login, huashe_staff):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from members.models import Enterprise

    firm = Enterprise.objects.get(name="绍兴华舍经编有限公司")
    response = login(huashe_staff).post(
        "/members/founding/new/",
        {
            "uscc": firm.uscc,
            "union_name": "x",
            "chair_name": "x",
            "meeting_date": f"{YEAR}-02-01",
            "member_count": 5,
            "election_result": SimpleUploadedFile("a.pdf", b"not a pdf"),
            "applicant_name": "x",
            "applicant_phone": "1",
        },
    )
    assert response.status_code == 200 and not FoundingApplication.objects.exists()


def test_english_is_available(make_member, login, handler):
    make_member()
    client = login(handler)
    client.post("/i18n/setlang/", {"language": "en", "next": "/members/"})
    body = client.get("/members/").content.decode()
    assert "Member number" in body and "会员编号" not in body
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/members/"})
    assert "会员编号" in client.get("/members/").content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/members/",
        "/members/export.xlsx",
        "/members/new/",
        "/members/1/",
        "/members/transfers/",
        "/members/joins/",
        "/members/me/",
        "/members/enterprises/",
        "/members/founding/",
        "/members/founding/new/",
        "/members/imports/",
        "/members/imports/template.xlsx",
    ],
)
def test_anonymous_users_are_sent_to_login(tree, client, url):
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_anonymous_join_start_offers_register_and_login_keeping_next(tree, client):
    """Issue 16: /members/join/ no longer sends an anonymous visitor to a bare login form."""
    # when
    response = client.get("/members/join/?q=华舍")
    # then
    body = response.content.decode()
    assert response.status_code == 200
    assert "/accounts/register/?next=%2Fmembers%2Fjoin%2F%3Fq%3D" in body
    assert "/accounts/login/?next=%2Fmembers%2Fjoin%2F%3Fq%3D" in body


def test_a_transfer_outside_both_unions_cannot_be_decided(
    make_member, tree, login, handler, huashe_staff, qixian_staff
):
    transfer = services.transfer_request(
        by=handler, member=make_member("KQ-HS-001"), to_org=tree["KQ-HS-002"], reason="调动"
    )
    response = login(qixian_staff).post(f"/members/transfers/{transfer.pk}/decide/", {"decision": "accept"})
    assert response.status_code == 404
    transfer.refresh_from_db()
    assert transfer.status == "pending"
    login(huashe_staff).post(f"/members/transfers/{transfer.pk}/decide/", {"decision": "accept"})
    transfer.refresh_from_db()
    assert transfer.status == "accepted"


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_member_edit_and_status_pages_prefill_dates_as_iso_in_every_language(make_member, login, handler, language):
    """The join date was blank in Chinese: the page rendered 2026/12/01, which <input type=date> rejects."""
    # given a member who joined on a known day
    member = make_member("KQ-HS-001", joined_on=dt.date(YEAR - 1, 5, 1))
    client = login(handler)
    client.cookies["django_language"] = language
    # when the handler opens the edit page and the status page
    edit = client.get(f"/members/{member.pk}/edit/").content.decode()
    status = client.get(f"/members/{member.pk}/status/").content.decode()
    # then the join date is there as an ISO value, and every date input of both pages has an ISO value or none
    assert f'value="{YEAR - 1}-05-01"' in edit
    for page in (edit, status):
        for tag in re.findall(r'<input[^>]*type="date"[^>]*>', page):
            value = re.search(r'value="([^"]*)"', tag)
            assert value is None or re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.group(1)), tag


def test_a_status_change_says_whose_status_became_what(make_member, login, handler):
    """Issue 16: flash messages say what was done to what ("状态已变更" said neither)."""
    # given an active member
    member = make_member("KQ-HS-001", name="退休测试")
    client = login(handler)
    # when the handler records the member's retirement
    response = client.post(
        f"/members/{member.pk}/status/",
        {"status": "retired", "effective_on": f"{YEAR}-01-01", "reason": "到龄退休"},
        follow=True,
    )
    # then the message names the member and the new status
    shown = [str(m) for m in response.context["messages"]]
    assert shown == ["退休测试 的状态已改为“已退休”。"], shown


def test_saving_a_members_details_says_whose_details_were_saved(make_member, login, handler):
    # given a member
    member = make_member("KQ-HS-001", name="资料测试", joined_on=dt.date(YEAR - 1, 5, 1))
    client = login(handler)
    page = client.get(f"/members/{member.pk}/edit/")
    data = {k: v for k, v in page.context["form"].initial.items() if v is not None}
    data.update({"joined_on": f"{YEAR - 1}-05-01", "job": "挡车工", "reason": "更正工种"})
    # when the handler saves a change
    response = client.post(f"/members/{member.pk}/edit/", data, follow=True)
    # then the message names the member
    assert [str(m) for m in response.context["messages"]] == ["资料测试 的资料已保存。"]


def test_the_member_card_keeps_its_queries_constant(login, handler, worker, django_assert_num_queries):
    """The worker's card lists who looked at her data in a fixed number of queries however many did; its QR
    code is drawn once and then read from the cache."""
    # given
    member = Member.objects.get(user=worker)
    reveal = dict(actor=handler, action="members.reveal", obj=member, detail={"field": "id_number"})
    audit_record(**reveal)
    client = login(worker)
    client.get("/members/me/")  # warm the session
    # BASE + her membership; the unions she was in, the audit rows about her (server-side cursor: declare,
    # fetch, close), the staff's roles; her join applications (the menu's membership check: per-user cache)
    with django_assert_num_queries(QUERIES_CARD):
        first = client.get("/members/me/").content.decode()
    for _ in range(3):
        audit_record(**reveal)
    # when
    with django_assert_num_queries(QUERIES_CARD):
        body = client.get("/members/me/").content.decode()
    # then
    assert body.count("查看了您完整的身份证号") == first.count("查看了您完整的身份证号") + 3 == 4
    assert re.search(r"<svg.*</svg>", first, re.S).group(0) == re.search(r"<svg.*</svg>", body, re.S).group(0)


def test_the_org_tree_list_keeps_its_queries_constant(tree, login, huashe_staff, django_assert_max_num_queries):
    """The township's part of the tree is listed in one query however many unions it holds."""
    # given
    client = login(huashe_staff)
    client.get("/members/orgs/")  # warm the session
    # BASE + the page of units (one query, no COUNT) + the menu's unread count, which the menu's cache answers
    # or not depending on what earlier requests left there: at most that, and the same before and after
    with django_assert_max_num_queries(BASE + 2) as first:
        before = client.get("/members/orgs/").content.decode()
    for i in range(5):
        OrgUnit.objects.add_child(tree["KQ-HS"], {"code": f"KQ-HS-09{i}", "name": f"新工会<{i}>", "kind": "grassroots"})
    # when
    with django_assert_max_num_queries(BASE + 2) as second:
        after = client.get("/members/orgs/").content.decode()
    # then
    assert len(second.captured_queries) == len(first.captured_queries)
    assert after.count('href="/members/orgs/') == before.count('href="/members/orgs/') + 5
    assert "新工会&lt;4&gt;" in after and "基层工会" in after
