"""Forms of hardship applications: input shape only (the services hold the rules)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from union_portal.forms import PortalForm

from .models import Application, ApplicationDocument, IncomeItem, SpendingItem
from .models.choices import Category, Cause, Health, Relation, WorkStatus
from .rules import DEFAULT_RULES

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class InnerForm(PortalForm):
    """Rendered by crispy inside the template's own <form> (which names the action): no second form tag."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.form_tag = False


class ApplicationForm(forms.Form):
    causes = forms.MultipleChoiceField(
        label=_("Causes of hardship"), choices=Cause.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    cause_note = forms.CharField(label=_("What happened"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    housing = forms.ChoiceField(label=_("Housing"), choices=[("", "—"), *Application.Housing.choices], required=False)
    housing_area = forms.CharField(label=_("Floor area (m²)"), required=False)
    assets_note = forms.CharField(
        label=_("Vehicles, savings and other assets"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class PersonForm(forms.Form):
    relation = forms.ChoiceField(label=_("Relation"), choices=[("", "—"), *Relation.choices], required=False)
    name = forms.CharField(label=_("Name"), max_length=50, required=False)
    id_number = forms.CharField(label=_("ID number"), max_length=30, required=False)
    age = forms.CharField(label=_("Age"), max_length=5, required=False)
    health = forms.ChoiceField(label=_("Health"), choices=Health.choices, initial=Health.HEALTHY)
    health_note = forms.CharField(label=_("Illness or disability"), max_length=200, required=False)
    work = forms.ChoiceField(label=_("Work"), choices=WorkStatus.choices, initial=WorkStatus.EMPLOYED)
    school = forms.CharField(label=_("School and year"), max_length=100, required=False)


class IncomeForm(forms.Form):
    kind = forms.ChoiceField(label=_("Source"), choices=[("", "—"), *IncomeItem.Source.choices], required=False)
    amount = forms.CharField(label=_("Amount, last 12 months (yuan)"), max_length=20, required=False)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class SpendingForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", "—"), *SpendingItem.Kind.choices], required=False)
    amount = forms.CharField(label=_("Amount, last 12 months (yuan)"), max_length=20, required=False)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


PersonFormSet = forms.formset_factory(PersonForm, extra=1, max_num=20)
IncomeFormSet = forms.formset_factory(IncomeForm, extra=1, max_num=20)
SpendingFormSet = forms.formset_factory(SpendingForm, extra=1, max_num=20)


def filled(formset) -> list[dict]:
    """The rows of a formset the user filled in (an empty extra row is left out; a deleted one too)."""
    rows = []
    for form in formset.forms:
        data = getattr(form, "cleaned_data", None) or {}
        if any(value not in ("", None) for key, value in data.items() if key not in ("health", "work", "DELETE")):
            rows.append(data)
    return rows


class DocumentForm(InnerForm):
    submit_label = _("Upload")

    kind = forms.ChoiceField(label=_("Document"), choices=ApplicationDocument.Kind.choices)
    file = forms.FileField(label=_("File (PDF, JPEG or PNG)"))


class SubmitForm(InnerForm):
    submit_label = _("Submit the application")

    consent_sensitive = forms.BooleanField(
        label=_(
            "I agree that the union processes the health, income and family data of my household to assess this "
            "application."
        ),
        required=False,
    )
    consent_check = forms.BooleanField(
        label=_(
            "I authorise the union to check income, housing and vehicles with other agencies, as in the signed "
            "authorisation."
        ),
        required=False,
    )


class VisitForm(InnerForm):
    submit_label = _("Record the visit")

    visited_on = forms.DateField(label=_("Visited on"), widget=DATE)
    staff_one = forms.ModelChoiceField(label=_("Visitor"), queryset=None)
    staff_two = forms.ModelChoiceField(label=_("Second visitor"), queryset=None)
    findings = forms.CharField(label=_("Findings"), widget=forms.Textarea(attrs={"rows": 4}))
    household_size = forms.CharField(label=_("Household members (if corrected)"), required=False)
    income_12m = forms.CharField(label=_("Household income, last 12 months (if corrected)"), required=False)
    spending_12m = forms.CharField(label=_("Rigid spending, last 12 months (if corrected)"), required=False)
    photos = forms.FileField(
        label=_("Photo"), required=False, widget=forms.ClearableFileInput(attrs={"accept": "image/*"})
    )

    def __init__(self, *args, staff_queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff_one"].queryset = staff_queryset
        self.fields["staff_two"].queryset = staff_queryset
        self.fields["staff_one"].label_from_instance = lambda user: user.full_name or user.get_username()
        self.fields["staff_two"].label_from_instance = lambda user: user.full_name or user.get_username()


class CategoryForm(InnerForm):
    submit_label = _("Decide and put on notice at the unit")

    category = forms.ChoiceField(
        label=_("Category"), choices=[c for c in Category.choices if c[0] != Category.NONE], widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("Reason for a category different from the proposal"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )


class ReviewForm(InnerForm):
    submit_label = _("Record the decision")

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("pass", _("Pass")), ("return", _("Return with comments")), ("reject", _("Not approved"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(label=_("Comments or reason"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class RulesForm(InnerForm):
    submit_label = _("Save this version")

    effective_from = forms.DateField(label=_("Effective from"), widget=DATE)
    poverty_line = forms.DecimalField(
        label=_("Minimum living standard line (yuan a person a month)"), max_digits=10, decimal_places=2
    )
    relative_multiple = forms.DecimalField(label=_("Multiple for relative hardship"), max_digits=5, decimal_places=2)
    aggravating_causes = forms.MultipleChoiceField(
        label=_("Aggravating causes (deep hardship)"),
        choices=Cause.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    accident_causes = forms.MultipleChoiceField(
        label=_("Causes of hardship from an accident"),
        choices=Cause.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    notice_working_days = forms.IntegerField(label=_("Notice at the unit (working days)"))
    file_valid_months = forms.IntegerField(label=_("A file is valid for (months)"))
    review_reminder_days = forms.IntegerField(label=_("Review reminder (days before)"))
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def rules(self) -> dict:
        data = self.cleaned_data
        return {
            "poverty_line": str(data["poverty_line"]),
            "relative_multiple": str(data["relative_multiple"]),
            "aggravating_causes": list(data["aggravating_causes"]),
            "accident_causes": list(data["accident_causes"]),
            "notice_working_days": data["notice_working_days"],
            "file_valid_months": data["file_valid_months"],
            "review_reminder_days": data["review_reminder_days"],
        }


def rules_initial(rules: dict | None) -> dict:
    rules = rules or DEFAULT_RULES
    return {key: rules.get(key, DEFAULT_RULES[key]) for key in DEFAULT_RULES}
