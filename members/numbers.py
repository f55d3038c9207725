"""Member numbers: KQ + year + six digits, from a locked counter per year."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from .locks import number_sequence_for_update
from .models import Member

PREFIX = "KQ"


def _key(year: int) -> str:
    return f"member:{year}"


@transaction.atomic
def reserve_member_numbers(count: int, *, on: dt.date | None = None) -> list[str]:
    """Reserve ``count`` consecutive member numbers. Holds a row lock on the year's counter until the
    caller's transaction ends, so concurrent approvals and imports never share a number."""
    year = (on or timezone.localdate()).year
    prefix = f"{PREFIX}{year}"
    seq, created = number_sequence_for_update(_key(year))
    if created or seq.value == 0:
        # Start above any number issued before the counter existed (demo data, earlier imports).
        last = (
            Member.objects.filter(member_number__startswith=prefix)
            .order_by("-member_number")
            .values_list("member_number", flat=True)
            .first()
        )
        seq.value = int(last[len(prefix) :]) if last and last[len(prefix) :].isdigit() else 0
    start = seq.value + 1
    seq.value += count
    seq.save(update_fields=["value"])
    return [f"{prefix}{n:06d}" for n in range(start, start + count)]
