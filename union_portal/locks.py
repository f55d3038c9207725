"""Row locks of the core's own tables (the notices, payments and surveys packages keep theirs beside them)."""

from .models import Delivery


def delivery_for_update(pk: int) -> Delivery:
    """One notification delivery, locked, with its notification."""
    return Delivery.objects.select_for_update().select_related("notification").get(pk=pk)
