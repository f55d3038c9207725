"""Forms of cadres' liaison. The rules are the services'; the forms only parse."""

from django import forms
from django.utils.translation import gettext_lazy as _

from union_portal.widgets import DateInput

from .forms_congress import InnerForm
from .models import CaseType, IssueKind


class AssignmentForm(InnerForm):
    cadre = forms.ModelChoiceField(label=_("Cadre"), queryset=None)
    enterprise = forms.ModelChoiceField(label=_("Enterprise"), queryset=None)

    def __init__(self, *args, cadres, enterprises, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cadre"].queryset = cadres
        self.fields["enterprise"].queryset = enterprises


class VisitForm(InnerForm):
    visited_on = forms.DateField(label=_("Visited on"), widget=DateInput())
    met_whom = forms.CharField(label=_("Whom you met"), max_length=200)
    notes = forms.CharField(
        label=_("What you found"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class IssueForm(InnerForm):
    kind = forms.ChoiceField(label=_("Issue raised"), choices=[("", _("(none)")), *IssueKind.choices], required=False)
    description = forms.CharField(
        label=_("Describe the issue"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self):
        data = super().clean()
        if data.get("kind") and not (data.get("description") or "").strip():
            self.add_error("description", _("Describe the issue."))
        if not data.get("kind") and (data.get("description") or "").strip():
            self.add_error("kind", _("Choose its kind."))
        return data


IssueFormSet = forms.formset_factory(IssueForm, extra=2, max_num=10, absolute_max=10)


class OpenCaseForm(InnerForm):
    case_type = forms.ChoiceField(label=_("Type"), choices=CaseType.choices)
    worker_name = forms.CharField(label=_("Worker's name"), max_length=50)
    worker_mobile = forms.RegexField(
        label=_("Worker's mobile"), regex=r"^1\d{10}$", error_messages={"invalid": _("Give an 11-digit mobile.")}
    )
    worker_count = forms.IntegerField(label=_("Workers concerned"), min_value=1, initial=1)
    facts = forms.CharField(label=_("Facts"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 3}))
    confidential = forms.BooleanField(label=_("Keep it from the employer"), required=False, initial=True)


class OpenRoundForm(InnerForm):
    subject = forms.CharField(label=_("Subject of the bargaining"), max_length=200, required=False)
    note = forms.CharField(label=_("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class CloseIssueForm(InnerForm):
    note = forms.CharField(label=_("How it was settled"), max_length=500)
