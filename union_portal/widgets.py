"""Date and time inputs that carry ISO values in every language.

``<input type="date">`` accepts only ``YYYY-MM-DD`` (and ``datetime-local`` only ``YYYY-MM-DDTHH:MM``); Django's
DateInput formats its value with the active language's first input format, ``2026/12/01`` in Chinese, which the
browser rejects and shows as a blank field. These widgets pin the ISO format; ``union_portal.formats`` puts ISO
first in every language too, so a plain ``forms.DateInput`` (or django-filter's) is ISO as well."""

from django import forms

ISO_DATE = "%Y-%m-%d"
ISO_DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


class DateInput(forms.DateInput):
    """A browser date picker whose value is ISO whatever the language."""

    input_type = "date"

    def __init__(self, attrs=None, format=None):  # noqa: A002 - Django's argument name
        super().__init__(attrs=attrs, format=format or ISO_DATE)


class DateTimeInput(forms.DateTimeInput):
    """A browser date-and-time picker (``datetime-local``) whose value is ISO whatever the language."""

    input_type = "datetime-local"

    def __init__(self, attrs=None, format=None):  # noqa: A002 - Django's argument name
        super().__init__(attrs=attrs, format=format or ISO_DATETIME_LOCAL)
