"""Bank file layouts as data: the shipped layouts, the file builder (encodings, amount rules, summary line,
formula escaping, accounts as text), the checks on a layout, finance's pages (list, edit with the columns as
rows, preview, verify, bank settings) and their audit rows."""

import csv
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from openpyxl import load_workbook

from tests.factories.core import (
    BankLayoutFactory,
    PaymentBatchFactory,
    PaymentSettingFactory,
    ancestor_of_kind,
)
from tests.factories.members import MemberFactory
from union_portal.models import AuditLog, OrgUnit
from union_portal.payments import bankfile, services
from union_portal.payments.bankfile import Column, LayoutSpec, SamplePayment
from union_portal.payments.layouts import read_return_file
from union_portal.payments.models import BankLayout
from union_portal.payments.selectors import default_layout_for
from union_portal.payments.shipped import ABC, GENERIC_NAME, ICBC, RUIFENG


def _spec(**kwargs) -> LayoutSpec:
    columns = kwargs.pop(
        "columns",
        (
            Column("seq", "序号"),
            Column("account", "账号"),
            Column("payee_name", "户名"),
            Column("amount", "金额", amount_rule=kwargs.pop("rule", bankfile.YUAN)),
            Column("purpose", "用途"),
        ),
    )
    return LayoutSpec(name="测试", columns=tuple(columns), **{"file_format": "csv", "encoding": "gbk", **kwargs})


def _pay(name="张三", amount="1234.50", account="6222020000000000001", purpose="职工医疗互助金"):
    return SamplePayment(Decimal(amount), name, account, "工商银行", purpose=purpose, reference="MA01-0000001")


# --- the shipped layouts --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_shipped_layouts_are_valid_and_the_banks_are_unverified():
    names = [GENERIC_NAME, ICBC["name"], ABC["name"], RUIFENG["name"]]
    layouts = {layout.name: layout for layout in BankLayout.objects.filter(name__in=names)}
    assert set(layouts) == set(names)
    for layout in layouts.values():
        layout.check_shape()  # what the data migration wrote passes the checks of a save
        assert not layout.is_verified
    assert layouts[GENERIC_NAME].is_generic
    assert {layouts[n].bank for n in names[1:]} == {"中国工商银行", "中国农业银行", "浙江绍兴瑞丰农村商业银行"}


# --- the file builder -------------------------------------------------------------------------------------------


def test_a_name_gbk_cannot_carry_is_refused_with_its_row_and_gb18030_carries_it():
    payments = [_pay("张三"), _pay("𠮷 小红")]
    errors = bankfile.check_payments(_spec(), payments)
    assert [(e.row, e.column) for e in errors] == [(2, "户名")]
    assert "𠮷 小红" in errors[0].message and "GBK" in errors[0].message
    assert bankfile.check_payments(_spec(encoding="gb18030"), payments) == []
    assert "𠮷 小红" in bankfile.csv_bytes(_spec(encoding="gb18030"), payments).decode("gb18030")


def test_an_account_that_is_not_digits_and_a_name_too_long_are_refused():
    errors = bankfile.check_payments(_spec(), [_pay(account="６２２２０２００００"), _pay(name="张" * 51)])
    assert [(e.row, e.column) for e in errors] == [(1, "账号"), (2, "户名")]


@pytest.mark.parametrize(
    ("rule", "text"), [(bankfile.YUAN, "1234.50"), (bankfile.YUAN_THOUSANDS, '"1,234.50"'), (bankfile.FEN, "123450")]
)
def test_amounts_are_written_exactly_by_the_layouts_rule(rule, text):
    content = bankfile.csv_bytes(_spec(rule=rule), [_pay(amount="1234.50")]).decode("gbk")
    assert f",{text}," in content
    assert bankfile.parse_amount(text.strip('"'), rule) == Decimal("1234.50")


def test_a_summary_line_carries_the_count_and_the_control_total():
    payments = [_pay(amount="0.10"), _pay(amount="0.20"), _pay(amount="1000000.01")]
    last = list(csv.reader(io.StringIO(bankfile.csv_bytes(_spec(summary="last"), payments).decode("gbk"))))
    assert last[-1] == ["合计", "总笔数", "3", "总金额", "1000000.31"]
    first = list(
        csv.reader(io.StringIO(bankfile.csv_bytes(_spec(summary="first", rule="fen"), payments).decode("gbk")))
    )
    assert first[0] == ["合计", "总笔数", "3", "总金额", "100000031"] and first[1][0] == "序号"


