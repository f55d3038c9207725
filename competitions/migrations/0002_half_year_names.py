"""Half-year periods were named "1半年"/"2半年" (issue 16): renamed 上半年/下半年, as new ones are."""

from django.db import migrations

NAMES = {"1半年": "上半年", "2半年": "下半年", "H1": "First half", "H2": "Second half"}


def rename(apps, schema_editor):
    Period = apps.get_model("competitions", "Period")
    for old, new in NAMES.items():
        Period.objects.filter(name=old).update(name=new)


def rename_back(apps, schema_editor):
    Period = apps.get_model("competitions", "Period")
    for old, new in NAMES.items():
        Period.objects.filter(name=new).update(name=old)


class Migration(migrations.Migration):
    dependencies = [("competitions", "0001_initial")]

    operations = [migrations.RunPython(rename, rename_back)]
