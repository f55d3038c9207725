"""Member dues: 0.5% of the wage floored to whole 10 yuan; retired members pay nothing; arrears are flagged,
never ending a membership."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from funds.models import DuesPayment
from funds.selectors import arrears_list, arrears_window
from funds.services import dues_for_wage, dues_record, member_dues_due
from members.models import Member

from .conftest import YEAR


@pytest.mark.parametrize(
    ("wage", "dues"),
    [
        ("4567.89", "22.80"),  # 4,560 counted
        ("4569.99", "22.80"),
        ("4570.00", "22.85"),
        ("9.99", "0.00"),  # under 10 yuan: nothing counted
        ("10.00", "0.05"),
        ("0", "0.00"),
        ("100000.00", "500.00"),
    ],
)
def test_dues_are_half_a_percent_of_the_wage_counted_in_whole_ten_yuan(wage, dues):
    assert dues_for_wage(Decimal(wage)) == Decimal(dues)


@given(st.decimals(min_value=Decimal("0"), max_value=Decimal("9999999.99"), places=2))
def test_dues_never_count_the_part_under_ten_yuan(wage):
    dues = dues_for_wage(wage)
    assert dues == dues_for_wage((wage // 10) * 10)
    assert dues * 200 <= wage  # 0.5% of at most the wage
    assert dues == dues.quantize(Decimal("0.01"))


def test_retired_members_owe_nothing(tree, make_member):
    assert member_dues_due(make_member("KQ-HS-001", monthly_wage="6000", status="retired")) == Decimal("0.00")
    assert member_dues_due(make_member("KQ-HS-001", monthly_wage=None)) is None


def test_handler_records_dues_once_per_month(tree, handler, make_member):
    member = make_member("KQ-HS-001", monthly_wage="5000")
    dues_record(by=handler, members=[member], period=dt.date(YEAR, 3, 9))
    dues_record(by=handler, members=[member], period=dt.date(YEAR, 3, 1))
    payment = DuesPayment.objects.get()
    assert payment.amount == Decimal("25.00") and payment.period == dt.date(YEAR, 3, 1)


def test_retired_members_cannot_be_charged(tree, handler, make_member):
    with pytest.raises(ValidationError):
        dues_record(
            by=handler,
            members=[make_member("KQ-HS-001", monthly_wage="5000", status="retired")],
            period=dt.date(YEAR, 3, 1),
        )
    assert not DuesPayment.objects.exists()


def test_another_unions_handler_cannot_record(tree, handler_qixian, make_member):
    with pytest.raises(PermissionDenied):
        dues_record(
            by=handler_qixian, members=[make_member("KQ-HS-001", monthly_wage="5000")], period=dt.date(YEAR, 3, 1)
        )


def test_arrears_count_unpaid_months_and_leave_membership_alone(tree, handler, make_member):
    as_of = dt.date(YEAR, 7, 15)
    window = arrears_window(as_of=as_of, months=6)
    assert window[0] == dt.date(YEAR, 1, 1) and window[-1] == dt.date(YEAR, 6, 1)
    paid_up = make_member("KQ-HS-001", monthly_wage="5000")
    owes_two = make_member("KQ-HS-001", monthly_wage="5000")
    never_paid = make_member("KQ-HS-001", monthly_wage="5000")
    new_in_may = make_member("KQ-HS-001", monthly_wage="5000", joined_on=dt.date(YEAR, 5, 20))
    make_member("KQ-HS-001", monthly_wage="5000", status="retired")
    for month in window:
        dues_record(by=handler, members=[paid_up], period=month)
    for month in window[:4]:
        dues_record(by=handler, members=[owes_two], period=month)

    rows = {m.pk: m.unpaid_months for m in arrears_list(user=handler, as_of=as_of, months=6)}

    assert rows == {never_paid.pk: 6, owes_two.pk: 2, new_in_may.pk: 2}
    assert set(Member.objects.values_list("status", flat=True)) == {"active", "retired"}


def test_arrears_are_scoped(tree, handler, handler_qixian, make_member):
    make_member("KQ-HS-001", monthly_wage="5000")
    assert arrears_list(user=handler_qixian, as_of=dt.date(YEAR, 7, 1), months=6).count() == 0
    assert arrears_list(user=handler, as_of=dt.date(YEAR, 7, 1), months=6).count() == 1


def test_handler_ticks_members_who_paid_in_the_browser(tree, login, handler, make_member):
    member = make_member("KQ-HS-001", monthly_wage="4567.89")
    retired = make_member("KQ-HS-001", monthly_wage="4567.89", status="retired")
    client = login(handler)
    page = client.get(reverse("funds:dues"), {"period": f"{YEAR}-03"}).content.decode()
    assert "22.80" in page and "免缴" in page
    response = client.post(
        reverse("funds:dues"),
        {"org": tree["KQ-HS-001"].pk, "period": f"{YEAR}-03", "member": [member.pk, retired.pk]},
    )
    assert response.status_code == 302
    # the retired member is not in the list of payable members, so only the active one is recorded
    assert list(DuesPayment.objects.values_list("member_id", "amount")) == [(member.pk, Decimal("22.80"))]


def test_a_handler_cannot_open_another_unions_dues(tree, login, handler):
    response = login(handler).get(reverse("funds:dues"), {"org": tree["KQ-QX-001"].pk})
    assert response.status_code == 404


def test_arrears_export_to_excel(tree, login, handler, make_member):
    import io

    from openpyxl import load_workbook

    make_member("KQ-HS-001", monthly_wage="5000")
    response = login(handler).get(reverse("funds:arrears"), {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    # issue 15: money is a number with format #,##0.00 (was text "25.00"), the member number is text; the
    # total row sums the amount unpaid only (a sum of monthly dues or of months would mean nothing)
    assert rows[1][3:] == (25, 6, 150)
    assert rows[-1] == ("合计", None, None, None, None, 150)
    number, _name, _union, dues, months, unpaid = next(sheet.iter_rows(min_row=2, max_row=2))
    assert (number.data_type, number.number_format) == ("s", "@")
    assert (dues.number_format, months.number_format, unpaid.number_format) == ("#,##0.00", "0", "#,##0.00")