def test_text_a_spreadsheet_would_evaluate_is_escaped_and_accounts_stay_text():
    spec = _spec(file_format="xlsx")
    payment = _pay(purpose="=HYPERLINK(1)")
    assert "'=HYPERLINK(1)" in bankfile.csv_bytes(spec, [payment]).decode("gbk")
    sheet = load_workbook(io.BytesIO(bankfile.xlsx_bytes(spec, [payment]))).worksheets[0]
    account, purpose, amount = sheet.cell(2, 2), sheet.cell(2, 5), sheet.cell(2, 4)
    assert account.data_type == "s" and account.value == "6222020000000000001" and account.number_format == "@"
    assert purpose.data_type == "s" and purpose.value == "=HYPERLINK(1)"
    assert amount.value == 1234.5 and amount.number_format == "0.00"


def test_the_return_file_of_a_layout_without_a_row_number_matches_by_account_and_amount():
    spec = _spec(
        columns=(Column("account", "账号"), Column("payee_name", "户名"), Column("amount", "金额", amount_rule="fen"))
    )
    payments = [_pay(amount="10.00"), _pay(amount="20.00")]
    data = "账号,户名,金额,处理结果,流水号\n6222020000000000001,张三,2000,交易成功,B2\n6222020000000000001,张三,1000,交易失败,\n"
    lines, errors = read_return_file(data.encode("gbk"), payments=payments, layout=spec)
    assert errors == []
    assert [(line.payment.amount, line.paid, line.bank_reference) for line in lines] == [
        (Decimal("20.00"), True, "B2"),
        (Decimal("10.00"), False, ""),
    ]
    wrong = "账号,户名,金额,处理结果,流水号\n6222020000000000001,李四,1000,交易成功,B1\n"
    lines, errors = read_return_file(wrong.encode("gbk"), payments=payments, layout=spec)
    assert [(e.row, e.column) for e in errors] == [(2, "户名")]


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"columns": (Column("account", "账号"), Column("payee_name", "户名"))}, "金额"),
        ({"columns": (Column("account", "账号"), Column("payee_name", "账号"), Column("amount", "金额"))}, "账号"),
        ({"summary": "first", "file_format": "xlsx"}, "CSV"),
        ({"purpose_template": "{member_id}"}, "{purpose}"),
        ({"columns": (Column("account", "账号"), Column("payee_name", "户名"), Column("amount", "金額𠮷"))}, "GBK"),
    ],
)
def test_a_layout_the_builder_could_not_use_is_refused(change, problem):
    problems = bankfile.layout_problems(_spec(**change))
    assert problems and any(problem in p for p in problems)


# --- services ---------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_changing_what_the_bank_receives_makes_a_verified_layout_unverified_again():
    layout = BankLayoutFactory()
    finance = layout.updated_by
    services.layout_mark_verified(by=finance, layout=layout, note="PB00001 已被银行受理")
    layout.refresh_from_db()
    assert layout.is_verified and layout.verified_by == finance
    # a change of the source note keeps the verification, a change of the columns does not
    layout = services.layout_save(by=finance, layout=layout, data={"source_note": "向银行索取的模板"})
    assert layout.is_verified
    columns = [*layout.columns, {"source": "fixed", "header": "币种", "text": "人民币"}]
    layout = services.layout_save(by=finance, layout=layout, data={"columns": columns})
    assert not layout.is_verified
    row = AuditLog.objects.filter(action="payments.layout_update", object_id=str(layout.pk)).latest("id")
    assert row.detail["changed"] == ["columns"] and row.detail["unverified"] is True
    assert row.detail["columns_after"][-1]["header"] == "币种"
    with pytest.raises(ValidationError):
        services.layout_save(by=finance, layout=layout, data={"columns": [{"source": "amount", "header": "金额"}]})


@pytest.mark.django_db
def test_a_batch_takes_the_nearest_default_layout_up_the_tree():
    # given a district whose bank settings name a layout
    member = MemberFactory()
    district = ancestor_of_kind(member.org, OrgUnit.Kind.DISTRICT)
    setting = PaymentSettingFactory(org=district)
    # then a batch of the district takes it, and the unions below inherit it unless they have their own
    assert PaymentBatchFactory(payer=member).layout == setting.default_layout
    assert default_layout_for(org=member.org) == setting.default_layout
    own = PaymentSettingFactory(org=member.org)
    assert default_layout_for(org=member.org) == own.default_layout


