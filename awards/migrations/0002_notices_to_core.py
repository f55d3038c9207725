"""Awards publishes and takes objections through the core's public notices: each round's notice dates
become a union_portal.PublicNotice, its objections and review steps move to the core's tables (data kept),
then the awards tables and columns go."""

import django.db.models.deletion
from django.db import migrations, models


def to_core(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Round = apps.get_model("awards", "Round")
    OldObjection = apps.get_model("awards", "Objection")
    OldReview = apps.get_model("awards", "ReviewStep")
    PublicNotice = apps.get_model("union_portal", "PublicNotice")
    Objection = apps.get_model("union_portal", "Objection")
    ReviewStep = apps.get_model("union_portal", "ReviewStep")
    round_type, _ = ContentType.objects.get_or_create(app_label="awards", model="round")
    nomination_type, _ = ContentType.objects.get_or_create(app_label="awards", model="nomination")
    for round_ in Round.objects.filter(notice_starts__isnull=False).select_related("org"):
        on_notice = round_.status == "notice"
        round_.notice = PublicNotice.objects.create(
            subject_type=round_type,
            subject_id=round_.pk,
            org_id=round_.org_id,
            title=round_.title,
            unit_name=round_.org.name,
            working_days=round_.notice_working_days,
            starts_on=round_.notice_starts,
            ends_on=round_.notice_ends,
            warnings=round_.notice_warnings or [],
            status="open" if on_notice else "closed",
            closed_on=None if on_notice else round_.notice_ends,
            created_by_id=round_.created_by_id,
        )
        round_.save(update_fields=["notice"])
    notices = dict(Round.objects.filter(notice__isnull=False).values_list("pk", "notice_id"))
    for old in OldObjection.objects.select_related("nomination").order_by("pk"):
        new = Objection.objects.create(
            notice_id=notices[old.nomination.round_id],
            item_type=nomination_type,
            item_id=old.nomination_id,
            name=old.name,
            phone=old.phone,
            content=old.content,
            status=old.status,
            answer=old.answer,
            answered_by_id=old.answered_by_id,
            answered_at=old.answered_at,
        )
        Objection.objects.filter(pk=new.pk).update(created_at=old.created_at)
    for old in OldReview.objects.order_by("pk"):
        new = ReviewStep.objects.create(
            subject_type=nomination_type,
            subject_id=old.nomination_id,
            stage=old.stage,
            decision=old.decision,
            comment=old.comment,
            by_id=old.by_id,
        )
        ReviewStep.objects.filter(pk=new.pk).update(created_at=old.created_at)


class Migration(migrations.Migration):
    dependencies = [
        ("awards", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("union_portal", "0004_notices_payments"),
    ]

    operations = [
        migrations.AddField(
            model_name="round",
            name="notice",
            field=models.OneToOneField(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="union_portal.publicnotice",
                verbose_name="public notice",
            ),
        ),
        # Backwards the columns come back empty: the core's rows stay where they are.
        migrations.RunPython(to_core, migrations.RunPython.noop),
        migrations.RemoveField(model_name="reviewstep", name="by"),
        migrations.RemoveField(model_name="reviewstep", name="nomination"),
        migrations.RemoveField(model_name="round", name="notice_ends"),
        migrations.RemoveField(model_name="round", name="notice_starts"),
        migrations.RemoveField(model_name="round", name="notice_warnings"),
        migrations.DeleteModel(name="Objection"),
        migrations.DeleteModel(name="ReviewStep"),
    ]
