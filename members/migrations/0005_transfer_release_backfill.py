"""Transfers opened before the releasing union's consent was recorded: one asked by the releasing union (no
join application) was released by asking; one opened from a join application was asked by the receiving
union and still waits for the releasing union."""

from django.db import migrations
from django.db.models import F


def backfill(apps, schema_editor):
    MemberTransfer = apps.get_model("members", "MemberTransfer")
    MemberTransfer.objects.filter(join_application__isnull=True, released_at__isnull=True).update(
        requested_side="from", released_at=F("created_at"), released_by=F("requested_by")
    )
    MemberTransfer.objects.filter(join_application__isnull=False).update(requested_side="to")


class Migration(migrations.Migration):
    dependencies = [("members", "0004_transfer_release")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
