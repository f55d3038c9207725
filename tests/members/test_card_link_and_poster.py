"""Issue 16: the membership card's short verify link at SITE_URL, the invalid-card page, the join poster."""

import datetime as dt
import shutil
import subprocess

import pytest
from django.urls import reverse

from members import services
from members.posters import join_poster_url
from members.selectors import card_code, card_token, card_verify_url

from .conftest import YEAR

# --- the card's short link ---------------------------------------------------------------------------------


def test_the_card_s_qr_code_points_at_the_site_s_short_link(make_member, settings):
    # given
    settings.SITE_URL = "https://gh.keqiao.gov.cn/"
    member = make_member()
    # when
    url = card_verify_url(member)
    # then a short link on the real site, not the long signed token
    assert url == f"https://gh.keqiao.gov.cn/v/{card_code(member)}"
    assert len(card_code(member)) <= 16 and card_token(member) not in url


def test_the_short_link_shows_the_masked_card(make_member, client):
    member = make_member(name="张三丰")
    response = client.get(f"/v/{card_code(member)}")
    body = response.content.decode()
    assert response.status_code == 200 and "张*丰" in body and "张三丰" not in body and member.org.name in body


def test_the_short_link_is_never_cached(make_member, client):
    response = client.get(f"/v/{card_code(make_member())}")
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_a_tampered_short_code_says_the_card_is_invalid_or_tampered_with(make_member, client):
    # given
    member = make_member(name="李四光")
    code = card_code(member)
    tampered = code[:-1] + ("a" if code[-1] != "a" else "b")
    # when
    response = client.get(f"/v/{tampered}")
    # then
    body = response.content.decode()
    assert response.status_code == 404 and "此会员卡无效或已被篡改" in body and "李*光" not in body
    assert "电子会员卡" in body  # in the card's style


@pytest.mark.parametrize("code", ["x", "zzzzzzzzzzzzzzzzzzzzzzzzzzzz", "-1abcdefghij", "好好好好好好好好好好好"])
def test_nonsense_short_codes_are_the_invalid_page_not_an_error(tree, client, code):
    response = client.get(f"/v/{code}")
    assert response.status_code == 404 and "此会员卡无效或已被篡改" in response.content.decode()


def test_a_short_link_shown_before_the_membership_ended_is_invalid(make_member, client, handler):
    # given
    member = make_member()
    code = card_code(member)
    # when
    services.member_change_status(
        by=handler, member=member, status="left", effective_on=dt.date(YEAR - 1, 1, 1), reason="离职"
    )
    # then
    assert "此会员卡无效或已被篡改" in client.get(f"/v/{code}").content.decode()


def test_the_old_long_token_links_keep_working(make_member, client):
    member = make_member(name="王五")
    body = client.get(reverse("members:card_verify", args=[card_token(member)])).content.decode()
    assert "王*" in body and "有效" in body and "此会员卡无效或已被篡改" not in body


def test_a_forged_long_token_shows_the_invalid_card_page(make_member, client):
    member = make_member()
    response = client.get(f"/members/card/{member.member_number}:forged/")
    assert response.status_code == 404 and "此会员卡无效或已被篡改" in response.content.decode()


# --- the join poster ----------------------------------------------------------------------------------------


def test_a_handler_prints_the_join_poster_of_their_union(tree, login, handler, settings):
    # given
    settings.SITE_URL = "https://gh.keqiao.gov.cn"
    org = tree["KQ-HS-001"]
    # when
    response = login(handler).get(reverse("members:org_join_poster", args=[org.pk]))
    # then
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert join_poster_url(org=org) == f"https://gh.keqiao.gov.cn/members/join/{org.pk}/"
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", "-", "-"], input=response.content, capture_output=True, check=True
        ).stdout.decode()
        assert org.name in text and "申请入会" in text and join_poster_url(org=org) in text


def test_the_org_page_offers_the_poster_to_its_handler(tree, login, handler):
    org = tree["KQ-HS-001"]
    body = login(handler).get(reverse("members:org_detail", args=[org.pk])).content.decode()
    assert reverse("members:org_join_poster", args=[org.pk]) in body and "打印入会海报" in body


def test_township_staff_print_the_posters_of_their_unions(tree, login, huashe_staff):
    assert login(huashe_staff).get(reverse("members:org_join_poster", args=[tree["KQ-HS-001"].pk])).status_code == 200


def test_no_poster_for_a_union_outside_the_handler_s_area(tree, login, handler):
    assert login(handler).get(reverse("members:org_join_poster", args=[tree["KQ-QX-001"].pk])).status_code == 404


def test_no_poster_for_a_township_union(tree, login, huashe_staff):
    response = login(huashe_staff).get(reverse("members:org_join_poster", args=[tree["KQ-HS"].pk]))
    assert response.status_code == 404


def test_a_worker_cannot_print_a_poster(tree, login, worker):
    assert login(worker).get(reverse("members:org_join_poster", args=[tree["KQ-HS-001"].pk])).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in_for_the_poster(tree, client):
    response = client.get(reverse("members:org_join_poster", args=[tree["KQ-HS-001"].pk]))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
