"""Input of the help campaign pages (shape only: the rules are in services.campaigns)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Campaign


class CampaignForm(forms.Form):
    name = forms.CharField(label=_("campaign name"), max_length=100)
    kind = forms.ChoiceField(label=_("kind"), choices=Campaign.Kind.choices)
    org = forms.ModelChoiceField(label=_("paying union"), queryset=None, empty_label=None)
    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100)
    budget = forms.DecimalField(label=_("budget"), min_value=0, max_digits=12, decimal_places=2)
    delivery = forms.ChoiceField(label=_("given as"), choices=Campaign.Delivery.choices)
    goods = forms.CharField(label=_("goods"), max_length=200, required=False)

    def __init__(self, *args, orgs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs


class AddForm(forms.Form):
    file = forms.ModelChoiceField(label=_("hardship file"), queryset=None)
    child = forms.IntegerField(label=_("child"), required=False, widget=forms.HiddenInput)
    amount = forms.DecimalField(
        label=_("amount (leave empty for the rules' amount)"), required=False, max_digits=12, decimal_places=2
    )
    reason = forms.CharField(label=_("reason"), max_length=500)

    def __init__(self, *args, files=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].queryset = files
        self.fields["file"].label_from_instance = lambda f: f"{f.member.name} · {f.org.name}"


class ChangeForm(forms.Form):
    action = forms.ChoiceField(choices=[("amount", _("Change the amount")), ("remove", _("Take off the list"))])
    amount = forms.DecimalField(label=_("amount"), required=False, max_digits=12, decimal_places=2)
    reason = forms.CharField(label=_("reason"), max_length=500)


class CommentForm(forms.Form):
    comment = forms.CharField(label=_("comments"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class PaidForm(forms.Form):
    reference = forms.CharField(label=_("bank reference"), max_length=60)


class FailedForm(forms.Form):
    reason = forms.CharField(label=_("reason the payment failed"), max_length=200)


class SheetUploadForm(forms.Form):
    file = forms.FileField(label=_("signed sheet (PDF or photo)"))
    handed_over_on = forms.DateField(
        label=_("handed over on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
