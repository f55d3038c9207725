"""Decision letters for the claims decided before letters had numbers: one per claim for its current decision,
numbered in the order of the decisions within each year, so that their letters can still be downloaded."""

from django.conf import settings
from django.db import migrations
from django.utils import timezone

DECIDED = {"approved": "approved", "in_batch": "approved", "paid": "approved", "payment_failed": "approved",
           "rejected": "rejected"}  # fmt: skip


def forwards(apps, schema_editor):
    Claim = apps.get_model("mutual_aid", "Claim")
    DecisionLetter = apps.get_model("mutual_aid", "DecisionLetter")
    DecisionSequence = apps.get_model("mutual_aid", "DecisionSequence")
    claims = (
        Claim.objects.filter(status__in=list(DECIDED), decided_at__isnull=False, decision_letters__isnull=True)
        .order_by("decided_at", "pk")
        .only("pk", "status", "decided_at", "appealed_at")
    )
    last: dict[int, int] = {row.year: row.last for row in DecisionSequence.objects.all()}
    letters = []
    for claim in claims.iterator(chunk_size=2000):
        decided_on = timezone.localdate(claim.decided_at)
        last[decided_on.year] = last.get(decided_on.year, 0) + 1
        outcome = DECIDED[claim.status]
        letters.append(
            DecisionLetter(
                claim_id=claim.pk,
                year=decided_on.year,
                sequence=last[decided_on.year],
                number=f"{settings.MUTUAL_AID_DOCUMENT_PREFIX}〔{decided_on.year}〕{last[decided_on.year]}号",
                outcome=outcome,
                decided_on=decided_on,
                appealable=outcome == "rejected" and claim.appealed_at is None,
            )
        )
    DecisionLetter.objects.bulk_create(letters, batch_size=2000)
    for year, value in last.items():
        DecisionSequence.objects.update_or_create(year=year, defaults={"last": value})


def backwards(apps, schema_editor):
    apps.get_model("mutual_aid", "DecisionLetter").objects.all().delete()
    apps.get_model("mutual_aid", "DecisionSequence").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("mutual_aid", "0003_decision_letters")]

    operations = [migrations.RunPython(forwards, backwards)]
