"""Forms of the hardship file pages: input shape only (the rules are in services/files.py)."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from union_portal.widgets import DateInput

from .models import Category, CloseReason, FileReview

MONEY_FIELD = {"max_digits": 12, "decimal_places": 2, "min_value": Decimal("0")}


class ReviewForm(forms.Form):
    income_12m = forms.DecimalField(
        label=_("Household income, last 12 months (yuan)"),
        error_messages={"min_value": _("Amounts cannot be negative."), "invalid": _("Enter an amount in yuan.")},
        **MONEY_FIELD,
    )
    spending_12m = forms.DecimalField(
        label=_("Rigid spending, last 12 months (yuan)"),
        initial=Decimal("0"),
        error_messages={"min_value": _("Amounts cannot be negative."), "invalid": _("Enter an amount in yuan.")},
        **MONEY_FIELD,
    )
    household_size = forms.IntegerField(
        label=_("Household members"),
        min_value=1,
        max_value=30,
        error_messages={"min_value": _("A household has at least one member.")},
    )
    outcome = forms.ChoiceField(label=_("Decision"), choices=FileReview.Outcome.choices, widget=forms.RadioSelect)
    category = forms.ChoiceField(
        label=_("New category"),
        required=False,
        choices=[("", "—"), *[(v, label) for v, label in Category.choices if v != Category.NONE]],
    )
    close_reason = forms.ChoiceField(
        label=_("Reason for closing"), required=False, choices=[("", "—"), *CloseReason.choices]
    )
    note = forms.CharField(
        label=_("Reason or note"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )


class CloseForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason for closing"), choices=CloseReason.choices)
    closed_on = forms.DateField(label=_("Closed on"), widget=DateInput())
    note = forms.CharField(label=_("Note"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))
    follow_up_on = forms.DateField(
        label=_("Follow up on (household out of hardship)"), required=False, widget=DateInput()
    )


class AttentionClearForm(forms.Form):
    note = forms.CharField(label=_("Why the file stays open"), max_length=500)


class FollowUpForm(forms.Form):
    follow_up_on = forms.DateField(label=_("Next follow-up on"), required=False, widget=DateInput())
    note = forms.CharField(label=_("What the follow-up found"), required=False, max_length=500)
