"""Hardship assistance on a phone (issue 19, part 1): a worker applies with the signed authorisation, the handler
records the home visit and decides the category, the notice at the unit is seen masked by a colleague and not by
another union's member, and after the notice, township review and district approval open the file; the worker sees
"approved"; the file is then included in the Spring Festival campaign, a second person approves, the batch is paid and
the worker sees the help on the phone (the issue's whole journey)."""

import pytest

from tests.e2e.conftest import log_in, log_out
from tests.e2e.test_assistance_campaign import spring_festival_paid_and_seen
from tests.e2e.test_flows import PageErrors, small_pdf, watched  # noqa: F401  (the fixture)

PHONE = {"width": 375, "height": 812}
NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"


@pytest.mark.django_db(transaction=True)
def test_worker_applies_on_a_phone_and_is_helped_from_the_file(tree, watched, settings, make_member, tmp_path, today):  # noqa: F811
    from assistance.models import Application, HardshipFile
    from assistance.services import applications as svc
    from tests.factories import as_apply as f
    from tests.factories.core import PASSWORD, UserFactory, new_id_number
    from union_portal.models import User

    page = watched.open(viewport=PHONE)
    secrets: dict = {}

    # the worker applies on a phone
    log_in(page, "worker", settings.DEMO_PASSWORD)
    page.goto("/assistance/my/")
    page.click("main a[href$='/assistance/applications/new/']")
    page.fill("input[name=p-0-age]", "38")
    # a spouse: 24,000 yuan a year for two people is under the minimum living standard line, with a serious illness
    page.select_option("select[name=p-1-relation]", value="spouse")
    page.fill("input[name=p-1-name]", "王大明")
    page.fill("input[name=p-1-id_number]", new_id_number())
    page.fill("input[name=p-1-age]", "40")
    page.select_option("select[name=p-1-health]", value="serious")
    page.check("input[name=causes][value=serious_illness]")
    page.select_option("select[name=i-0-kind]", value="wages")
    page.fill("input[name=i-0-amount]", "24000")
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    assert "/submit/" in page.url, page.inner_text("main")
    pdf = tmp_path / "授权书.pdf"
    pdf.write_bytes(small_pdf("authorisation"))
    page.select_option("select[name=kind]", value="authorisation")
    page.set_input_files("input[name=file]", str(pdf))
    page.click("main form[enctype] [type=submit]")
    page.wait_for_load_state()
    page.check("input[name=consent_sensitive]")
    page.check("input[name=consent_check]")
    page.click("main form:not([enctype]) [type=submit]")
    page.wait_for_load_state()
    application = Application.objects.get(member__user__username="worker")
    assert application.status == Application.Status.SUBMITTED
    log_out(page)

    # the handler records the home visit and decides the category
    handler, township = User.objects.get(username="handler"), User.objects.get(username="huashe_staff")
    log_in(page, "handler", settings.DEMO_PASSWORD, two_factor_secret=secrets)
    page.goto(f"/assistance/applications/{application.pk}/")
    page.select_option("select[name=staff_one]", value=str(handler.pk))
    page.select_option("select[name=staff_two]", value=str(township.pk))
    page.fill("textarea[name=findings]", "入户核实：配偶重病，收入属实")
    page.click(f"main form[action$='/applications/{application.pk}/visit/'] [type=submit]")
    page.wait_for_load_state()
    application.refresh_from_db()
    assert application.status == Application.Status.VISITED, page.inner_text("main")
    assert "深度困难" in page.inner_text("main")  # the proposal
    page.check("input[name=category][value=deep]")
    page.click("main form[action$='/category/'] [type=submit]")
    page.wait_for_load_state()
    application.refresh_from_db()
    assert application.status == Application.Status.ON_NOTICE
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    log_out(page)

    # the notice at the unit: a colleague sees it masked, another union's member does not
    colleague = make_member("KQ-HS-001", user=UserFactory())
    stranger = make_member("KQ-QX-001", user=UserFactory())
    log_in(page, colleague.user.username, PASSWORD)
    page.goto("/assistance/notices/")
    seen = page.inner_text("main")
    assert "陈*红" in seen and "陈小红" not in seen and "深度困难" in seen
    log_out(page)
    log_in(page, stranger.user.username, PASSWORD)
    page.goto("/assistance/notices/")
    assert "陈*红" not in page.inner_text("main")
    log_out(page)

    # after the notice (the service with the day after it): township review and district approval
    svc.notice_finish(by=None, application=application, today=f.after_notice(application))
    log_in(page, "huashe_staff", settings.DEMO_PASSWORD, two_factor_secret=secrets)
    page.goto(f"/assistance/applications/{application.pk}/")
    page.check("input[name=decision][value=pass]")
    page.click("main form[action$='/review/'] [type=submit]")
    page.wait_for_load_state()
    log_out(page)
    log_in(page, "district_admin", settings.DEMO_PASSWORD, two_factor_secret=secrets)
    page.goto(f"/assistance/applications/{application.pk}/")
    page.check("input[name=decision][value=pass]")
    page.click("main form[action$='/review/'] [type=submit]")
    page.wait_for_load_state()
    log_out(page)

    # the file is opened and the worker sees "approved"
    application.refresh_from_db()
    assert application.status == Application.Status.APPROVED
    assert HardshipFile.objects.get(application=application).valid_until > today
    log_in(page, "worker", settings.DEMO_PASSWORD)
    page.goto("/assistance/my/")
    assert "已批准并建档" in page.inner_text("main")
    log_out(page)

    # and the file is included in the Spring Festival campaign, paid by bank batch, seen by the worker on the phone
    spring_festival_paid_and_seen(watched, settings, application.member, secrets=secrets)
    assert not watched.errors, watched.errors
