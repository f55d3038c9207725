"""A worker's unpaid-wage case from the phone to closure with a satisfaction answer (issue 20): the worker files
it on a 375 px phone with a document, the township's rights officer accepts it, records a mediation and closes it
with the money recovered, the worker rates it on the phone and the officer sees the rating."""

import pytest

from tests.e2e.conftest import log_in
from tests.e2e.test_flows import PageErrors, small_pdf, watched  # noqa: F401  (the fixture)

PHONE = {"width": 375, "height": 812}
NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"


@pytest.mark.django_db(transaction=True)
def test_a_workers_unpaid_wage_case_goes_from_the_phone_to_closure_and_a_rating(
    tree,
    watched,  # noqa: F811
    settings,
    tmp_path,
    shot,
):
    # given
    from labour.models import RightsCase
    from members.models import Enterprise
    from tests.factories.lb_cases import make_officer

    officer = make_officer("rights_huashe", tree["KQ-HS"])
    officer.set_password(settings.DEMO_PASSWORD)
    officer.save()
    employer = Enterprise.objects.get(union=tree["KQ-HS-001"])
    document = tmp_path / "工资条.pdf"
    document.write_bytes(small_pdf("pay slip"))
    phone = watched.open(viewport=PHONE)
    log_in(phone, "worker", settings.DEMO_PASSWORD)

    # when: the worker files the request on the phone
    phone.goto("/labour/cases/mine/")
    phone.click("main a[href$='/labour/cases/mine/new/']")
    phone.select_option("select[name=case_type]", value="unpaid_wages")
    phone.select_option("select[name=enterprise]", value=str(employer.pk))
    phone.fill("textarea[name=facts]", "三个月没有发工资，老板说年底再说。")
    phone.fill("textarea[name=requests]", "补发三个月工资")
    phone.select_option("select[name=contact_preference]", value="sms")
    phone.set_input_files("input[name=documents]", str(document))
    assert phone.is_checked("input[name=confidential]")
    assert phone.evaluate(NO_SIDEWAYS_SCROLL)
    shot(phone, "worker-form")
    phone.click("main form [type=submit]")
    phone.wait_for_load_state()
    case = RightsCase.objects.get()
    assert case.number in phone.inner_text("main")
    assert "待受理" in phone.inner_text("main")
    shot(phone, "worker-case-new")

    # when: the rights officer accepts, mediates and closes it
    desk = watched.open()
    log_in(desk, "rights_huashe", settings.DEMO_PASSWORD)
    desk.goto("/labour/cases/")
    desk.click(f"text={case.number}")
    desk.click("main form[action$='/accept/'] button[type=submit]")
    desk.wait_for_load_state()
    desk.select_option("form[action$='/step/'] select[name=kind]", value="mediation")
    desk.fill("form[action$='/step/'] textarea[name=notes]", "约谈企业负责人，达成分期支付协议。")
    desk.click("form[action$='/step/'] button[type=submit]")
    desk.wait_for_load_state()
    desk.click("summary:has-text('办结案件')")
    desk.select_option("form[action$='/close/'] select[name=outcome]", value="resolved")
    desk.fill("form[action$='/close/'] input[name=money_recovered]", "15600")
    desk.click("form[action$='/close/'] button[type=submit]")
    desk.wait_for_load_state()
    shot(desk, "officer-closed")

    # then: the worker sees the history on the phone and rates the case
    phone.goto(f"/labour/cases/mine/{case.pk}/")
    text = phone.inner_text("main")
    assert "已办结" in text and "与用人单位调解" in text and "15600" in text
    phone.check("input[name=rating][value='5']")
    phone.fill("textarea[name=comment]", "很及时，谢谢工会")
    phone.click("main form[action$='/rate/'] button[type=submit]")
    phone.wait_for_load_state()
    assert "5 / 5" in phone.inner_text(".case-satisfaction")
    assert phone.evaluate(NO_SIDEWAYS_SCROLL)
    shot(phone, "worker-rated")
    desk.reload()
    assert "5 / 5" in desk.inner_text(".case-satisfaction")
    case.refresh_from_db()
    assert case.status == "closed" and case.satisfaction == 5 and str(case.money_recovered) == "15600.00"
    assert not watched.errors, watched.errors
