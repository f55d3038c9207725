"""Row locks of the public notices."""

from .models import Objection


def objection_for_update(objection: Objection) -> Objection:
    """The objection, locked, with its notice (not locked)."""
    return Objection.objects.select_for_update(of=("self",)).select_related("notice").get(pk=objection.pk)
