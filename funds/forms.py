"""Input shape of the funds pages. Rules live in funds.services."""

import datetime as dt
from decimal import Decimal

from crispy_forms.helper import FormHelper
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from union_portal.forms import PortalForm
from union_portal.money import MONEY
from union_portal.uploads import check_sheet_upload
from union_portal.widgets import DateInput

from .models import Level
from .permissions import FUNDS_RECORD_ROLES
from .services import parse_period, validate_ratio_shares


class MonthInput(forms.TextInput):
    input_type = "month"


class PeriodField(forms.CharField):
    """A month, typed as 2026-03 (the browser's month picker sends that); cleaned to the first day."""

    widget = MonthInput

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        return parse_period(value)

    def prepare_value(self, value):
        if isinstance(value, dt.date):
            return value.strftime("%Y-%m")
        return value


def money_field(label, **kwargs) -> forms.DecimalField:
    return forms.DecimalField(label=label, **MONEY, min_value=Decimal("0"), localize=False, **kwargs)


class EnterpriseByCodeMixin:
    """An enterprise typed by its unified social credit code, looked up in the user's recording scope."""

    def clean_uscc(self):
        from .selectors import enterprise_funds_list

        code = self.cleaned_data["uscc"].strip().upper()
        enterprise = enterprise_funds_list(user=self.user, roles=FUNDS_RECORD_ROLES).filter(uscc=code).first()
        if enterprise is None:
            raise ValidationError(_("No enterprise with this credit code in your area."))
        self.enterprise = enterprise
        return code


class DeclarationForm(EnterpriseByCodeMixin, PortalForm):
    uscc = forms.CharField(label=_("Unified social credit code"), max_length=18)
    period = PeriodField(label=_("Month"))
    total_payroll = money_field(_("Total payroll (yuan)"))

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)


class CollectionForm(EnterpriseByCodeMixin, PortalForm):
    uscc = forms.CharField(label=_("Unified social credit code"), max_length=18)
    period = PeriodField(label=_("Month"))
    amount = money_field(_("Amount collected (yuan)"))
    collected_on = forms.DateField(label=_("Collected on"), widget=DateInput())
    tax_reference = forms.CharField(label=_("Tax voucher number"), max_length=40, required=False)

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)


class ReverseForm(PortalForm):
    submit_label = _("Reverse")
    reason = forms.CharField(label=_("Reason"), max_length=200)


class ImportForm(PortalForm):
    submit_label = _("Check the file")
    file = forms.FileField(label=_("Tax authority export (.xlsx, .xls or .ods)"))

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        check_sheet_upload(uploaded, max_bytes=settings.UPLOAD_MAX_BYTES)
        uploaded.seek(0)
        return uploaded


class RatioSetForm(PortalForm):
    district = forms.ModelChoiceField(label=_("District"), queryset=None, empty_label=None)
    effective_from = forms.DateField(label=_("Effective from"), widget=DateInput())
    grassroots_pct = forms.DecimalField(label=_("Grassroots union %"), max_digits=5, decimal_places=2, min_value=0)
    district_pct = forms.DecimalField(label=_("District %"), max_digits=5, decimal_places=2, min_value=0)
    city_pct = forms.DecimalField(label=_("City %"), max_digits=5, decimal_places=2, min_value=0)
    province_pct = forms.DecimalField(label=_("Province %"), max_digits=5, decimal_places=2, min_value=0)
    national_pct = forms.DecimalField(label=_("National %"), max_digits=5, decimal_places=2, min_value=0)
    residue_level = forms.ChoiceField(label=_("Rounding residue goes to"), choices=Level.choices)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, districts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = districts

    def clean(self):
        data = super().clean()
        keys = [f"{level}_pct" for level in Level.values]
        if all(data.get(key) is not None for key in keys) and data.get("residue_level"):
            shares = {level: data[f"{level}_pct"] for level in Level.values}
            validate_ratio_shares(shares, data["residue_level"])
        return data


class PeriodRangeForm(forms.Form):
    """GET filter: from month, to month (default: January of this year to this month)."""

    period_from = PeriodField(label=_("From"), required=False)
    period_to = PeriodField(label=_("To"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def range(self) -> tuple[dt.date, dt.date]:
        today = timezone.localdate()
        data = self.cleaned_data if self.is_valid() else {}
        start = data.get("period_from") or dt.date(today.year, 1, 1)
        end = data.get("period_to") or today.replace(day=1)
        if end < start:
            start, end = end, start
        return start, end
