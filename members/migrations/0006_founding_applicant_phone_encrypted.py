"""Founding applicants' phones encrypted at rest (issue 14 M10): widen the column, encrypt the rows already
there, then let EncryptedTextField read and write it. The reverse decrypts before the column narrows."""

from django.db import migrations, models

import union_portal.crypto


def encrypt_rows(apps, schema_editor):
    union_portal.crypto.encrypt_column(apps.get_model("members", "FoundingApplication"), "applicant_phone")


def decrypt_rows(apps, schema_editor):
    union_portal.crypto.encrypt_column(
        apps.get_model("members", "FoundingApplication"), "applicant_phone", reverse=True
    )


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0005_transfer_release_backfill"),
    ]

    operations = [
        migrations.AlterField(
            model_name="foundingapplication",
            name="applicant_phone",
            field=models.TextField(max_length=20, verbose_name="applicant phone"),
        ),
        migrations.RunPython(encrypt_rows, decrypt_rows),
        migrations.AlterField(
            model_name="foundingapplication",
            name="applicant_phone",
            field=union_portal.crypto.EncryptedTextField(max_length=20, verbose_name="applicant phone"),
        ),
    ]
