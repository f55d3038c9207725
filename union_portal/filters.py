import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from .audit_words import action_choices, object_choices
from .models import AuditLog


class AuditLogFilter(django_filters.FilterSet):
    actor_name = django_filters.CharFilter(label=_("Actor"), lookup_expr="iexact")
    # drop-downs of readable names (the codes stay in the URL); evaluated per request, in its language
    action = django_filters.ChoiceFilter(label=_("Action"), choices=action_choices)
    object_type = django_filters.ChoiceFilter(label=_("Object type"), choices=object_choices)
    object_id = django_filters.CharFilter(label=_("Object id"))
    result = django_filters.ChoiceFilter(label=_("Result"), choices=AuditLog.Result.choices)
    ip = django_filters.CharFilter(label=_("IP address"))
    since = django_filters.DateFilter(
        label=_("From"), field_name="at", lookup_expr="date__gte", widget=forms.DateInput(attrs={"type": "date"})
    )
    until = django_filters.DateFilter(
        label=_("To"), field_name="at", lookup_expr="date__lte", widget=forms.DateInput(attrs={"type": "date"})
    )

    class Meta:
        model = AuditLog
        fields: list[str] = []
