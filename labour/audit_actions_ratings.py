"""Audit action names: ratings."""

from django.utils.translation import gettext_lazy as _  # noqa: F401

ACTIONS: dict = {}
