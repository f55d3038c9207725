"""Audit action names: applications."""

from django.utils.translation import gettext_lazy as _  # noqa: F401

ACTIONS: dict = {}
