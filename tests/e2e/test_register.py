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


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_front_door_pages_fit_a_360px_phone(tree, new_page, live_server, language):
    # given
    page = new_page(viewport={"width": 360, "height": 740})
    errors: list[str] = []
    page.on(
        "console",
        lambda m: (
            m.type == "error"
            and not m.location.get("url", "").endswith("/favicon.ico")
            and errors.append(f"{page.url}: {m.text}")
        ),
    )
    page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    for url in (
        "/accounts/login/",
        "/accounts/register/",
        "/accounts/password/reset/",
        "/members/join/",
        "/members/lost-mobile/",
    ):
        # when
        page.goto(url)
        # then
        no_sideways_scroll(page)
        assert page.locator("html").get_attribute("lang") == language
    assert errors == []
