"""Bank files end to end, through the pages finance uses: a batch is built in the union's default layout,
exported in each shipped bank layout (工商银行, 农业银行, 瑞丰银行; CSV in the layout's encoding and .xlsx),
read back, and a filled-in copy is imported as the return file: claims paid, the audit log written, a second
import changes nothing. A name the layout's encoding cannot carry, or that is no longer the member's, is
refused with the row named."""

import csv
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from members.models import Member
from mutual_aid import services
from mutual_aid.models import Claim
from union_portal.models import AuditLog, OrgUnit
from union_portal.payments import bankfile
from union_portal.payments import services as payments_services
from union_portal.payments.models import BankLayout, Payment
from union_portal.payments.shipped import ABC, ICBC, RUIFENG

from .conftest import YEAR, approve_twice, file_claim

pytestmark = pytest.mark.django_db

BANK_LAYOUTS = [ICBC["name"], ABC["name"], RUIFENG["name"]]


def _approved_claims(covered, worker, reviewer1, reviewer2, n=2) -> list[Claim]:
    import datetime as dt

    claims = []
    for i in range(n):
        claim = file_claim(worker, covered, base=f"{2000 + 1000 * i}.00", admission=dt.date(YEAR, 6 + i, 1))
        claims.append(approve_twice(services.auto_review(claim.pk), reviewer1, reviewer2))
    return claims


def _use_layout(finance, name: str) -> BankLayout:
    layout = BankLayout.objects.get(name=name)
    district = OrgUnit.objects.get(code="SX-KQ")
    payments_services.setting_save(
        by=finance, org=district, default_layout=layout, payer_account="201000123456789012", payer_name="柯桥区总工会"
    )
    return layout


def _rows_of(content: bytes, layout: BankLayout, fmt: str) -> list[list[str]]:
    """The file's lines as text, as the bank's system would read them."""
    if fmt == "csv":
        return list(csv.reader(io.StringIO(content.decode(layout.encoding))))
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    rows = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    for row in rows:  # the sheet is as wide as its widest line (the summary line)
        while row and row[-1] == "":
            row.pop()
    return rows


def _filled_in(content: bytes, layout: BankLayout, fmt: str, outcomes: list[tuple[str, str, str]]) -> bytes:
    """The exported file with 状态, 银行流水号, 失败原因 added to the header and to each payment's line."""
    spec = layout.spec()
    header_index = 1 if spec.summary == bankfile.SUMMARY_FIRST and fmt == "csv" else 0
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(content.decode(layout.encoding))))
        rows[header_index] += ["状态", "银行流水号", "失败原因"]
        data = [i for i, row in enumerate(rows) if i > header_index and row[0] != bankfile.SUMMARY_LABEL]
        for i, outcome in zip(data, outcomes, strict=True):
            rows[i] += list(outcome)
        buffer = io.StringIO()
        csv.writer(buffer).writerows(rows)
        return buffer.getvalue().encode(layout.encoding)
    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook.worksheets[0]
    width = sheet.max_column
    for col, text in enumerate(["状态", "银行流水号", "失败原因"], start=width + 1):
        sheet.cell(row=1, column=col, value=text)
    data_rows = [r for r in range(2, sheet.max_row + 1) if sheet.cell(row=r, column=1).value != bankfile.SUMMARY_LABEL]
    for r, outcome in zip(data_rows, outcomes, strict=True):
        for col, text in enumerate(outcome, start=width + 1):
            sheet.cell(row=r, column=col, value=text)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("layout_name", BANK_LAYOUTS)
def test_each_shipped_layout_round_trips_through_export_and_return_file(
    layout_name, fmt, covered, worker, reviewer1, reviewer2, finance, login
):
    # given the district pays through this bank, and two approved claims
    layout = _use_layout(finance, layout_name)
    a, b = _approved_claims(covered, worker, reviewer1, reviewer2)
    client = login(finance)
    # when finance builds the batch on the payments page
    response = client.post("/mutual-aid/payments/")
    batch = Payment.objects.get(payer_id=a.pk).batch
    assert response["Location"] == f"/mutual-aid/payments/{batch.pk}/" and batch.layout == layout
    page = client.get(f"/mutual-aid/payments/{batch.pk}/").content.decode()
    assert layout.name in page and str(batch.total) in page  # the control total on the page
    # and exports the bank file
    exported = client.get(f"/mutual-aid/payments/{batch.pk}/export.{fmt}")
    assert exported.status_code == 200
    # then the file is the layout's: its header, one line per payment with the account in full as text and
    # the amount exact, and the summary line where the layout has one
    rows = _rows_of(exported.content, layout, fmt)
    spec = layout.spec()
    headers = bankfile.headers(spec, reference_header="理赔编号")
    assert headers in rows
    pa, pb = batch.payments.order_by("id")
    flat = [cell for row in rows for cell in row]
    assert pa.bank_account in flat and pb.bank_account in flat
    amount_at = [c.source for c in spec.columns].index("amount")
    amount_texts = {row[amount_at] for row in rows if any(pa.reference in cell for cell in row)}
    assert {Decimal(t) for t in amount_texts} == {pa.amount}
    summary = [row for row in rows if row and row[0] == bankfile.SUMMARY_LABEL]
    if spec.summary != bankfile.SUMMARY_NONE:
        assert summary and "2" in summary[0] and Decimal(summary[0][4].replace(",", "")) == batch.total
    else:
        assert not summary
    if layout_name == ICBC["name"]:
        assert "201000123456789012" in flat and "人民币" in flat  # our account and the fixed currency
    # when the filled-in copy comes back: the first paid, the second failed
    data = _filled_in(exported.content, layout, fmt, [("成功", "BANK-001", ""), ("失败", "", "户名不符")])
    upload = SimpleUploadedFile(f"回盘.{fmt}", data)
    preview = client.post(f"/mutual-aid/payments/{batch.pk}/return-file/", {"file": upload})
    response = client.post(
        f"/mutual-aid/payments/{batch.pk}/return-file/confirm/", {"token": preview.context["token"]}, follow=True
    )
    # then the claims follow in one step, the page reconciles, and the audit log has the export and import
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.status, b.status) == (Claim.Status.PAID, Claim.Status.PAYMENT_FAILED)
    assert Payment.objects.get(pk=pa.pk).bank_reference == "BANK-001"
    text = response.content.decode()
    assert "BANK-001" in text
    reveal = AuditLog.objects.get(action="mutual_aid.reveal", object_id=str(batch.pk))
    assert reveal.detail["layout"] == layout.name and reveal.detail["total"] == str(batch.total)
    imported = AuditLog.objects.get(action="mutual_aid.batch_return_file", object_id=str(batch.pk))
    assert imported.detail == {"paid": 1, "failed": 1, "skipped": 0, "total_paid": str(pa.amount)}
    # and the same file imported again changes nothing
    again = services.batch_apply_return_file(by=finance, batch=batch, data=data)
    assert (again.paid, again.failed, again.skipped) == (0, 0, 2)
    assert Payment.objects.filter(batch=batch, status=Payment.Status.PAID).count() == 1


