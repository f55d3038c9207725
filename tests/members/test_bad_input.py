"""L3, L7 on the roll: bad input is a clear 400 or form error, never a 500; the card check is never cached
and a card stops being valid when the membership's status or union changes."""

import datetime as dt

from members import services
from members.models import Member
from members.selectors import card_token

from .conftest import YEAR


def test_a_nul_byte_in_a_search_is_a_400(make_member, login, handler):
    client = login(handler)
    assert client.get("/members/", {"q": "张\x00三"}).status_code == 400
    assert client.get("/api/v1/members/", {"search": "\x00"}).status_code == 400
    assert client.get("/members/", {"q": "张三"}).status_code == 200


def test_a_huge_page_number_is_a_400(make_member, login, handler):
    client = login(handler)
    assert client.get("/members/", {"page": "9" * 30}).status_code == 400
    assert client.get("/api/v1/members/", {"page": "9" * 30}).status_code == 400
    assert client.get("/members/", {"page": "2"}).status_code == 200


def test_a_transfer_to_a_login_that_already_holds_a_membership_leaves_that_login_alone(
    make_member, tree, worker, handler, handler_qixian
):
    own = Member.objects.get(user=worker)
    other = make_member("KQ-HS-001")  # another person, active in 华舍
    application = services.join_submit(
        consent=True,
        user=worker,
        org=tree["KQ-QX-001"],
        name=other.name,
        id_number=other.id_number,
        mobile="13800000077",
    )
    transfer = services.join_approve(by=handler_qixian, application=application)

    # the releasing union releases and even confirms the login (the receiving union can no longer accept alone)
    services.transfer_release(by=handler, transfer=transfer, confirm_login=True)

    moved = Member.objects.get(pk=other.pk)
    assert moved.org.code == "KQ-QX-001" and moved.user_id is None
    assert Member.objects.get(user=worker) == own


def test_the_card_check_is_never_cached(make_member, client):
    response = client.get(f"/members/card/{card_token(make_member())}/")
    assert "no-store" in response["Cache-Control"]


def test_a_card_shown_before_the_membership_ended_is_invalid_and_shows_nothing_of_the_member(
    make_member, client, handler
):
    member = make_member(name="张三丰")
    old_token = card_token(member)
    services.member_change_status(
        by=handler, member=member, status="left", effective_on=dt.date(YEAR - 1, 1, 1), reason="离职"
    )

    body = client.get(f"/members/card/{old_token}/").content.decode()

    assert "无效/已失效" in body and "张*丰" not in body and member.org.name not in body


def test_a_card_shown_before_a_transfer_is_no_longer_valid(make_member, tree, handler, handler_qixian, client):
    member = make_member("KQ-HS-001")
    old_token = card_token(member)
    transfer = services.transfer_request(by=handler, member=member, to_org=tree["KQ-QX-001"], reason="调动")
    services.transfer_accept(by=handler_qixian, transfer=transfer)
    member.refresh_from_db()

    assert "无效/已失效" in client.get(f"/members/card/{old_token}/").content.decode()
    assert "有效" in client.get(f"/members/card/{card_token(member)}/").content.decode()
