"""Audit action names: contracts."""

from django.utils.translation import gettext_lazy as _  # noqa: F401

ACTIONS: dict = {}
