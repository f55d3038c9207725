"""Serializer building blocks shared by every app's API."""

from rest_framework import serializers

from union_portal.validators import no_formula


def _refuse_formulas(field: serializers.Field) -> None:
    if isinstance(field, serializers.ListField | serializers.DictField):
        _refuse_formulas(field.child)
    if isinstance(field, serializers.CharField) and not field.read_only and no_formula not in field.validators:
        field.validators.append(no_formula)


class NoFormulaSerializerMixin:
    """Every writable text field (lists of text too) refuses text that begins with "=", as every
    ``PortalForm`` does (``union_portal.validators.no_formula``). Put it first in the bases of a serializer
    that takes input."""

    def get_fields(self):
        fields = super().get_fields()  # type: ignore[misc]
        for field in fields.values():
            _refuse_formulas(field)
        return fields
