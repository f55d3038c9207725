"""Row locks of the assessments. Item and entry changes lock their scheme first (a scheme's state decides
whether they may change)."""

from .models import AssessmentEntry, AssessmentScheme


def scheme_for_update(pk: int) -> AssessmentScheme:
    return AssessmentScheme.objects.select_for_update().get(pk=pk)


def entry_of_unit_for_update(*, item, unit) -> AssessmentEntry | None:
    """The unit's entry for ``item``, locked, or None when it has not entered one yet."""
    return AssessmentEntry.objects.select_for_update().filter(item=item, unit=unit).order_by("pk").first()


def entry_for_update(pk: int) -> AssessmentEntry:
    """The entry, locked, with its item, scheme and owner joined (and locked with it)."""
    return AssessmentEntry.objects.select_for_update().select_related("item__scheme__owner").get(pk=pk)
