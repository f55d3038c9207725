"""Forms of rights cases: input shape only; the rules are in labour.services.cases."""

from django import forms
from django.utils.translation import gettext_lazy as _

from members.models import Enterprise
from union_portal.forms import PortalForm
from union_portal.tree import OrgUnit

from .models import CaseOutcome, CaseStatus, CaseStep, CaseType, ContactPreference, Lawyer


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


def _townships():
    return OrgUnit.objects.filter(kind=OrgUnit.Kind.TOWNSHIP).order_by("path")


class _EmployerFields(forms.Form):
    case_type = forms.ChoiceField(label=_("Type"), choices=CaseType.choices)
    enterprise = forms.ModelChoiceField(
        label=_("Employer (from the list)"),
        queryset=Enterprise.objects.order_by("name"),
        required=False,
        empty_label=_("— not in the list —"),
    )
    employer_name = forms.CharField(label=_("Or type the employer's name"), max_length=200, required=False)
    township = forms.ModelChoiceField(
        label=_("Township or street of the workplace (employer not in the list)"),
        queryset=OrgUnit.objects.none(),
        required=False,
        empty_label=_("— I don't know —"),
    )
    facts = forms.CharField(
        label=_("The facts (what happened)"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )
    requests = forms.CharField(
        label=_("What you ask for"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000, required=False
    )
    worker_count = forms.IntegerField(label=_("Workers concerned"), min_value=1, max_value=10000, initial=1)
    confidential = forms.BooleanField(
        label=_("Keep it from my employer (recommended)"),
        required=False,
        initial=True,
        help_text=_("Nobody holding a role at your employer's own union sees the case."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["township"].queryset = _townships()


class CaseFileForm(PortalForm, _EmployerFields):
    submit_label = _("Send my request")
    contact_preference = forms.ChoiceField(label=_("How should we contact you?"), choices=ContactPreference.choices)
    health_details = forms.CharField(
        label=_("Injury or health details (work injury only)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
    )
    documents = MultipleFileField(
        label=_("Documents (photos or PDF: pay slips, contract, chat records)"), required=False
    )


class HotlineForm(PortalForm, _EmployerFields):
    submit_label = _("Record the call")
    worker_name = forms.CharField(label=_("Caller's name"), max_length=50)
    worker_mobile = forms.CharField(
        label=_("Caller's mobile"), max_length=11, widget=forms.TextInput(attrs={"inputmode": "numeric"})
    )


class StepForm(PortalForm):
    submit_label = _("Record the step")
    kind = forms.ChoiceField(label=_("Step"), choices=CaseStep.Kind.choices)
    on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000, required=False)
    lawyer = forms.ModelChoiceField(
        label=_("Lawyer (legal aid)"), queryset=Lawyer.objects.filter(active=True), required=False
    )
    documents = MultipleFileField(label=_("Documents"), required=False)


class CloseForm(PortalForm):
    submit_label = _("Close the case")
    outcome = forms.ChoiceField(label=_("Outcome"), choices=CaseOutcome.choices)
    money_recovered = forms.DecimalField(
        label=_("Money recovered (yuan)"), required=False, min_value=0, max_digits=12, decimal_places=2
    )
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000, required=False)


class GroupForm(PortalForm):
    submit_label = _("Link to the group")
    lead_number = forms.CharField(label=_("Number of the group's first case"), max_length=20)


class SatisfactionForm(PortalForm):
    submit_label = _("Send")
    rating = forms.TypedChoiceField(
        label=_("How satisfied are you with how your case was handled?"),
        choices=[(5, _("5 – very satisfied")), (4, "4"), (3, "3"), (2, "2"), (1, _("1 – not satisfied"))],
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000, required=False
    )


class CaseFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("All"))] + list(CaseStatus.choices),
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    case_type = forms.ChoiceField(
        label=_("Type"),
        choices=[("", _("All"))] + list(CaseType.choices),
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    overdue = forms.BooleanField(
        label=_("Overdue only"), required=False, widget=forms.CheckboxInput(attrs={"class": "form-check-input"})
    )
    q = forms.CharField(
        label=_("Number or employer"),
        max_length=50,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control", "placeholder": _("Number or employer")}),
    )


class LawyerForm(PortalForm):
    submit_label = _("Add to the roster")
    name = forms.CharField(label=_("Name"), max_length=50)
    firm = forms.CharField(label=_("Law firm"), max_length=100)
    specialities = forms.CharField(label=_("Specialities"), max_length=200, required=False)
    mobile = forms.CharField(label=_("Mobile phone"), max_length=11, required=False)
    username = forms.CharField(
        label=_("Outside account (user name, role Legal-aid lawyer)"), max_length=150, required=False
    )


class CaseSettingsForm(PortalForm):
    group_warning_threshold = forms.IntegerField(
        label=_("Early warning to the district from this many workers in a group case"), min_value=2, max_value=10000
    )
