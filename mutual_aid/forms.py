import json

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from union_portal.forms import PortalForm
from union_portal.money import MONEY
from union_portal.payments import selectors as payments_selectors
from union_portal.payments.models import BankLayout

from .models import Benefit, ClaimDocument, Cover


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


class EstimateForm(PortalForm):
    submit_label = _("Estimate")
    benefit = forms.ChoiceField(label=_("Benefit"), choices=Benefit.Kind.choices)
    base = forms.DecimalField(label=_("In-policy self-paid amount (yuan)"), min_value=0, **MONEY, required=False)
    prior_base = forms.DecimalField(label=_("Base already claimed this period"), min_value=0, **MONEY, required=False)
    prior_paid = forms.DecimalField(label=_("Aid already granted this period"), min_value=0, **MONEY, required=False)
    disease = forms.CharField(label=_("Disease (for lump sums)"), required=False)


def _document_fields():
    return {f"doc_{kind}": MultipleFileField(label=label, required=False) for kind, label in ClaimDocument.Kind.choices}


class ClaimForm(PortalForm):
    submit_label = _("Submit claim")
    member_number = forms.CharField(label=_("Member number (handlers filing for a member)"), required=False)
    benefit = forms.ChoiceField(label=_("Benefit"), choices=Benefit.Kind.choices)
    hospital = forms.CharField(label=_("Hospital"), max_length=100)
    admission_date = forms.DateField(label=_("Admission date"), widget=forms.DateInput(attrs={"type": "date"}))
    discharge_date = forms.DateField(label=_("Discharge date"), widget=forms.DateInput(attrs={"type": "date"}))
    total_amount = forms.CharField(label=_("Total medical cost (yuan)"))
    self_paid_amount = forms.CharField(label=_("In-policy self-paid amount on the settlement sheet (yuan)"))
    excluded_amount = forms.CharField(label=_("Excluded items (yuan)"), required=False, initial="0.00")
    disease_code = forms.CharField(label=_("Disease code (lump sums only)"), required=False)
    invoice_numbers = forms.CharField(
        label=_("Invoice numbers (one per line)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    bank_account = forms.CharField(label=_("Bank account (empty: the one on your member record)"), required=False)
    bank_name = forms.CharField(label=_("Bank"), required=False)
    consent = forms.BooleanField(label=_("I give the separate consent above"), required=False)

    def __init__(self, *args, staff: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not staff:
            del self.fields["member_number"]
        self.fields.update(_document_fields())
        self.helper.form_tag = False
        self.helper.inputs = []

    def documents(self) -> list[tuple[str, object]]:
        result = []
        for kind in ClaimDocument.Kind.values:
            for upload in self.cleaned_data.get(f"doc_{kind}") or []:
                result.append((kind, upload))
        return result


class ResubmitForm(PortalForm):
    submit_label = _("Send the documents")

    def __init__(self, *args, kinds: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(ClaimDocument.Kind.choices)
        for kind in kinds:
            self.fields[f"doc_{kind}"] = MultipleFileField(label=labels[kind], required=True)

    def documents(self):
        return [
            (name[4:], upload)
            for name, uploads in self.cleaned_data.items()
            if name.startswith("doc_")
            for upload in uploads
        ]


class ReasonForm(PortalForm):
    reason = forms.CharField(label=_("Reason"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}))


class AdjustForm(PortalForm):
    submit_label = _("Change amount")
    amount = forms.CharField(label=_("Amount (yuan)"))
    reason = forms.CharField(label=_("Reason"), max_length=300)


class ReturnForm(PortalForm):
    submit_label = _("Return for documents")
    documents = forms.MultipleChoiceField(
        label=_("Missing documents"), choices=ClaimDocument.Kind.choices, widget=forms.CheckboxSelectMultiple
    )
    note = forms.CharField(label=_("Note to the worker"), max_length=300, required=False)


class AccountForm(PortalForm):
    submit_label = _("Save the account")
    account_holder = forms.CharField(
        label=_("Account holder"), max_length=50, help_text=_("The member's own name: the account must be theirs.")
    )
    bank_account = forms.CharField(label=_("Bank account"), max_length=40)
    bank_name = forms.CharField(label=_("Bank"), max_length=50)


class AssignAppealForm(PortalForm):
    submit_label = _("Assign the appeal")
    reviewer = forms.ModelChoiceField(label=_("Reviewer"), queryset=None)

    def __init__(self, *args, reviewers, **kwargs):
        from union_portal.models import User

        super().__init__(*args, **kwargs)
        field = self.fields["reviewer"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = User.objects.filter(pk__in=[u.pk for u in reviewers]).order_by("pk")


class SchemeForm(PortalForm):
    submit_label = _("Create scheme with the default rules")
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)


class SchemeSettingsForm(PortalForm):
    name = forms.CharField(label=_("Name"), max_length=100)
    deadline_month = forms.IntegerField(
        label=_("Claim deadline month (year after discharge)"), min_value=1, max_value=12
    )
    deadline_day = forms.IntegerField(label=_("Claim deadline day"), min_value=1, max_value=31)
    min_participation_pct = forms.IntegerField(label=_("Minimum participation (%)"), min_value=0, max_value=100)
    large_unit_size = forms.IntegerField(label=_("Large unit from (members)"), min_value=1)
    large_unit_min_pct = forms.IntegerField(
        label=_("Minimum participation of large units (%)"), min_value=0, max_value=100
    )


class RuleVersionForm(PortalForm):
    submit_label = _("Save as a new version")
    effective_from = forms.DateField(
        label=_("Effective from (admission date)"), widget=forms.DateInput(attrs={"type": "date"})
    )
    premium = forms.DecimalField(label=_("Premium per person"), min_value=0, **MONEY)
    rules = forms.CharField(
        label=_("Rules (JSON)"), widget=forms.Textarea(attrs={"rows": 16, "class": "font-monospace"})
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def clean_rules(self):
        try:
            return json.loads(self.cleaned_data["rules"])
        except ValueError:
            raise forms.ValidationError(_("The rules are not valid JSON.")) from None


class EnrolmentForm(PortalForm):
    submit_label = _("Enrol")
    benefit = forms.ModelChoiceField(label=_("Benefit"), queryset=Benefit.objects.none())
    source = forms.ChoiceField(
        label=pgettext_lazy("people enrolled", "Members"),
        choices=[("roll", _("All eligible members on the roll")), ("excel", _("The members in an Excel list"))],
        widget=forms.RadioSelect,
        initial="roll",
    )
    excel = forms.FileField(label=_("Excel list (column 会员编号)"), required=False)

    def __init__(self, *args, scheme, short_cover: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["benefit"].queryset = scheme.benefits.all()
        if short_cover:
            self.fields["accept_short_cover"] = _short_cover_field()


def _short_cover_field() -> forms.BooleanField:
    return forms.BooleanField(
        label=_("I have read the warning above on the cover left in this period and enrol all the same"),
        required=True,
        error_messages={"required": _("Confirm that you have read the warning on the cover left.")},
    )


class AdditionForm(PortalForm):
    """Members added to an enrolment (增员): the same sources as enrolling (the roll or an Excel list)."""

    submit_label = _("Add the members")
    source = forms.ChoiceField(
        label=pgettext_lazy("people enrolled", "Members"),
        choices=[
            ("roll", _("All eligible members on the roll not enrolled yet")),
            ("excel", _("The members in an Excel list")),
        ],
        widget=forms.RadioSelect,
        initial="roll",
    )
    excel = forms.FileField(label=_("Excel list (column 会员编号)"), required=False)

    def __init__(self, *args, short_cover: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if short_cover:
            self.fields["accept_short_cover"] = _short_cover_field()


class RemovalForm(PortalForm):
    """Members taken off an enrolment (减员)."""

    submit_label = _("Take off the enrolment")
    members = forms.TypedMultipleChoiceField(
        label=_("Members"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        choices=[],
        error_messages={
            "required": _("Tick the members who leave."),
            "invalid_choice": _("A ticked member is not on this enrolment any more."),
        },
    )
    reason = forms.ChoiceField(
        label=_("Reason for leaving"),
        choices=Cover.EndReason.choices,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    left_on = forms.DateField(
        label=_("Left on"),
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, member_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["members"]
        assert isinstance(field, forms.TypedMultipleChoiceField)
        field.choices = list(member_choices)


class ConfirmPaymentForm(PortalForm):
    submit_label = _("Confirm payment received")
    reference = forms.CharField(label=_("Payment reference"), max_length=60)


class PaidForm(PortalForm):
    submit_label = _("Mark paid")
    reference = forms.CharField(label=_("Bank reference"), max_length=60)


class BatchLayoutForm(PortalForm):
    submit_label = _("Use this layout")
    layout = forms.ModelChoiceField(label=_("Bank file layout"), queryset=BankLayout.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["layout"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = payments_selectors.layout_list(active_only=True)


class ReturnFileForm(PortalForm):
    submit_label = _("Read the return file")
    file = forms.FileField(label=_("The bank's return file (.xlsx or .csv)"))
