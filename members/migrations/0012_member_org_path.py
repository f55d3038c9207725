from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("members", "0011_mobile_recovery"), ("union_portal", "0013_wechat_channels")]

    operations = [
        migrations.AddField(
            model_name="member",
            name="org_path",
            field=models.CharField(blank=True, default="", editable=False, max_length=255),
        ),
    ]
