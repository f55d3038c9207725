"""Fill User.mobile_hash for accounts whose mobile was already verified (the oldest account keeps a number
that two accounts had verified; the other logs in with its username as before)."""

from django.db import migrations


def forwards(apps, schema_editor):
    from union_portal.identity import mobile_hash

    User = apps.get_model("union_portal", "User")
    seen: set[str] = set()
    for user in User.objects.exclude(mobile_verified_at=None).order_by("pk"):
        if not user.mobile or user.mobile_verified_number != user.mobile:
            continue
        digest = mobile_hash(user.mobile)
        if digest in seen:
            continue
        seen.add(digest)
        User.objects.filter(pk=user.pk).update(mobile_hash=digest)


class Migration(migrations.Migration):
    dependencies = [("union_portal", "0010_self_service_accounts")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
