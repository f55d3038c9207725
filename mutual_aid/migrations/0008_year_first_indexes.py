# Claims and their events indexed by year first (issue 18, past one machine; docs/partitioning.md), built
# without locking the tables against writes.

from django.db import migrations, models

from union_portal.migration_ops import AddIndexConcurrentlyWherePossible


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY

    dependencies = [
        ("mutual_aid", "0007_enrolment_additions_and_cover_end"),
    ]

    operations = [
        AddIndexConcurrentlyWherePossible(
            model_name="claim",
            index=models.Index(fields=["scheme", "status", "member"], name="claim_year_status_idx"),
        ),
        AddIndexConcurrentlyWherePossible(
            model_name="claim",
            index=models.Index(
                condition=models.Q(paid_at__isnull=False), fields=["paid_at"], name="claim_paid_year_idx"
            ),
        ),
        AddIndexConcurrentlyWherePossible(
            model_name="claimevent",
            index=models.Index(fields=["at", "claim"], name="claimevent_at_idx"),
        ),
    ]
