"""Issue 16 [Front door], in headless Chromium on a phone (390x844, zh-CN): a newcomer registers by SMS code,
applies to join with consent, is approved, and sees the membership card."""

import re

import pytest

from members import services
from members.models import JoinApplication, Member
from union_portal.identity import make_id_number
from union_portal.sms import LoggingSmsBackend

PHONE = {"width": 390, "height": 844}
MOBILE = "13957598765"


def no_sideways_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), page.url


@pytest.mark.django_db(transaction=True)
def test_a_newcomer_registers_by_sms_code_joins_and_sees_the_card(tree, handler, new_page, shot):
    import datetime as dt

    page = new_page(viewport=PHONE)
    # given: an anonymous visitor on the join page is offered to register
    page.goto("/members/join/")
    no_sideways_scroll(page)
    page.click("#gate-register")
    page.wait_for_selector("input[name=mobile]")
    no_sideways_scroll(page)
    # when: the number, the name, then 获取验证码 (a plain POST)
    page.fill("input[name=mobile]", MOBILE)
    page.fill("input[name=full_name]", "赵新人")
    page.click("input[name=send_code]")
    page.wait_for_selector(".alert-success")
    phone, text = LoggingSmsBackend.outbox[-1]
    assert phone == MOBILE
    code = re.search(r"(?<!\d)(\d{6})(?!\d)", text).group(1)
    page.fill("input[name=code]", code)
    page.fill("input[name=password1]", "Xinren-2026!")
    page.fill("input[name=password2]", "Xinren-2026!")
    shot(page, "register-phone")
    page.click("input[name=submit]")
    # then: logged in and back on the join page, which now searches unions
    page.wait_for_selector("input[name=q]")
    assert "/members/join/" in page.url
    no_sideways_scroll(page)
    page.fill("input[name=q]", "华舍纺织")
    page.click("main form button[type=submit]")
    page.click("main .list-group-item-action:has-text('浙江华舍纺织印染有限公司')")
    page.wait_for_selector("#join-consent-notice")
    assert page.input_value("input[name=name]") == "赵新人"
    page.fill("input[name=id_number]", make_id_number("330621", dt.date(1995, 3, 9), 512))
    page.fill("input[name=mobile]", MOBILE)
    page.check("input[name=consent]")
    no_sideways_scroll(page)
    shot(page, "join-with-consent-phone")
    page.click("main form [type=submit]")
    page.wait_for_selector(".alert-success")
    application = JoinApplication.objects.get(user__mobile_hash__gt="", name="赵新人")
    assert application.consent_version == services.JOIN_CONSENT_VERSION
    # when: the handler approves
    member = services.join_approve(by=handler, application=application)
    # then: the worker sees the card
    page.goto("/members/me/")
    page.wait_for_selector(f"text={member.member_number}")
    shot(page, "card-phone")
    assert Member.objects.get(pk=member.pk).user_id == application.user_id
