"""Issue 16: the enrolment pages, the 增员 screen and the scheme rules editor on a phone (360 and 390 px wide, in
Chinese and English): no horizontal scroll, no console error; the editor's "add a row" works."""

import pytest
from django.test import Client

from mutual_aid import services
from tests import clock
from tests.conftest import verify_two_factor
from tests.factories import make_member

pytestmark = pytest.mark.django_db(transaction=True)


def _session_page(new_page, live_server, user, *, width: int, lang: str):
    client = Client()
    client.force_login(user)
    verify_two_factor(client, user)
    page = new_page(viewport={"width": width, "height": 800})
    host = live_server.url.split("//")[1].split(":")[0]
    page.context.add_cookies(
        [
            {"name": "sessionid", "value": client.cookies["sessionid"].value, "domain": host, "path": "/"},
            {"name": "django_language", "value": lang, "domain": host, "path": "/"},
        ]
    )
    errors: list[str] = []

    def watch(message) -> None:
        # Chromium asks for /favicon.ico on its own (base.html links no icon): not a page error
        if message.type == "error" and not message.location.get("url", "").endswith("/favicon.ico"):
            errors.append(message.text)

    page.on("console", watch)
    return page, errors


def _no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def test_the_enrolment_pages_and_rules_editor_fit_a_phone(
    tree, new_page, live_server, handler, finance, district_admin, worker, shot
):
    from members.models import Member

    member = Member.objects.get(user=worker)
    # given this year's scheme with the union enrolled and a member added later
    scheme = services.scheme_create(by=district_admin, year=clock.current_date().year)
    benefit = scheme.benefits.get(kind="inpatient")
    enrolment = services.enrolment_create(by=handler, benefit=benefit, org=member.org, members=[member])
    services.enrolment_add_members(by=handler, enrolment=enrolment, members=[make_member(member.org)])
    make_member(member.org)
    pages = {
        handler: [f"/mutual-aid/enrolments/{enrolment.pk}/", f"/mutual-aid/enrolments/{enrolment.pk}/add/"],
        finance: [f"/mutual-aid/enrolments/{enrolment.pk}/", "/mutual-aid/enrolments/"],
        district_admin: [
            f"/mutual-aid/schemes/{scheme.pk}/",
            f"/mutual-aid/benefits/{benefit.pk}/rules/new/",
            f"/mutual-aid/benefits/{scheme.benefits.get(kind='major_disease').pk}/rules/new/",
        ],
    }
    # when each page is opened at 360 and 390 px in both languages
    for user, urls in pages.items():
        for width in (360, 390):
            for lang in ("zh-hans", "en"):
                page, errors = _session_page(new_page, live_server, user, width=width, lang=lang)
                for url in urls:
                    page.goto(url)
                    # then nothing scrolls sideways and nothing fails
                    assert _no_horizontal_scroll(page), (url, width, lang)
                    assert errors == [], (url, errors)
                page.context.close()
    # and the editor's "add a band" adds a numbered row
    page, errors = _session_page(new_page, live_server, district_admin, width=390, lang="zh-hans")
    page.goto(f"/mutual-aid/benefits/{benefit.pk}/rules/new/")
    before = int(page.input_value("#id_bands-TOTAL_FORMS"))
    page.click("[data-formset-add=bands]")
    assert int(page.input_value("#id_bands-TOTAL_FORMS")) == before + 1
    assert page.locator(f"#id_bands-{before}-start").count() == 1
    shot(page, "rules-editor-phone")
    assert errors == []
