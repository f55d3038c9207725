"""Browser flow: an enterprise from self-assessment to naming as a harmonious labour-relations enterprise. The
grassroots handler fills in the self-assessment on a phone with evidence and submits it; the township staff and
the district admin review it; the district admin puts it on public notice (anyone can read it) and names it after
the notice. Screenshots go to test-artifacts/e2e/<test>/."""

import datetime as dt

import pytest

from labour.models import RatingApplication, RatingStatus
from members.models import Enterprise
from tests.e2e.conftest import log_in
from tests.e2e.test_flows import PHONE, expect_message, small_pdf
from tests.factories.lb_ratings import make_batch, make_congress, make_contract


@pytest.mark.django_db(transaction=True)
def test_an_enterprise_goes_from_self_assessment_to_naming(
    tree, district_admin, handler, new_page, shot, settings, today, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    # given a batch, and the contract and congress of the handler's enterprise on record
    batch = make_batch(by=district_admin, today=today)
    firm = Enterprise.objects.get(union=tree["KQ-HS-001"])
    make_contract(
        enterprise=firm, by=handler, starts_on=batch.period_start, ends_on=batch.period_end + dt.timedelta(days=500)
    )
    make_congress(enterprise=firm, by=handler, held_on=batch.period_start + dt.timedelta(days=20))
    secrets: dict = {}

    # the handler starts the self-assessment on a phone
    phone = new_page(viewport=PHONE)
    log_in(phone, "handler", settings.DEMO_PASSWORD, two_factor_secret=secrets)
    phone.goto(batch.get_absolute_url())
    phone.select_option("select[name=enterprise]", label=firm.name)
    phone.click(f"main form[action$='/ratings/{batch.pk}/apply/'] [type=submit]")
    expect_message(phone, "自评已开始")
    application = RatingApplication.objects.get(batch=batch, enterprise=firm)
    # figures
    phone.click("main a:has-text('修改自评数据')")
    phone.fill("input[name=contract_rate]", "100")
    phone.fill("input[name=insurance_rate]", "98")
    phone.check("input[name=wages_on_time]")
    phone.check("input[name=safety_ok]")
    phone.fill("textarea[name=statement]", "劳动合同签订率100%，工资按月足额发放。")
    phone.click("main form [type=submit]")
    expect_message(phone, "自评已保存")
    # evidence
    phone.fill("input[name=description]", "社保缴费清单")
    phone.set_input_files(
        "input[name=file]", files=[{"name": "si.pdf", "mimeType": "application/pdf", "buffer": small_pdf("SI")}]
    )
    phone.click("main form[action$='/evidence/'] [type=submit]")
    expect_message(phone, "佐证材料已上传")
    shot(phone, "handler-self-assessment-phone")
    phone.click("main form[action$='/submit/'] [type=submit]")
    expect_message(phone, "自评已提交")
    application.refresh_from_db()
    assert application.status == RatingStatus.TOWNSHIP_REVIEW and application.score == 100

    # the township staff pass it
    township = new_page()
    log_in(township, "huashe_staff", settings.DEMO_PASSWORD, two_factor_secret=secrets)
    township.goto(application.get_absolute_url())
    township.check("main form[action$='/review/'] input[name=decision][value=pass]")
    township.click("main form[action$='/review/'] [type=submit]")
    expect_message(township, "审核意见已记录")
    shot(township, "township-passed")

    # the district admin passes it and puts it on public notice
    district = new_page()
    log_in(district, "district_admin", settings.DEMO_PASSWORD, two_factor_secret=secrets)
    district.goto(application.get_absolute_url())
    district.check("main form[action$='/review/'] input[name=decision][value=pass]")
    district.click("main form[action$='/review/'] [type=submit]")
    expect_message(district, "审核意见已记录")
    district.fill("main form[action$='/notice/'] input[name=starts_on]", today.isoformat())
    district.click("main form[action$='/notice/'] [type=submit]")
    expect_message(district, "企业已进入公示")
    application.refresh_from_db()
    assert application.status == RatingStatus.NOTICE

    # anyone reads the notice
    visitor = new_page(viewport=PHONE)
    visitor.goto("/labour/ratings/public/")
    visitor.click(f"main a:has-text('{firm.name}')")
    assert "公示期" in visitor.inner_text("main")
    shot(visitor, "public-notice-phone")

    # naming during the notice is refused; after its last day it is named for three years
    last_day = application.notice.last_day
    district.fill("main form[action$='/name/'] input[name=named_on]", last_day.isoformat())
    district.click("main form[action$='/name/'] [type=submit]")
    district.wait_for_selector("main .alert-danger, main .invalid-feedback, main .alert")
    assert "公示期满后命名" in district.inner_text("main")
    district.goto(application.get_absolute_url())
    named_on = last_day + dt.timedelta(days=1)
    district.fill("main form[action$='/name/'] input[name=named_on]", named_on.isoformat())
    district.click("main form[action$='/name/'] [type=submit]")
    expect_message(district, "企业已命名")
    shot(district, "named")
    application.refresh_from_db()
    assert application.status == RatingStatus.NAMED
    assert application.term_ends_on == dt.date(named_on.year + 3, named_on.month, named_on.day) - dt.timedelta(days=1)
    assert "已命名" in district.inner_text("main")
