"""Is the demo data coherent with today? Run after `manage.py seed_demo`, with the same clock:
`manage.py shell < .ci/demo_check.py`. Exits non-zero with the list of what is wrong."""

import datetime as dt
import sys

from django.apps import apps
from django.utils import timezone

# Models by name, wherever their app lives.
MODELS = {model.__name__: model for model in apps.get_models()}
Claim, ClaimEvent, Payment, Scheme = (MODELS[name] for name in ("Claim", "ClaimEvent", "Payment", "Scheme"))
Nomination, Round, Period, SafetyReport = (MODELS[name] for name in ("Nomination", "Round", "Period", "SafetyReport"))
FoundingApplication, Member = MODELS["FoundingApplication"], MODELS["Member"]
FundsCollection, Survey = MODELS["FundsCollection"], MODELS["Survey"]

# Under faketime every process starts at the same fake moment: seed_demo's stamps may lie a few minutes after
# this process's now.
now = timezone.now() + dt.timedelta(hours=1)
today = timezone.localdate()
year = today.year
problems: list[str] = []


def check(ok: bool, what: str) -> None:
    if not ok:
        problems.append(what)


# Mutual aid: last year's scheme closed with a paid claim, this year's open; nothing dated in the future.
last, this = Scheme.objects.filter(year=year - 1).first(), Scheme.objects.filter(year=year).first()
check(last is not None and last.ends_on < today, f"last year's scheme {year - 1} exists and is closed")
check(this is not None and this.starts_on <= today <= this.ends_on, f"this year's scheme {year} is open")
check(Claim.objects.filter(scheme=last, status=Claim.Status.PAID).exists(), "last year's scheme has a paid claim")
check(
    {Claim.Status.PAID, Claim.Status.APPROVED, Claim.Status.REJECTED, Claim.Status.FIRST_REVIEW}
    <= set(Claim.objects.values_list("status", flat=True)),
    "claims in every demo state",
)
for claim in Claim.objects.all():
    check(claim.admission_date <= claim.discharge_date <= today, f"claim {claim.pk}: stay in the past")
    check(claim.submitted_at <= now, f"claim {claim.pk}: submitted in the past")
    check(claim.scheme.starts_on <= claim.admission_date <= claim.scheme.ends_on, f"claim {claim.pk}: in its scheme")
    for stamp in (claim.decided_at, claim.paid_at):
        check(stamp is None or claim.submitted_at <= stamp <= now, f"claim {claim.pk}: decided/paid after filing")
    check(
        claim.auto_passed is not False or claim.status == Claim.Status.REJECTED,
        f"claim {claim.pk}: automatic checks pass",
    )
check(not ClaimEvent.objects.filter(at__gt=now).exists(), "no claim event in the future")
check(not Payment.objects.filter(decided_at__gt=now).exists(), "no payment in the future")

# Awards: last year's round published, this year's taking nominations today.
closed, current = Round.objects.filter(year=year - 1).first(), Round.objects.filter(year=year).first()
check(
    closed is not None and closed.status == Round.Status.PUBLISHED and closed.approved_on < today, "last year's round"
)
check(
    current is not None
    and current.status == Round.Status.NOMINATING
    and current.nominations_open <= today <= current.nominations_close,
    "this year's round is taking nominations",
)
check(
    not Nomination.objects.filter(submitted_at__gt=now).exists(),
    "no nomination submitted in the future",
)

# Competitions: released periods have ended (a one-round contest is released when held); the periods being
# scored have begun; reports count today.
for period in Period.objects.filter(status=Period.Status.RELEASED).exclude(campaign__period_kind="single"):
    check(period.ends_on < today, f"released period {period} of {period.campaign} has ended")
for period in Period.objects.filter(assignments__isnull=False, status=Period.Status.OPEN).distinct():
    check(period.starts_on <= today, f"period {period} of {period.campaign} being scored has begun")
for report in SafetyReport.objects.select_related("period"):
    check(report.period.starts_on <= today <= report.period.ends_on, f"report {report.pk} counts in today's period")

# Members and funds: nothing in the future.
check(not Member.objects.filter(joined_on__gt=today).exists(), "no member joins in the future")
check(not FoundingApplication.objects.filter(meeting_date__gt=today).exists(), "no founding meeting in the future")
check(not FundsCollection.objects.filter(collected_on__gt=today).exists(), "no funds collected in the future")
check(not FundsCollection.objects.filter(period__gte=today.replace(day=1)).exists(), "collections for past months only")
check(Survey.objects.filter(closes_on__gt=today).exists(), "the satisfaction survey is open")

if problems:
    print(f"demo data on {today} ({timezone.localtime():%Y-%m-%d %H:%M %Z}): NOT coherent:")
    for problem in problems:
        print("  -", problem)
    sys.exit(1)
print(f"demo data on {today}: coherent (schemes {year - 1} closed / {year} open, rounds, periods, funds)")
