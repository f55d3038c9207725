# The audit log indexed time first (issue 18, past one machine; docs/partitioning.md): (at, id) built without
# locking the table against writes, then the plain index on at, which it makes redundant, dropped.

from django.db import migrations, models

from union_portal.migration_ops import AddIndexConcurrentlyWherePossible


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY

    dependencies = [
        ("union_portal", "0013_wechat_channels"),
    ]

    operations = [
        AddIndexConcurrentlyWherePossible(
            model_name="auditlog",
            index=models.Index(fields=["at", "id"], name="audit_at_idx"),
        ),
        migrations.AlterField(
            model_name="auditlog",
            name="at",
            field=models.DateTimeField(auto_now_add=True, verbose_name="time"),
        ),
    ]
