"""Forms of the bank file layouts: the layout's own fields, its columns as rows of a formset (in order; a
row may be moved or deleted), marking a layout verified, and a paying union's bank settings."""

from django import forms
from django.utils.translation import gettext_lazy as _

from union_portal.forms import PortalForm, PortalModelForm

from . import bankfile
from .models import BankLayout
from .selectors import layout_list


class BankLayoutForm(PortalModelForm):
    class Meta:
        model = BankLayout
        fields = [
            "name",
            "bank",
            "file_format",
            "encoding",
            "header_row",
            "summary",
            "purpose_template",
            "return_status_header",
            "return_reference_header",
            "return_reason_header",
            "is_active",
            "source_note",
        ]
        widgets = {"source_note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.form_tag = False
        self.helper.inputs = []


class ColumnForm(forms.Form):
    source = forms.ChoiceField(label=_("Carries"), choices=bankfile.SOURCE_CHOICES)
    header = forms.CharField(label=_("Header text"), max_length=30, required=False)
    text = forms.CharField(label=_("Fixed text"), max_length=60, required=False)
    amount_rule = forms.ChoiceField(
        label=_("Amount written as"), choices=bankfile.AMOUNT_RULE_CHOICES, initial=bankfile.YUAN, required=False
    )


ColumnFormSet = forms.formset_factory(ColumnForm, extra=2, can_delete=True, can_order=True)


def columns_initial(layout: BankLayout | None) -> list[dict]:
    return [dict(item) for item in (layout.columns if layout else [])]


def columns_from_formset(formset) -> list[dict]:
    """The columns in the order the rows give (ORDER, then position); deleted and empty rows dropped."""
    rows = []
    for position, form in enumerate(formset.forms):
        data = getattr(form, "cleaned_data", None) or {}
        if not data or data.get("DELETE") or not data.get("source"):
            continue
        rows.append((data.get("ORDER") or position + 1, position, data))
    columns = []
    for _order, _position, data in sorted(rows, key=lambda row: (row[0], row[1])):
        column = bankfile.Column(
            source=data["source"],
            header=(data.get("header") or "").strip(),
            text=data.get("text") or "",
            amount_rule=data.get("amount_rule") or bankfile.YUAN,
        )
        columns.append(column.as_dict())
    return columns


class VerifyForm(PortalForm):
    submit_label = _("Mark verified")
    note = forms.CharField(
        label=_("Which file did the bank accept, and when?"),
        max_length=200,
        help_text=_("For example: the batch PB00012 file, accepted by the bank's enterprise banking on 2026-12-01."),
    )


class PaymentSettingForm(PortalForm):
    default_layout = forms.ModelChoiceField(label=_("Default bank file layout"), queryset=BankLayout.objects.none())
    payer_account = forms.CharField(label=_("Our account number"), max_length=40, required=False)
    payer_name = forms.CharField(label=_("Our account name"), max_length=60, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["default_layout"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = layout_list(active_only=True)
