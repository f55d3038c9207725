from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from union_portal.forms import PortalForm
from union_portal.money import MONEY
from union_portal.payments import selectors as payments_selectors
from union_portal.payments.models import BankLayout

from .models import CLAIM_DOCUMENT_KINDS, Benefit, ClaimDocument, Cover


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


class DiseaseSelect(forms.Select):
    """The lump-sum diseases grouped by benefit, each option marked with its benefit (``data-benefit``) so that
    static/js/mutual_aid.js shows only the chosen benefit's; without JS every group is listed."""

    def __init__(self, *args, groups=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.set_groups(groups)

    def set_groups(self, groups) -> None:
        """``groups``: [(benefit kind, benefit name, [(code, disease name), ...]), ...]."""
        self.kinds = {str(name): kind for kind, name, _items in groups}
        self.choices = [("", "—")] + [(str(name), list(items)) for _kind, name, items in groups]

    def optgroups(self, name, value, attrs=None):
        groups = super().optgroups(name, value, attrs)
        for group_name, options, _index in groups:
            kind = self.kinds.get(str(group_name)) if group_name else None
            for option in options:
                if kind:
                    option["attrs"]["data-benefit"] = kind
        return groups


def _disease_field(label):
    return forms.CharField(
        label=label, required=False, widget=DiseaseSelect(attrs={"class": "form-select js-disease-select"})
    )


class EstimateForm(PortalForm):
    submit_label = _("Estimate")
    benefit = forms.ChoiceField(label=_("Benefit"), choices=Benefit.Kind.choices)
    base = forms.DecimalField(label=_("In-policy self-paid amount (yuan)"), min_value=0, **MONEY, required=False)
    prior_base = forms.DecimalField(label=_("Base already claimed this period"), min_value=0, **MONEY, required=False)
    prior_paid = forms.DecimalField(label=_("Aid already granted this period"), min_value=0, **MONEY, required=False)
    disease = _disease_field(_("Disease (for lump sums)"))

    def __init__(self, *args, diseases=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.form_method = "get"  # an estimate changes nothing: no CSRF token in its URL
        widget = self.fields["disease"].widget
        assert isinstance(widget, DiseaseSelect)
        widget.set_groups(diseases)


def _document_fields():
    labels = dict(ClaimDocument.Kind.choices)
    return {f"doc_{kind}": MultipleFileField(label=labels[kind], required=False) for kind in CLAIM_DOCUMENT_KINDS}


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
    disease_code = _disease_field(_("Disease (lump sums only)"))
    invoice_numbers = forms.CharField(
        label=_("Invoice numbers (one per line)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    bank_account = forms.CharField(label=_("Bank account (empty: the one on your member record)"), required=False)
    bank_name = forms.CharField(label=_("Bank"), required=False)
    consent = forms.BooleanField(label=_("I give the separate consent above"), required=False)
    consent_document = forms.FileField(
        label=_("The member's signed consent form (filing for a member)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )
    consent_code = forms.CharField(
        label=_("Or: the code the member received by SMS"),
        required=False,
        max_length=6,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
        help_text=_(
            "Enter the member number above and press “Send the consent SMS”: the member reads the code to you."
        ),
    )

    def __init__(self, *args, staff: bool = False, diseases=(), **kwargs):
        super().__init__(*args, **kwargs)
        if staff:
            self.fields["consent"].label = _("Filing for yourself: I give the separate consent above")
        else:
            del self.fields["member_number"]
            del self.fields["consent_document"]
            del self.fields["consent_code"]
        widget = self.fields["disease_code"].widget
        assert isinstance(widget, DiseaseSelect)
        widget.set_groups(diseases)
        documents = _document_fields()
        # the documents before the consent, which ends the form beside its wording
        consent_fields = {
            k: self.fields.pop(k) for k in ("consent_document", "consent_code", "consent") if k in self.fields
        }
        self.fields.update(documents)
        self.fields.update(consent_fields)
        self.helper.form_tag = False
        self.helper.inputs = []

    def documents(self) -> list[tuple[str, object]]:
        result = []
        for kind in CLAIM_DOCUMENT_KINDS:
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


class AppealForm(ReasonForm):
    documents = MultipleFileField(
        label=_("Documents for the appeal (optional)"),
        required=False,
        help_text=_("PDF, JPEG or PNG, at most 10 MB each: shown to the reviewer who decides the appeal."),
    )


class ApproveForm(PortalForm):
    """A money decision is confirmed on the server: the box must be ticked (works without JS, within the CSP)."""

    confirm = forms.BooleanField(label=_("I have checked the claim and confirm this decision"), required=True)


class AdjustForm(PortalForm):
    submit_label = _("Change amount")
    amount = forms.CharField(label=_("Amount (yuan)"))
    reason = forms.CharField(label=_("Reason"), max_length=300)
    confirm = forms.BooleanField(label=_("I confirm cutting the amount to this figure"), required=True)


def _claim_document_choices():
    labels = dict(ClaimDocument.Kind.choices)
    return [(kind, labels[kind]) for kind in CLAIM_DOCUMENT_KINDS]


class ReturnForm(PortalForm):
    submit_label = _("Return for documents")
    documents = forms.MultipleChoiceField(
        label=_("Missing documents"), choices=_claim_document_choices, widget=forms.CheckboxSelectMultiple
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


# --- The scheme rules editor (one benefit's rules as a new version) -----------------------------------------
class RuleMetaForm(PortalForm):
    """The single fields of a rules version; bands and diseases are formsets beside it."""

    effective_from = forms.DateField(
        label=_("Effective from (admission date)"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("Give the date the new rules take effect.")},
    )
    premium = forms.DecimalField(
        label=_("Premium per person (yuan)"),
        min_value=0,
        **MONEY,
        error_messages={"required": _("Give the premium."), "min_value": _("The premium cannot be negative.")},
    )
    addition_premium = forms.ChoiceField(label=_("Premium of members added during the period"), choices=())
    deductible = forms.DecimalField(
        label=_("Deductible (yuan): the base below it is not paid"),
        min_value=0,
        **MONEY,
        required=False,
        error_messages={"min_value": _("The deductible cannot be negative.")},
    )
    cap = forms.DecimalField(
        label=_("Cap per member per period (yuan)"),
        min_value=Decimal("0.01"),
        **MONEY,
        error_messages={"required": _("Give the cap."), "min_value": _("The cap must be more than 0.")},
    )
    once_per = forms.ChoiceField(label=_("A lump sum is paid"), choices=())
    waiting_days = forms.IntegerField(
        label=_("Waiting period (days)"),
        min_value=0,
        max_value=3660,
        error_messages={
            "required": _("Give the waiting period (0 for none)."),
            "min_value": _("The waiting period cannot be negative."),
        },
    )
    documents = forms.MultipleChoiceField(
        label=_("Required documents"),
        # what a claim may be asked to carry: not the handler's consent form nor an appeal's papers
        choices=[(kind, label) for kind, label in ClaimDocument.Kind.choices if kind in CLAIM_DOCUMENT_KINDS],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, kind: str, **kwargs):
        from .rules_editor import addition_premium_choices, once_per_choices

        super().__init__(*args, **kwargs)
        self.fields["addition_premium"].choices = addition_premium_choices()  # type: ignore[attr-defined]
        self.fields["once_per"].choices = once_per_choices()  # type: ignore[attr-defined]
        if kind == "inpatient":
            del self.fields["once_per"]
        else:
            del self.fields["deductible"], self.fields["cap"]
        self.helper.form_tag = False
        self.helper.inputs = []


def _num() -> forms.NumberInput:
    return forms.NumberInput(attrs={"class": "form-control form-control-sm", "step": "0.01", "inputmode": "decimal"})


class BandForm(forms.Form):
    start = forms.DecimalField(label=_("From (yuan)"), min_value=0, **MONEY, required=False, widget=_num())
    end = forms.DecimalField(
        label=_("To (yuan, empty: no upper end)"), min_value=0, **MONEY, required=False, widget=_num()
    )
    rate_pct = forms.DecimalField(
        label=_("Rate (%)"),
        min_value=0,
        max_value=100,
        max_digits=6,
        decimal_places=2,
        required=False,
        widget=_num(),
        error_messages={
            # formatted with %(limit_value)s by Django: a literal per cent sign is doubled
            "max_value": _("A rate cannot be above %(limit_value)s%%."),
            "min_value": _("A rate cannot be negative."),
        },
    )

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {}) or {}
        return all(data.get(f) in (None, "") for f in ("start", "end", "rate_pct"))


class _RowsFormSet(forms.BaseFormSet):
    """A table of rows in the rules editor: blank rows and rows marked for deletion do not count."""

    def live_forms(self) -> list:
        return [
            f
            for f in self.forms
            if hasattr(f, "cleaned_data") and not f.is_blank() and not f.cleaned_data.get("DELETE")
        ]

    def rows(self) -> list[dict]:
        return [f.cleaned_data for f in self.live_forms()]


class BaseBandFormSet(_RowsFormSet):
    """Bands on the cumulative base: the first starts at the deductible, each where the one before ends,
    only the last open-ended. Errors on the field at fault."""

    deductible = Decimal("0")

    def clean(self):
        if any(self.errors):
            return
        live = self.live_forms()
        if not live:
            raise forms.ValidationError(_("Give at least one band."))
        expected = self.deductible
        for i, form in enumerate(live):
            data = form.cleaned_data
            start, end, rate = data.get("start"), data.get("end"), data.get("rate_pct")
            if rate is None:
                form.add_error("rate_pct", _("Give the band's rate."))
            if start is None:
                form.add_error("start", _("Give where the band starts."))
                expected = end
                continue
            if expected is not None and start != expected:
                form.add_error(
                    "start",
                    _("This band must start at %(expected)s (the deductible or where the band above ends).")
                    % {"expected": expected},
                )
            if end is None and i != len(live) - 1:
                form.add_error("end", _("Only the last band may be left without an end."))
            if end is not None and end <= start:
                form.add_error("end", _("A band must end above its start."))
            expected = end


class DiseaseForm(forms.Form):
    code = forms.CharField(widget=forms.HiddenInput, required=False, max_length=40)
    name = forms.CharField(
        label=_("Disease"),
        max_length=60,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
    )
    amount = forms.DecimalField(
        label=_("Amount (yuan)"),
        min_value=Decimal("0.01"),
        **MONEY,
        required=False,
        widget=_num(),
        error_messages={"min_value": _("A lump sum must be more than 0.")},
    )

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {}) or {}
        return not (data.get("name") or "").strip() and data.get("amount") is None


class BaseDiseaseFormSet(_RowsFormSet):
    def clean(self):
        if any(self.errors):
            return
        live = self.live_forms()
        if not live:
            raise forms.ValidationError(_("Give at least one disease."))
        names: set[str] = set()
        for form in live:
            name = (form.cleaned_data.get("name") or "").strip()
            if not name:
                form.add_error("name", _("Give the disease's name."))
            elif name in names:
                form.add_error("name", _("This disease is listed twice."))
            names.add(name)
            if form.cleaned_data.get("amount") is None:
                form.add_error("amount", _("Give the amount."))


BandFormSet = forms.formset_factory(BandForm, formset=BaseBandFormSet, extra=2, can_delete=True, max_num=30)
DiseaseFormSet = forms.formset_factory(DiseaseForm, formset=BaseDiseaseFormSet, extra=2, can_delete=True, max_num=60)
