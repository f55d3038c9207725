"""The bank's return file (回盘文件) marks a batch's payments paid or failed, all or nothing."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from mutual_aid import services
from mutual_aid.models import Claim
from union_portal.models import AuditLog
from union_portal.payments.models import Payment

from .conftest import YEAR, approve_twice, file_claim

pytestmark = pytest.mark.django_db

HEADER = "序号,收款账号,金额,状态,银行流水号,失败原因"


def _batch(covered, worker, reviewer1, reviewer2, finance):
    a = approve_twice(services.auto_review(file_claim(worker, covered).pk), reviewer1, reviewer2)
    b = approve_twice(
        services.auto_review(file_claim(worker, covered, base="2000.00", admission=dt.date(YEAR, 8, 1)).pk),
        reviewer1,
        reviewer2,
    )
    batch = services.batch_create(by=finance)
    return batch, list(batch.payments.order_by("id")), a, b


def _file(*lines: str) -> bytes:
    return "\n".join([HEADER, *lines]).encode("utf-8-sig")


def test_a_return_file_pays_and_fails_the_batchs_payments(covered, worker, reviewer1, reviewer2, finance):
    # given a batch of two claims
    batch, (pa, pb), a, b = _batch(covered, worker, reviewer1, reviewer2, finance)
    # when the bank's return file says the first was paid and the second failed
    data = _file(f"1,{pa.bank_account},{pa.amount},成功,ICBC-77,", f"2,{pb.bank_account},{pb.amount},失败,,账号不存在")
    result = services.batch_apply_return_file(by=finance, batch=batch, data=data)
    assert (result.paid, result.failed, result.skipped, result.total_paid) == (1, 1, 0, pa.amount)
    # then the claims follow, as if each had been marked by hand, and the batch is closed
    for obj in (a, b, batch):
        obj.refresh_from_db()
    assert a.status == Claim.Status.PAID and b.status == Claim.Status.PAYMENT_FAILED
    assert Payment.objects.get(pk=pa.pk).bank_reference == "ICBC-77"
    assert batch.status == batch.Status.CLOSED
    assert AuditLog.objects.filter(action="mutual_aid.batch_return_file", object_id=str(batch.pk)).exists()
    # and reading the same file again changes nothing: both lines are skipped as recorded before
    again = services.batch_apply_return_file(by=finance, batch=batch, data=data)
    assert (again.paid, again.failed, again.skipped, again.total_paid) == (0, 0, 2, 0)


def test_a_return_file_with_a_wrong_line_changes_nothing(covered, worker, reviewer1, reviewer2, finance):
    batch, (pa, pb), a, _b = _batch(covered, worker, reviewer1, reviewer2, finance)
    data = _file(f"1,{pa.bank_account},{pa.amount},成功,ICBC-77,", f"2,6222999999999999,{pb.amount},成功,ICBC-78,")
    with pytest.raises(ValidationError):
        services.batch_apply_return_file(by=finance, batch=batch, data=data)
    a.refresh_from_db()
    assert a.status == Claim.Status.IN_BATCH and not Payment.objects.filter(status="paid").exists()


def test_only_finance_reads_return_files(covered, worker, reviewer1, reviewer2, finance):
    batch, _payments, _a, _b = _batch(covered, worker, reviewer1, reviewer2, finance)
    with pytest.raises(PermissionDenied):
        services.batch_apply_return_file(by=reviewer1, batch=batch, data=_file())


def test_finance_uploads_the_return_file_on_the_batch_page(covered, worker, reviewer1, reviewer2, finance, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    batch, (pa, pb), a, b = _batch(covered, worker, reviewer1, reviewer2, finance)
    client = login(finance)
    assert "return-file" in client.get(f"/mutual-aid/payments/{batch.pk}/").content.decode()
    upload = SimpleUploadedFile(
        "回盘.csv",
        _file(f"1,{pa.bank_account},{pa.amount},成功,ICBC-1,", f"2,{pb.bank_account},{pb.amount},成功,ICBC-2,"),
        content_type="text/csv",
    )
    # issue 16: reading the file shows its summary and changes nothing; confirming it decides the whole batch
    response = client.post(f"/mutual-aid/payments/{batch.pk}/return-file/", {"file": upload})
    assert response.status_code == 200 and "ICBC-2" in response.content.decode()
    assert set(Claim.objects.filter(pk__in=[a.pk, b.pk]).values_list("status", flat=True)) == {Claim.Status.IN_BATCH}
    token = response.context["token"]
    response = client.post(f"/mutual-aid/payments/{batch.pk}/return-file/confirm/", {"token": token})
    assert response.status_code == 302
    assert set(Claim.objects.filter(pk__in=[a.pk, b.pk]).values_list("status", flat=True)) == {Claim.Status.PAID}
    assert login(reviewer1).post(f"/mutual-aid/payments/{batch.pk}/return-file/").status_code == 403


def test_a_return_file_summary_changes_nothing_until_confirmed_and_a_stale_one_is_refused(
    covered, worker, reviewer1, reviewer2, finance, login
):
    """Issue 16: finance sees what the file will do (paid and failed counts, the amount) before confirming."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    # given a batch of two and the bank's file: one paid, one failed
    batch, (pa, pb), a, b = _batch(covered, worker, reviewer1, reviewer2, finance)
    client = login(finance)
    upload = SimpleUploadedFile(
        "回盘.csv",
        _file(f"1,{pa.bank_account},{pa.amount},成功,ICBC-1,", f"2,{pb.bank_account},{pb.amount},失败,,户名不符"),
        content_type="text/csv",
    )
    # when it is read
    response = client.post(f"/mutual-aid/payments/{batch.pk}/return-file/", {"file": upload})
    # then the summary shows one paid with its amount, one failed with its reason, and nothing has changed
    preview = response.context["preview"]
    assert (len(preview.paid), len(preview.failed), preview.total_paid) == (1, 1, pa.amount)
    assert "户名不符" in response.content.decode()
    assert Payment.objects.filter(batch=batch, status=Payment.Status.PENDING).count() == 2
    # and a confirmation naming no waiting file changes nothing either
    client.post(f"/mutual-aid/payments/{batch.pk}/return-file/confirm/", {"token": "stale"})
    assert Payment.objects.filter(batch=batch, status=Payment.Status.PENDING).count() == 2
    # when confirmed, the batch is decided in one step and the page links back
    done = client.post(
        f"/mutual-aid/payments/{batch.pk}/return-file/confirm/", {"token": response.context["token"]}, follow=True
    )
    assert Payment.objects.filter(batch=batch, status=Payment.Status.PENDING).count() == 0
    assert 'href="/mutual-aid/payments/"' in done.content.decode()
