"""Row locks of surveys."""

from .models import Survey


def survey_for_update(pk: int) -> Survey:
    return Survey.objects.select_for_update().get(pk=pk)
