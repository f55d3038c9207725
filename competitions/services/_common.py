"""Helpers the competitions services share: the manager check and numbers in messages."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied

from ..models import Campaign
from ..permissions import can_manage


def _num(value: Decimal) -> str:
    """A decimal for messages: 100, 12.5 (no exponent, no trailing zeros)."""
    return f"{Decimal(value).normalize():f}"


def _require_manager(user, campaign: Campaign) -> None:
    if not can_manage(user, campaign):
        raise PermissionDenied
