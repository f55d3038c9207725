"""Automatic review findings stored before claims were named by number carry only the other claim's id
(``params.other``): add its number (``params.other_number``, e.g. MA01-0000002), which the messages now show."""

from django.db import migrations


def _number(scheme_id, pk):
    return f"MA{int(scheme_id):02d}-{int(pk):07d}"


def forwards(apps, schema_editor):
    Claim = apps.get_model("mutual_aid", "Claim")
    schemes = {}
    for claim in Claim.objects.exclude(auto_checks=[]).only("pk", "auto_checks").iterator():
        changed = False
        for check in claim.auto_checks or []:
            params = check.get("params") or {}
            other = params.get("other")
            if other and "other_number" not in params and str(other).isdigit():
                if other not in schemes:
                    schemes[other] = Claim.objects.filter(pk=int(other)).values_list("scheme_id", flat=True).first()
                if schemes[other] is not None:
                    params["other_number"] = _number(schemes[other], other)
                    check["params"] = params
                    changed = True
        if changed:
            Claim.objects.filter(pk=claim.pk).update(auto_checks=claim.auto_checks)


def backwards(apps, schema_editor):
    Claim = apps.get_model("mutual_aid", "Claim")
    for claim in Claim.objects.exclude(auto_checks=[]).only("pk", "auto_checks").iterator():
        changed = False
        for check in claim.auto_checks or []:
            if (check.get("params") or {}).pop("other_number", None) is not None:
                changed = True
        if changed:
            Claim.objects.filter(pk=claim.pk).update(auto_checks=claim.auto_checks)


class Migration(migrations.Migration):
    dependencies = [("mutual_aid", "0005_claim_consent_method")]

    operations = [migrations.RunPython(forwards, backwards)]
