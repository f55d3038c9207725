"""Funds pages: scoped, role-guarded, usable end to end in the browser."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook, load_workbook

from funds.models import (
    AllocationRatioSet,
    FundsCollection,
    JournalEntry,
    LedgerAccount,
    PayrollDeclaration,
)
from funds.services import collection_reverse
from members.models import Enterprise
from union_portal.models import OrgUnit

from .conftest import YEAR

LIST_URLS = [
    "overview",
    "enterprise_list",
    "declaration_list",
    "collection_list",
    "reserve_list",
    "ratio_list",
    "account_list",
    "report_collected",
    "report_allocation",
    "dues",
    "arrears",
]


def url(name, *args):
    return reverse(f"funds:{name}", args=args)


@pytest.mark.parametrize(
    "name", [*LIST_URLS, "declaration_create", "collection_create", "import_upload", "ratio_create"]
)
def test_anonymous_users_are_sent_to_login(tree, client, name):
    response = client.get(url(name))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("name", LIST_URLS)
@pytest.mark.parametrize("username", ["district_admin", "finance", "huashe_staff", "handler", "city_admin"])
def test_funds_pages_render_for_funds_roles(tree, login, name, username, hs_firm, hs_no_union, collect, march):
    from django.contrib.auth import get_user_model

    if username == "city_admin" and name in ("dues", "arrears"):
        pytest.skip("dues are kept by the district and below; the city admin watches totals")
    collect(hs_firm, march, "200.00")
    collect(hs_no_union, march, "100.00")
    response = login(get_user_model().objects.get(username=username)).get(url(name))
    assert response.status_code == 200


@pytest.mark.parametrize("name", ["overview", "collection_list", "report_collected"])
def test_a_mutual_aid_reviewer_has_no_funds_pages(tree, login, reviewer1, name):
    assert login(reviewer1).get(url(name)).status_code == 403


def test_a_handler_cannot_record_collections_or_set_ratios(tree, login, handler):
    client = login(handler)
    assert client.get(url("collection_create")).status_code == 403
    assert client.get(url("ratio_create")).status_code == 403
    assert client.get(url("import_upload")).status_code == 403


def test_township_staff_cannot_set_ratios_or_reverse(tree, login, huashe_staff, hs_firm, collect, march):
    collection = collect(hs_firm, march, "10.00")
    client = login(huashe_staff)
    assert client.get(url("ratio_create")).status_code == 403
    assert client.post(url("collection_reverse", collection.pk), {"reason": "x"}).status_code == 403


# --- scoping -------------------------------------------------------------------------------------------


def test_township_staff_see_only_their_townships_collections(
    tree, login, huashe_staff, hs_firm, qx_firm, collect, march
):
    mine = collect(hs_firm, march, "11.00")
    theirs = collect(qx_firm, march, "22.00")
    client = login(huashe_staff)
    body = client.get(url("collection_list")).content.decode()
    assert hs_firm.name in body and qx_firm.name not in body
    assert client.get(url("collection_detail", mine.pk)).status_code == 200
    assert client.get(url("collection_detail", theirs.pk)).status_code == 404
    assert client.get(url("enterprise_detail", qx_firm.pk)).status_code == 404


def test_a_handler_sees_their_unions_enterprise_but_not_another_unions(
    tree, login, handler, handler_qixian, hs_firm, qx_firm, collect, march
):
    mine = collect(hs_firm, march, "11.00")
    other = collect(Enterprise.objects.get(union=tree["KQ-HS-002"]), march, "33.00")
    client = login(handler)
    assert client.get(url("collection_detail", mine.pk)).status_code == 200
    assert client.get(url("collection_detail", other.pk)).status_code == 404
    assert client.get(url("enterprise_detail", hs_firm.pk)).status_code == 200
    union_account = LedgerAccount.objects.get(org=tree["KQ-HS-001"], kind="funds")
    assert client.get(url("account_detail", union_account.pk)).status_code == 200
    assert login(handler_qixian).get(url("account_detail", union_account.pk)).status_code == 404
    assert login(handler_qixian).get(url("collection_detail", mine.pk)).status_code == 404


def test_a_handler_of_an_industry_union_outside_the_township_sees_their_enterprise(tree, login, collect, march):
    # KQ-IND-BLD-001's enterprise lies in 柯桥街道 but its union sits under the building-industry union
    from django.contrib.auth import get_user_model

    firm = Enterprise.objects.get(union=tree["KQ-IND-BLD-001"])
    collection = collect(firm, march, "50.00")
    user = get_user_model().objects.create(username="bld_handler")
    user.assignments.create(role="handler", node=tree["KQ-IND-BLD-001"])
    assert login(user).get(url("collection_detail", collection.pk)).status_code == 200


def test_township_staff_cannot_hand_over_another_townships_reserve(
    tree, login, qixian_staff, hs_no_union, collect, march
):
    collect(hs_no_union, march, "10.00")
    assert login(qixian_staff).post(url("reserve_hand_over", hs_no_union.pk)).status_code == 404


def test_accounts_list_shows_only_accounts_in_scope(tree, login, huashe_staff, hs_firm, qx_firm, collect, march):
    collect(hs_firm, march, "11.00")
    collect(qx_firm, march, "22.00")
    body = login(huashe_staff).get(url("account_list")).content.decode()
    assert tree["KQ-HS-001"].name in body and tree["KQ-QX-001"].name not in body


# --- the browser flows ---------------------------------------------------------------------------------


def test_staff_declare_a_payroll_in_the_browser(tree, login, huashe_staff, hs_firm):
    client = login(huashe_staff)
    response = client.post(
        url("declaration_create"), {"uscc": hs_firm.uscc, "period": f"{YEAR}-03", "total_payroll": "500000.00"}
    )
    assert response.status_code == 302
    declaration = PayrollDeclaration.objects.get()
    assert declaration.funds_due == Decimal("10000.00") and declaration.period == dt.date(YEAR, 3, 1)


@pytest.mark.parametrize(
    ("payroll", "message"),
    [("-1", "大于或等于0"), ("abc", "输入一个数字"), ("1.234", "小数不超过 2 位")],
)
def test_bad_payroll_is_a_clear_error_and_nothing_is_saved(tree, login, huashe_staff, hs_firm, payroll, message):
    response = login(huashe_staff).post(
        url("declaration_create"), {"uscc": hs_firm.uscc, "period": f"{YEAR}-03", "total_payroll": payroll}
    )
    assert response.status_code == 200 and message in response.content.decode()
    assert not PayrollDeclaration.objects.exists()


def test_a_second_declaration_for_the_month_is_refused_in_the_browser(tree, login, huashe_staff, hs_firm):
    client = login(huashe_staff)
    data = {"uscc": hs_firm.uscc, "period": f"{YEAR}-03", "total_payroll": "100.00"}
    client.post(url("declaration_create"), data)
    response = client.post(url("declaration_create"), {**data, "total_payroll": "200.00"})
    assert response.status_code == 200 and "已申报" in response.content.decode()
    assert PayrollDeclaration.objects.get().total_payroll == Decimal("100.00")


def test_an_enterprise_of_another_township_is_unknown_to_staff(tree, login, huashe_staff, qx_firm):
    response = login(huashe_staff).post(
        url("declaration_create"), {"uscc": qx_firm.uscc, "period": f"{YEAR}-03", "total_payroll": "100.00"}
    )
    assert response.status_code == 200 and not PayrollDeclaration.objects.exists()


def test_errors_show_in_english_when_switched(tree, login, huashe_staff, hs_firm):
    client = login(huashe_staff)
    with translation.override("en"):
        client.post("/i18n/setlang/", {"language": "en", "next": "/"})
        response = client.post(
            url("declaration_create"), {"uscc": "91330000XXXXXXXXXX", "period": f"{YEAR}-03", "total_payroll": "1"}
        )
    assert "No enterprise with this credit code in your area." in response.content.decode()


def test_finance_records_and_reverses_a_collection_in_the_browser(tree, login, finance, hs_firm):
    client = login(finance)
    response = client.post(
        url("collection_create"),
        {
            "uscc": hs_firm.uscc,
            "period": f"{YEAR}-03",
            "amount": "1000.00",
            "collected_on": f"{YEAR}-04-15",
            "tax_reference": "T001",
        },
    )
    collection = FundsCollection.objects.get()
    assert response.status_code == 302 and response["Location"] == url("collection_detail", collection.pk)
    page = client.get(url("collection_detail", collection.pk)).content.decode()
    assert "600.00" in page  # the grassroots share

    response = client.post(url("collection_reverse", collection.pk), {"reason": "金额有误"})
    collection.refresh_from_db()
    assert collection.status == "reversed" and JournalEntry.objects.filter(kind="reversal").count() == 1


def test_ratio_sets_not_summing_to_100_are_refused_in_the_browser(tree, login, district_admin):
    client = login(district_admin)
    data = {
        "district": tree["SX-KQ"].pk,
        "effective_from": f"{YEAR}-01-01",
        "grassroots_pct": "60",
        "district_pct": "20",
        "city_pct": "10",
        "province_pct": "5",
        "national_pct": "4",
        "residue_level": "grassroots",
    }
    response = client.post(url("ratio_create"), data)
    assert response.status_code == 200 and "100%" in response.content.decode()
    assert not AllocationRatioSet.objects.exists()
    response = client.post(url("ratio_create"), {**data, "national_pct": "5"})
    assert response.status_code == 302 and AllocationRatioSet.objects.count() == 1


def test_the_sweep_button_hands_over_reserves(tree, login, finance, hs_no_union, collect, march):
    collect(hs_no_union, march, "10.00")
    union = OrgUnit.objects.add_child(tree["KQ-HS"], {"code": "KQ-HS-091", "name": "新工会", "kind": "grassroots"})
    Enterprise.objects.filter(pk=hs_no_union.pk).update(union=union)
    response = login(finance).post(url("reserve_sweep"))
    assert response.status_code == 302
    assert hs_no_union.reserve_handovers.get().amount == Decimal("10.00")


def test_township_staff_hand_over_a_reserve_in_the_browser(tree, login, huashe_staff, hs_no_union, collect, march):
    collect(hs_no_union, march, "10.00")
    union = OrgUnit.objects.add_child(tree["KQ-HS"], {"code": "KQ-HS-092", "name": "新工会", "kind": "grassroots"})
    Enterprise.objects.filter(pk=hs_no_union.pk).update(union=union)
    client = login(huashe_staff)
    client.post(url("reserve_hand_over", hs_no_union.pk))
    client.post(url("reserve_hand_over", hs_no_union.pk))
    assert hs_no_union.reserve_handovers.count() == 1


# --- exports -------------------------------------------------------------------------------------------


def _sheet(response):
    return list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))


def _cells(response):
    return list(load_workbook(io.BytesIO(response.content)).active.iter_rows())


def test_declarations_export_money_as_numbers_the_credit_code_as_text_and_a_total(tree, login, huashe_staff, hs_firm):
    from funds.services import payroll_declare

    payroll_declare(by=huashe_staff, enterprise=hs_firm, period=dt.date(YEAR, 3, 1), total_payroll=Decimal("1234.50"))
    response = login(huashe_staff).get(reverse("funds:declaration_list"), {"format": "xlsx"})
    header, row, total = _cells(response)
    assert (row[1].value, row[1].data_type, row[1].number_format) == (hs_firm.uscc, "s", "@")
    assert (row[3].data_type, row[3].number_format) == ("d", "yyyy-mm")
    assert (row[4].value, row[4].number_format, row[5].value) == (1234.5, "#,##0.00", 24.69)
    assert total[0].value == "合计" and (total[4].value, total[5].value) == (1234.5, 24.69)


def test_collected_vs_due_exports_to_excel(tree, login, huashe_staff, hs_firm, collect):
    from funds.services import payroll_declare

    payroll_declare(by=huashe_staff, enterprise=hs_firm, period=dt.date(YEAR, 3, 1), total_payroll=Decimal("10000"))
    collect(hs_firm, dt.date(YEAR, 3, 1), "150.00")
    client = login(huashe_staff)
    rows = _sheet(
        client.get(url("report_collected"), {"period_from": f"{YEAR}-01", "period_to": f"{YEAR}-06", "format": "xlsx"})
    )
    # issue 15: money is a number with format #,##0.00 (was text "200.00"); the credit code is text; a total row
    firm_row = next(r for r in rows if r[0] == hs_firm.name)
    assert firm_row[4:] == (200, 150, -50)
    assert rows[-1][0] == "合计" and rows[-1][4:] == (200, 150, -50)
    cells = next(
        r
        for r in _cells(
            client.get(
                url("report_collected"), {"period_from": f"{YEAR}-01", "period_to": f"{YEAR}-06", "format": "xlsx"}
            )
        )
        if r[0].value == hs_firm.name
    )
    assert (cells[1].value, cells[1].data_type, cells[1].number_format) == (hs_firm.uscc, "s", "@")
    assert [(c.data_type, c.number_format) for c in cells[4:]] == [("n", "#,##0.00")] * 3
    rows = _sheet(
        client.get(
            url("report_collected"), {"period_from": f"{YEAR}-01", "period_to": f"{YEAR}-06", "format": "xlsx-township"}
        )
    )
    assert rows[1][:4] == ("华舍街道工会", 200, 150, -50)
    assert rows[-1][0] == "合计"


def test_allocation_report_sums_by_level_and_exports(
    tree, login, district_admin, hs_firm, hs_no_union, collect, finance
):
    collect(hs_firm, dt.date(YEAR, 3, 1), "100.00")
    collect(hs_no_union, dt.date(YEAR, 3, 1), "40.00")
    wrong = collect(hs_firm, dt.date(YEAR, 4, 1), "100.00")
    collection_reverse(by=finance, collection=wrong, reason="x")
    response = login(district_admin).get(
        url("report_allocation"), {"period_from": f"{YEAR}-01", "period_to": f"{YEAR}-12", "format": "xlsx"}
    )
    rows = _sheet(response)
    # issue 15: the month is a date cell shown yyyy-mm, amounts are numbers (0, never blank), a total row
    assert rows[1] == (dt.datetime.combine(dt.date(YEAR, 3, 1), dt.time()), 60, 20, 10, 5, 5, 40, 140)
    assert rows[2] == (dt.datetime.combine(dt.date(YEAR, 4, 1), dt.time()), 0, 0, 0, 0, 0, 0, 0)
    assert rows[3] == ("合计", 60, 20, 10, 5, 5, 40, 140)
    month, *amounts = _cells(response)[2]
    assert (month.data_type, month.number_format) == ("d", "yyyy-mm")
    assert {(c.data_type, c.number_format) for c in amounts} == {("n", "#,##0.00")}


# --- the import ----------------------------------------------------------------------------------------


def _xlsx(rows):
    from funds.services import IMPORT_OPTIONAL, IMPORT_REQUIRED

    wb = Workbook()
    ws = wb.active
    ws.append(IMPORT_REQUIRED + IMPORT_OPTIONAL)
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    buffer.name = "税务代收.xlsx"
    return buffer


def test_an_import_with_any_bad_row_posts_nothing_and_lists_every_problem(tree, login, finance, hs_firm, qx_firm):
    client = login(finance)
    response = client.post(
        url("import_upload"),
        {
            "file": _xlsx(
                [
                    [hs_firm.uscc, f"{YEAR}-03", "100000", "2000.00", f"{YEAR}-04-15", "", "V1"],
                    ["91330621000000000X", f"{YEAR}-03", "100000", "2000.00", f"{YEAR}-04-15", "", "V2"],
                    [qx_firm.uscc, f"{YEAR}-03", "-5", "abc", f"{YEAR}-13-01", "", "V1"],
                ]
            )
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    for problem in [
        "第3行，“统一社会信用代码”列：未知企业",
        "第4行，“工资总额”列：不能为负数。",
        "第4行，“实缴金额”列：不是有效的数字。",
        "第4行，“入库日期”列：不是有效的日期",
        "第4行，“电子税票号码”列：该电子税票号码在文件中出现两次。",
    ]:
        assert problem in body
    assert not FundsCollection.objects.exists() and not PayrollDeclaration.objects.exists()


def test_a_clean_import_is_previewed_then_posted_whole(tree, login, finance, hs_firm, qx_firm, hs_no_union):
    client = login(finance)
    response = client.post(
        url("import_upload"),
        {
            "file": _xlsx(
                [
                    [hs_firm.uscc, f"{YEAR}-03", "100000", "2000.00", f"{YEAR}-04-15", hs_firm.name, "V1"],
                    [qx_firm.uscc, f"{YEAR}/3", "50,000.00", "1000", f"{YEAR}-04-16", "", ""],
                    [hs_no_union.uscc, f"{YEAR}年3月", "10000", "200.00", f"{YEAR}-04-16", "", "V3"],
                ]
            )
        },
    )
    assert response.status_code == 302
    assert not FundsCollection.objects.exists()  # previewed only
    preview = client.get(response["Location"]).content.decode()
    assert hs_firm.name in preview

    response = client.post(response["Location"])
    assert response.status_code == 302
    assert FundsCollection.objects.count() == 3 and PayrollDeclaration.objects.count() == 3
    assert FundsCollection.objects.get(enterprise=hs_no_union).is_reserve
    # every entry balances; the grassroots share of 2,000.00 is 1,200.00
    from funds.models import JournalLine
    from funds.selectors import account_balance

    for entry in JournalEntry.objects.all():
        assert sum(line.amount for line in JournalLine.objects.filter(entry=entry)) == 0
    grassroots = LedgerAccount.objects.get(org=tree["KQ-HS-001"], kind="funds")
    assert account_balance(account=grassroots) == Decimal("1200.00")
    assert PayrollDeclaration.objects.get(enterprise=qx_firm).funds_due == Decimal("1000.00")
    # posting twice does not post twice
    client.post(url("import_confirm", FundsCollection.objects.first().batch_id))
    assert FundsCollection.objects.count() == 3


def test_an_import_previewed_by_one_user_cannot_be_posted_by_another(tree, login, finance, district_admin, hs_firm):
    client = login(finance)
    response = client.post(
        url("import_upload"), {"file": _xlsx([[hs_firm.uscc, f"{YEAR}-03", "1", "1", f"{YEAR}-04-01", "", ""]])}
    )
    batch_url = response["Location"]
    assert login(district_admin).post(batch_url).status_code == 404
    assert not FundsCollection.objects.exists()


def test_a_month_recorded_between_preview_and_post_makes_the_whole_import_fail(
    tree, login, finance, hs_firm, qx_firm, collect
):
    client = login(finance)
    response = client.post(
        url("import_upload"),
        {
            "file": _xlsx(
                [
                    [hs_firm.uscc, f"{YEAR}-03", "100", "2.00", f"{YEAR}-04-15", "", ""],
                    [qx_firm.uscc, f"{YEAR}-03", "100", "2.00", f"{YEAR}-04-15", "", ""],
                ]
            )
        },
    )
    collect(qx_firm, dt.date(YEAR, 3, 1), "2.00")
    client.post(response["Location"])
    assert FundsCollection.objects.count() == 1  # only the one recorded by hand


def test_a_file_that_is_not_excel_is_refused(tree, login, finance):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = login(finance).post(url("import_upload"), {"file": SimpleUploadedFile("a.xlsx", b"name,uscc\n")})
    assert response.status_code == 200 and not FundsCollection.objects.exists()


def test_the_import_template_has_the_expected_header_and_text_identifier_columns(tree, login, finance):
    from openpyxl import load_workbook

    from funds.services import IMPORT_OPTIONAL, IMPORT_REQUIRED
    from funds.services.tax_import import IMPORT_SPEC

    response = login(finance).get(url("import_template"))
    rows = _sheet(response)
    assert list(rows[0]) == [c.name for c in IMPORT_SPEC.columns]
    assert set(rows[0]) == set(IMPORT_REQUIRED + IMPORT_OPTIONAL)
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    for index, name in enumerate(rows[0], start=1):
        if name in ("统一社会信用代码", "电子税票号码"):
            assert sheet.cell(row=2, column=index).number_format == "@"


def test_township_staff_and_handlers_read_the_ratios_their_district_keeps(
    tree, login, district_admin, huashe_staff, handler
):
    from funds.services import ratio_set_create

    ratio_set_create(
        by=district_admin,
        district=tree["SX-KQ"],
        effective_from=dt.date(YEAR, 1, 1),
        grassroots_pct=Decimal("62.50"),
        district_pct=Decimal("17.50"),
        city_pct=Decimal("10"),
        province_pct=Decimal("5"),
        national_pct=Decimal("5"),
    )
    for user in (huashe_staff, handler):
        assert "62.50" in login(user).get(url("ratio_list")).content.decode()
