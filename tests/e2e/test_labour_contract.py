"""Browser test (issue 20, "done"): a wage contract from the bargaining request to the filing, through the real
pages on a phone (Chinese UI): the grassroots handler records the union's request, the employer's reply, a
session with minutes, the agreed draft, the workers' congress vote, the signing and the filing; the contract
shows 已备案. Screenshots go to test-artifacts/e2e/<test>/."""

import datetime as dt

import pytest
from dateutil.relativedelta import relativedelta

from labour.models import BargainingRound, CollectiveContract
from members.models import Enterprise
from tests.e2e.conftest import log_in
from tests.e2e.test_flows import PageErrors, expect_message

PHONE = {"width": 375, "height": 812}


def _submit(page, action: str, fields: dict[str, str]) -> None:
    form = page.locator(f"main form[action$='/{action}/']")
    for name, value in fields.items():
        form.locator(f"[name={name}]").fill(value)
    form.locator("[type=submit]").click()
    page.wait_for_load_state()


@pytest.mark.django_db(transaction=True)
def test_a_wage_contract_from_bargaining_request_to_filing_on_a_phone(tree, new_page, shot, settings, today):
    # given: the handler of 浙江华舍纺织印染有限公司's union, on a phone
    watched = PageErrors(new_page)
    firm = Enterprise.objects.get(union=tree["KQ-HS-001"])
    page = watched.open(viewport=PHONE)
    log_in(page, "handler", settings.DEMO_PASSWORD)
    day = lambda n: (today - dt.timedelta(days=n)).isoformat()  # noqa: E731 - dates relative to the test day

    # when: the union's request to bargain
    page.goto("/labour/bargaining/new/")
    page.select_option("select[name=enterprise]", str(firm.pk))
    page.select_option("select[name=requested_by]", "union")
    page.fill("input[name=received_on]", day(30))
    page.fill("input[name=subject]", "年度工资集体协商")
    shot(page, "request")
    page.click("main form [type=submit]")
    expect_message(page, "要约已登记")
    round_ = BargainingRound.objects.get()
    assert page.url.endswith(round_.get_absolute_url())
    # the employer's reply, a session with minutes, the agreed draft
    _submit(page, "reply", {"replied_on": day(25)})
    expect_message(page, "协商开始")
    _submit(page, "session", {"held_on": day(20), "minutes": "双方就工资增长幅度达成一致意见。"})
    expect_message(page, "协商会议已登记")
    starts = today + dt.timedelta(days=1)
    _submit(
        page,
        "draft",
        {
            "title": "年度工资专项集体合同",
            "starts_on": starts.isoformat(),
            "ends_on": (starts + relativedelta(years=1) - dt.timedelta(days=1)).isoformat(),
            "wage_growth_pct": "6",
            "minimum_wage": "2700",
        },
    )
    expect_message(page, "草案已登记")
    shot(page, "round-drafted")
    page.click("main a:has-text('年度工资专项集体合同')")
    page.wait_for_load_state()
    # the workers' congress vote, the signing, the filing
    _submit(page, "vote", {"delegates": "60", "present": "48", "in_favour": "41", "voted_on": day(5)})
    expect_message(page, "表决结果已登记")
    _submit(page, "sign", {"signed_on": day(4)})
    expect_message(page, "签订已登记")
    shot(page, "signed")
    _submit(page, "file", {"filed_on": day(0)})
    expect_message(page, "备案已登记")
    shot(page, "filed")

    # then
    contract = CollectiveContract.objects.get()
    assert contract.status == CollectiveContract.Status.FILED
    assert contract.filed_on == today and contract.signed_on == today - dt.timedelta(days=4)
    assert "已备案" in page.inner_text("main h1")
    round_.refresh_from_db()
    assert round_.status == BargainingRound.Status.SIGNED
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert watched.errors == []