def test_a_name_gbk_cannot_carry_is_refused_before_the_batch_is_built(covered, worker, reviewer1, reviewer2, finance):
    # given the district pays through a GBK layout and the member's name has 𠮷 (outside GBK)
    _use_layout(finance, ABC["name"])
    Member.objects.filter(pk=covered.pk).update(name="𠮷小红")
    _approved_claims(covered, worker, reviewer1, reviewer2, n=1)
    # when finance builds the batch, then it is refused naming the row and the name, and nothing is built
    with pytest.raises(ValidationError) as refused:
        services.batch_create(by=finance)
    message = " ".join(refused.value.messages)
    assert "𠮷小红" in message and "GBK" in message and "1" in message
    assert not Payment.objects.exists()
    assert not Claim.objects.filter(status=Claim.Status.IN_BATCH).exists()
    # and a GB18030 layout carries the name exactly
    layout = _use_layout(finance, RUIFENG["name"])
    batch = services.batch_create(by=finance)
    content = services.batch_bank_file(by=finance, batch=batch, fmt="csv").content
    assert "𠮷小红" in content.decode(layout.encoding)


def test_switching_an_open_batch_to_a_layout_that_cannot_carry_a_name_is_refused(
    covered, worker, reviewer1, reviewer2, finance, login
):
    _use_layout(finance, RUIFENG["name"])
    Member.objects.filter(pk=covered.pk).update(name="𠮷小红")
    _approved_claims(covered, worker, reviewer1, reviewer2, n=1)
    batch = services.batch_create(by=finance)
    abc = BankLayout.objects.get(name=ABC["name"])
    response = login(finance).post(f"/mutual-aid/payments/{batch.pk}/layout/", {"layout": abc.pk}, follow=True)
    batch.refresh_from_db()
    assert batch.layout.name == RUIFENG["name"]
    assert "𠮷小红" in response.content.decode()


def test_a_payee_name_that_is_no_longer_the_members_is_refused_with_its_row(
    covered, worker, reviewer1, reviewer2, finance, login
):
    # given a batch, and the member's name corrected on the roll afterwards
    _approved_claims(covered, worker, reviewer1, reviewer2, n=1)
    batch = services.batch_create(by=finance)
    Member.objects.filter(pk=covered.pk).update(name="陈晓红")
    # when finance exports the bank file, then nothing is written and the page names the row and both names
    response = login(finance).get(f"/mutual-aid/payments/{batch.pk}/export.csv", follow=True)
    assert response.status_code == 200 and response.redirect_chain
    text = response.content.decode()
    assert "陈晓红" in text and "陈小红" in text
    assert not AuditLog.objects.filter(action="mutual_aid.reveal", object_id=str(batch.pk)).exists()


def test_a_payee_name_matches_in_nfc(covered, worker, reviewer1, reviewer2, finance):
    # a name typed with a combining accent (NFD) is the same name as its composed form (NFC)
    import unicodedata

    Member.objects.filter(pk=covered.pk).update(name=unicodedata.normalize("NFD", "阿依古丽·买买提é"))
    _approved_claims(covered, worker, reviewer1, reviewer2, n=1)
    batch = services.batch_create(by=finance)
    payment = batch.payments.get()
    assert payment.account_name == unicodedata.normalize("NFC", "阿依古丽·买买提é")
    assert services.batch_bank_file(by=finance, batch=batch, fmt="xlsx").status_code == 200


def test_a_return_file_with_a_wrong_line_changes_nothing_and_names_row_and_column(
    covered, worker, reviewer1, reviewer2, finance, login, settings
):
    from django.utils import translation

    layout = _use_layout(finance, RUIFENG["name"])
    a, b = _approved_claims(covered, worker, reviewer1, reviewer2)
    batch = services.batch_create(by=finance)
    content = services.batch_bank_file(by=finance, batch=batch, fmt="csv").content
    data = _filled_in(content, layout, "csv", [("成功", "BANK-1", ""), ("成功", "BANK-2", "")])
    data = data.decode(layout.encoding).replace(str(b.approved_amount), "1.00", 1).encode(layout.encoding)
    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        services.batch_apply_return_file(by=finance, batch=batch, data=data)
    assert refused.value.messages == ["第3行，“金额”列：金额与转账文件不一致。"]
    a.refresh_from_db()
    assert a.status == Claim.Status.IN_BATCH and not Payment.objects.filter(status="paid").exists()
