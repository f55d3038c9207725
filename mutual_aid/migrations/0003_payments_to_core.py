"""Claims are paid through the core's payment batches: batches and payments move to union_portal's tables
with their ids (batch numbers PB00001... stay), each payment pointing at its claim by a generic key."""

from django.core.management.color import no_style
from django.db import migrations


def to_core(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    OldBatch = apps.get_model("mutual_aid", "PaymentBatch")
    OldPayment = apps.get_model("mutual_aid", "Payment")
    Claim = apps.get_model("mutual_aid", "Claim")
    PaymentBatch = apps.get_model("union_portal", "PaymentBatch")
    Payment = apps.get_model("union_portal", "Payment")
    if not OldBatch.objects.exists():
        return
    claim_type, _ = ContentType.objects.get_or_create(app_label="mutual_aid", model="claim")
    for old in OldBatch.objects.order_by("pk"):
        PaymentBatch.objects.create(
            pk=old.pk,
            org_id=old.org_id,
            app_label="mutual_aid",
            status=old.status,
            created_by_id=old.created_by_id,
            total=old.total,
        )
        PaymentBatch.objects.filter(pk=old.pk).update(created_at=old.created_at)
    numbers = {
        pk: f"MA{scheme_id:02d}-{pk:07d}"
        for pk, scheme_id in Claim.objects.filter(payments__isnull=False).values_list("pk", "scheme_id")
    }
    for old in OldPayment.objects.order_by("pk"):
        Payment.objects.create(
            pk=old.pk,
            batch_id=old.batch_id,
            payer_type=claim_type,
            payer_id=old.claim_id,
            amount=old.amount,
            account_name=old.account_name,
            bank_account=old.bank_account,
            bank_name=old.bank_name,
            purpose="职工医疗互助金",
            reference=numbers.get(old.claim_id, ""),
            status=old.status,
            bank_reference=old.bank_reference,
            failure_reason=old.failure_reason,
            decided_by_id=old.decided_by_id,
            decided_at=old.decided_at,
        )
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [PaymentBatch, Payment]):
            cursor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("mutual_aid", "0002_review_queue_index"),
        ("union_portal", "0004_notices_payments"),
    ]

    operations = [
        # Backwards the old tables come back empty: the core's rows stay where they are.
        migrations.RunPython(to_core, migrations.RunPython.noop),
        migrations.RemoveField(model_name="paymentbatch", name="created_by"),
        migrations.RemoveField(model_name="paymentbatch", name="org"),
        migrations.DeleteModel(name="Payment"),
        migrations.DeleteModel(name="PaymentBatch"),
    ]
