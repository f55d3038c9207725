from datetime import date, datetime, time, timedelta

import django_filters
from django import forms
from django.utils import timezone
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
    # Days as a range of the time itself (at >= the first day's start, < the day after the last's), not
    # at::date: the range reads the time-first index (audit_at_idx) for those days only.
    since = django_filters.DateFilter(
        label=_("From"), method="filter_since", widget=forms.DateInput(attrs={"type": "date"})
    )
    until = django_filters.DateFilter(
        label=_("To"), method="filter_until", widget=forms.DateInput(attrs={"type": "date"})
    )

    class Meta:
        model = AuditLog
        fields: list[str] = []

    def filter_since(self, queryset, name, value):
        return queryset.filter(at__gte=day_start(value))

    def filter_until(self, queryset, name, value):
        return queryset.filter(at__lt=day_start(value + timedelta(days=1)))


def day_start(day: date) -> datetime:
    """The first instant of ``day`` in the portal's time zone."""
    return timezone.make_aware(datetime.combine(day, time.min))
