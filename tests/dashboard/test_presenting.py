"""How dashboard figures read (issue 16): money in 万元 with the unit and the exact yuan beside it, chart values
rounded, the parts of a rate in words, and when the figures were computed with the changes since."""

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import timezone, translation

from dashboard import presenting
from dashboard.figures import refresh_figures
from dashboard.registry import ENTERPRISE_PARTS, Kind, Metric
from union_portal import money
from union_portal.audit import audit_record

HOME = "/dashboard/"


def _metric(kind, **options) -> Metric:
    return Metric(key="test.figure", label="figure", kind=kind, provider=lambda ctx: [], **options)


def _snapshot(numerator, denominator):
    return SimpleNamespace(
        numerator=Decimal(numerator), denominator=None if denominator is None else Decimal(denominator)
    )


# --- money in 万元 (union_portal.money, the one place amounts are rounded) ------------------------------------


@pytest.mark.parametrize(
    ("yuan", "wan"),
    [
        ("1234567.89", "123.46"),
        ("1234550.00", "123.46"),  # half up at 0.005 万元
        ("1234549.99", "123.45"),
        ("507.55", "0.05"),
        ("0", "0.00"),
        ("12345678901.23", "1234567.89"),
    ],
)
def test_an_amount_in_wan_is_rounded_half_up_to_a_hundredth(yuan, wan):
    # when an amount in yuan is shown in 万元
    # then it is rounded half up to 0.01 万元
    assert money.to_wan(Decimal(yuan)) == Decimal(wan)


def test_an_amount_reads_with_its_unit_in_chinese_and_english():
    # given an amount of 1,234,567.89 yuan
    amount = Decimal("1234567.89")
    # when shown in either language
    with translation.override("zh-hans"):
        chinese = (money.wan_text(amount), money.yuan_text(amount))
    with translation.override("en"):
        english = (money.wan_text(amount), money.yuan_text(amount))
    # then it carries its unit, with thousands grouped
    assert chinese == ("123.46 万元", "1,234,567.89 元")
    assert english == ("123.46 ten thousand yuan", "1,234,567.89 yuan")


# --- figure text and chart values -------------------------------------------------------------------------


def test_a_money_figure_reads_in_wan_with_the_exact_yuan_beside_it():
    # given a money figure
    metric = _metric(Kind.MONEY, unit="yuan")
    # when shown
    with translation.override("zh-hans"):
        text = presenting.figure_text(metric, Decimal("1234567.8912"))
        exact = presenting.figure_exact(metric, Decimal("1234567.8912"))
        unit = presenting.chart_unit(metric)
    # then the card says 万元 and the tooltip the exact yuan; the chart's axis is in 万元
    assert (text, exact, unit) == ("123.46 万元", "1,234,567.89 元", "万元")


def test_counts_rates_and_averages_read_as_before_and_round_half_up():
    # given figures of each other kind
    count, rate, mean = _metric(Kind.COUNT), _metric(Kind.PERCENT), _metric(Kind.AVERAGE)
    # then counts are whole and grouped, rates to 0.01%, averages to 0.1, half up; no exact amount for them
    assert presenting.figure_text(count, Decimal("12345")) == "12,345"
    assert presenting.figure_text(rate, Decimal("66.6650")) == "66.67%"
    assert presenting.figure_text(mean, Decimal("86.45")) == "86.5"
    assert presenting.figure_text(rate, None) == "—"
    assert presenting.figure_exact(count, Decimal("12345")) == ""


@pytest.mark.parametrize(
    ("kind", "value", "bar"),
    [
        (Kind.MONEY, "12345678.901234", 1234.57),
        (Kind.PERCENT, "12.345678", 12.3),
        (Kind.AVERAGE, "12345.678901", 12345.7),
        (Kind.COUNT, "12", 12.0),
    ],
)
def test_a_chart_value_is_rounded_before_it_reaches_the_chart(kind, value, bar):
    # when a figure becomes a bar of the chart
    shown = presenting.chart_value(_metric(kind), Decimal(value))
    # then it is rounded (no 12345.678901 on a bar), money in 万元
    assert shown == bar


def test_the_parts_of_a_rate_read_as_words_only_where_the_figure_has_a_wording():
    # given the establishment rate (enterprises) and a share without a wording
    with_parts = _metric(Kind.PERCENT, parts=ENTERPRISE_PARTS)
    without = _metric(Kind.PERCENT)
    snapshot = _snapshot("32.0000", "40.0000")
    # when shown in Chinese
    with translation.override("zh-hans"):
        words = presenting.parts_text(with_parts, snapshot)
    # then the parts are words ("32 家 / 40 家"), never a raw "32/40", and nothing where there is no wording
    assert words == "32 家 / 40 家"
    assert presenting.parts_text(without, snapshot) == ""
    assert presenting.parts_text(with_parts, None) == ""
    assert presenting.parts_text(with_parts, _snapshot("5", None)) == ""


# --- the page --------------------------------------------------------------------------------------------


@pytest.fixture
def figures(roll):
    refresh_figures()
    return roll


def test_the_dashboard_shows_money_in_wan_and_when_it_was_computed_with_the_changes_since(
    figures, login, district_admin
):
    # given figures computed, then two changes recorded (and a log-in, which changes nothing)
    client = login(district_admin)
    audit_record(actor=district_admin, action="member.update", object_type="members.member", object_id="1")
    audit_record(actor=district_admin, action="org.update", object_type="union_portal.orgunit", object_id="2")
    audit_record(actor=district_admin, action="auth.login")
    # when the district admin opens the dashboard in Chinese
    body = client.get(HOME).content.decode()
    # then money figures are in 万元, no raw numerator/denominator is shown, and the header says when the
    # figures were computed and how many changes came after
    from dashboard.models import FigureRun

    finished = timezone.localtime(FigureRun.objects.get().finished_at)
    assert "万元" in body
    assert f"数据计算于 {finished:%Y-%m-%d %H:%M}" in body
    assert "此后有 2 项变更" in body
    assert " 家 / " in body  # the establishment rate's parts in words


def test_the_dashboard_says_no_changes_since_in_english(figures, login, district_admin, settings):
    # given figures just computed
    client = login(district_admin)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    # when the page is read in English
    body = client.get(HOME).content.decode()
    # then the header says so in English, and money is in ten thousand yuan
    assert "Figures computed at" in body and "no changes since" in body
    assert "ten thousand yuan" in body


def test_changes_before_the_computation_are_not_counted(roll, login, district_admin):
    # given a change, then the figures computed
    audit_record(actor=district_admin, action="member.update", object_type="members.member", object_id="1")
    refresh_figures()
    # when the refresh log is read
    from dashboard.selectors import refresh_log

    computed_at, periods, changes = refresh_log()
    # then the change is already in the figures
    assert computed_at is not None and periods == [str(timezone.localdate().year)] and changes == 0
    assert computed_at <= timezone.now() + dt.timedelta(seconds=1)
