"""Staff mobiles and notification addresses (members' mobiles and e-mails) encrypted at rest (issue 14 M10).

Three steps per column: widen it to a plain text column (ciphertext is longer than varchar(11)), encrypt the
rows already there, then let the model's EncryptedTextField read and write it. Reversible: the reverse
decrypts the rows before the column narrows back."""

from django.db import migrations, models

import union_portal.crypto

COLUMNS = [("delivery", "address"), ("user", "mobile")]


def encrypt_rows(apps, schema_editor):
    for model_name, field in COLUMNS:
        union_portal.crypto.encrypt_column(apps.get_model("union_portal", model_name), field)


def decrypt_rows(apps, schema_editor):
    for model_name, field in COLUMNS:
        union_portal.crypto.encrypt_column(apps.get_model("union_portal", model_name), field, reverse=True)


class Migration(migrations.Migration):
    dependencies = [
        ("union_portal", "0004_notification_user_optional"),
    ]

    operations = [
        migrations.AlterField(model_name="delivery", name="address", field=models.TextField()),
        migrations.AlterField(
            model_name="user",
            name="mobile",
            field=models.TextField(blank=True, max_length=11, verbose_name="mobile phone"),
        ),
        migrations.RunPython(encrypt_rows, decrypt_rows),
        migrations.AlterField(
            model_name="delivery",
            name="address",
            field=union_portal.crypto.EncryptedTextField(),
        ),
        migrations.AlterField(
            model_name="user",
            name="mobile",
            field=union_portal.crypto.EncryptedTextField(blank=True, max_length=11, verbose_name="mobile phone"),
        ),
    ]