# --- pages ------------------------------------------------------------------------------------------------------


def test_finance_edits_a_layout_with_its_columns_as_rows_and_previews_it(login, finance):
    client = login(finance)
    assert client.get("/payments/layouts/").status_code == 200
    form = {
        "name": "测试银行代发",
        "bank": "测试银行",
        "file_format": "csv",
        "encoding": "gbk",
        "header_row": "on",
        "summary": "last",
        "purpose_template": "{purpose}",
        "is_active": "on",
        "columns-TOTAL_FORMS": "4",
        "columns-INITIAL_FORMS": "0",
        "columns-0-source": "amount",
        "columns-0-header": "金额",
        "columns-0-amount_rule": "fen",
        "columns-0-ORDER": "3",
        "columns-1-source": "account",
        "columns-1-header": "账号",
        "columns-1-ORDER": "1",
        "columns-2-source": "payee_name",
        "columns-2-header": "户名",
        "columns-2-ORDER": "2",
        "columns-3-source": "purpose",
        "columns-3-header": "备注",
        "columns-3-DELETE": "on",
    }
    preview = client.post("/payments/layouts/new/", {**form, "preview": "1"})
    assert preview.status_code == 200 and not BankLayout.objects.filter(name="测试银行代发").exists()
    assert "layout-preview" in preview.content.decode()
    response = client.post("/payments/layouts/new/", {**form, "save": "1"})
    layout = BankLayout.objects.get(name="测试银行代发")
    assert response["Location"] == f"/payments/layouts/{layout.pk}/"
    assert [c["header"] for c in layout.columns] == ["账号", "户名", "金额"]
    assert layout.columns[2]["amount_rule"] == "fen" and not layout.is_verified
    assert AuditLog.objects.filter(action="payments.layout_create", object_id=str(layout.pk)).exists()
    page = client.get(f"/payments/layouts/{layout.pk}/").content.decode()
    assert "layout-preview" in page and "6222020000000000001" not in page  # accounts masked in the preview
    client.post(f"/payments/layouts/{layout.pk}/verify/", {"note": "PB00003 已被银行受理"})
    layout.refresh_from_db()
    assert layout.verified_by == finance


def test_the_district_admin_reads_layouts_and_others_may_not(login, client, district_admin, handler):
    layout = BankLayout.objects.get(name=ICBC["name"])
    admin = login(district_admin)
    assert admin.get(f"/payments/layouts/{layout.pk}/").status_code == 200
    assert admin.post(f"/payments/layouts/{layout.pk}/", {"name": "x"}).status_code == 403
    assert admin.post(f"/payments/layouts/{layout.pk}/verify/", {"note": "x"}).status_code == 403
    assert admin.get("/payments/settings/").status_code == 403
    client.logout()
    assert login(handler).get("/payments/layouts/").status_code == 403
    client.logout()
    assert client.get("/payments/layouts/").status_code == 302


def test_finance_sets_the_unions_default_layout_and_account(login, finance):
    abc = BankLayout.objects.get(name=ABC["name"])
    client = login(finance)
    assert client.get("/payments/settings/").status_code == 200
    client.post(
        "/payments/settings/",
        {"default_layout": abc.pk, "payer_account": "2010 0012 3456", "payer_name": "柯桥区总工会"},
    )
    assert default_layout_for(org=OrgUnit.objects.get(code="KQ-HS-001")) == abc
    assert AuditLog.objects.filter(action="payments.setting_update").exists()


def test_the_layout_list_queries_do_not_grow_with_layouts(login, finance, django_assert_num_queries):
    page = login(finance)
    page.get("/payments/layouts/")  # session, user and role lookups warmed
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as before:
        assert page.get("/payments/layouts/").status_code == 200
    expected = len(before.captured_queries)  # (each request empties the connection's query log)
    BankLayoutFactory.create_batch(3)
    # new units inserted in code order rewrite later siblings' paths: the per-user cache refills
    page.get("/payments/layouts/")
    with django_assert_num_queries(expected):
        response = page.get("/payments/layouts/")
    assert response.status_code == 200 and BankLayout.objects.count() == 7
