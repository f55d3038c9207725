from django import forms
from django.utils.translation import gettext_lazy as _

from union_portal import tree
from union_portal.forms import PortalForm, SmsCodeFormMixin
from union_portal.models import OrgUnit
from union_portal.widgets import DateInput


class OrgUnitCreateForm(PortalForm):
    code = forms.CharField(label=_("Code"), max_length=32)
    name = forms.CharField(label=_("Name"), max_length=100)
    kind = forms.ChoiceField(label=_("Type"), choices=OrgUnit.Kind.choices)

    def __init__(self, *args, parent: OrgUnit, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = OrgUnit.ALLOWED_CHILDREN[OrgUnit.Kind(parent.kind)]
        self.fields["kind"].choices = [(k, label) for k, label in OrgUnit.Kind.choices if k in allowed]


class OrgUnitUpdateForm(PortalForm):
    name = forms.CharField(label=_("Name"), max_length=100)
    status = forms.ChoiceField(label=_("Status"), choices=OrgUnit.Status.choices)


class OrgUnitMoveForm(PortalForm):
    submit_label = _("Move")
    new_parent_code = forms.CharField(label=_("Code of the new parent"), max_length=32)
    reason = forms.CharField(label=_("Reason"), max_length=200)


# --- the roll, enterprises, founding, joining ------------------------------------------------------------


class EnterpriseForm(PortalForm):
    name = forms.CharField(label=_("Enterprise name"), max_length=200)
    uscc = forms.CharField(label=_("Unified social credit code"), max_length=25)
    township = forms.ModelChoiceField(label=_("Township/street"), queryset=OrgUnit.objects.none())
    industry = forms.CharField(label=_("Industry"), max_length=50, required=False)
    employee_count = forms.IntegerField(label=_("Employees"), min_value=0)
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    contact_name = forms.CharField(label=_("Contact person"), max_length=50, required=False)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=20, required=False)

    def __init__(self, *args, townships, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["township"].queryset = townships

    def clean_uscc(self):
        from union_portal.identity import validate_uscc

        return validate_uscc(self.cleaned_data["uscc"])


class FoundingForm(SmsCodeFormMixin, PortalForm):
    submit_label = _("Submit application")
    uscc = forms.CharField(label=_("Enterprise's unified social credit code"), max_length=25)
    union_name = forms.CharField(label=_("Name of the union"), max_length=100)
    chair_name = forms.CharField(label=_("Elected chair"), max_length=50)
    meeting_date = forms.DateField(label=_("Date of the founding meeting"), widget=DateInput())
    member_count = forms.IntegerField(label=_("Founding members"), min_value=1)
    election_result = forms.FileField(
        label=_("Election result (PDF or photo)"), help_text=_("The founding meeting's election result, signed.")
    )
    applicant_name = forms.CharField(label=_("Applicant"), max_length=50)
    applicant_phone = forms.CharField(label=_("Applicant phone"), max_length=20)
    code = forms.CharField(
        label=_("SMS code"),
        max_length=6,
        required=False,
        help_text=_(
            "Press “Send code” to receive it on the applicant's phone (not needed when township union staff file)."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def clean_applicant_phone(self):
        from union_portal.identity import validate_mobile

        return validate_mobile(self.cleaned_data["applicant_phone"])

    def clean_uscc(self):
        from union_portal.identity import validate_uscc

        return validate_uscc(self.cleaned_data["uscc"])

    def clean_election_result(self):
        from union_portal.uploads import check_upload

        uploaded = self.cleaned_data["election_result"]
        check_upload(uploaded, allowed=("pdf", "jpeg", "png"))
        return uploaded


class DecisionForm(PortalForm):
    reason = forms.CharField(
        label=_("Reason"), max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


def _clean_person_name(form) -> str:
    """A person's name as the import stores it (union_portal.identity): NFC, the middle dot made U+00B7,
    rare characters kept; a name with a lost character (? or U+FFFD) refused."""
    from union_portal.identity import validate_name

    return validate_name(form.cleaned_data["name"])


class JoinForm(PortalForm):
    submit_label = _("Apply to join")
    name = forms.CharField(label=_("Full name"), max_length=50)
    id_number = forms.CharField(label=_("Resident ID number"), max_length=20)
    mobile = forms.CharField(label=_("Mobile phone"), max_length=20, widget=forms.TextInput(attrs={"inputmode": "tel"}))
    job = forms.CharField(label=_("Job"), max_length=50, required=False)
    is_frontline = forms.BooleanField(label=_("I work on the front line"), required=False)
    is_migrant = forms.BooleanField(label=_("I am a migrant worker"), required=False)
    consent = forms.BooleanField(label=_("I have read the notice above and consent"), required=False)

    clean_name = _clean_person_name

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Filled in on a phone: a big, full-width button in the union colour like the other worker pages.
        for button in self.helper.inputs:
            button.field_classes = "btn btn-union btn-lg w-100"


class MemberForm(PortalForm):
    name = forms.CharField(label=_("Full name"), max_length=50)
    id_number = forms.CharField(label=_("Resident ID number"), max_length=20)
    mobile = forms.CharField(label=_("Mobile phone"), max_length=20, required=False)
    job = forms.CharField(label=_("Job"), max_length=50, required=False)
    joined_on = forms.DateField(label=_("Joined on"), widget=DateInput())
    is_frontline = forms.BooleanField(label=_("Frontline worker"), required=False)
    is_migrant = forms.BooleanField(label=_("Migrant worker"), required=False)
    is_hardship = forms.BooleanField(label=_("Hardship"), required=False)
    is_enterprise_head = forms.BooleanField(label=_("Enterprise head"), required=False)
    is_technical = forms.BooleanField(label=_("Technical staff"), required=False)
    bank_name = forms.CharField(label=_("Bank"), max_length=50, required=False)
    bank_account = forms.CharField(label=_("Bank account"), max_length=30, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)

    clean_name = _clean_person_name

    def clean_bank_account(self):
        from union_portal.identity import validate_bank_account

        account = self.cleaned_data["bank_account"]
        return validate_bank_account(account) if account else ""


class MemberCreateForm(MemberForm):
    org = forms.ModelChoiceField(label=_("Grassroots union"), queryset=OrgUnit.objects.none())
    field_order = ["org"]

    def __init__(self, *args, unions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = unions
        if unions.count() == 1:
            self.fields["org"].initial = unions.first()


class MemberEditForm(MemberForm):
    """Edits a member. The personal fields (ID number, mobile, bank account) are never shown in full: each
    input is empty with the masked stored value as its placeholder, and changes only when a new value is
    typed; left empty, or sent back as the masked value, the stored value is kept (``personal_changes``)."""

    group = forms.ModelChoiceField(label=_("Union group"), queryset=OrgUnit.objects.none(), required=False)
    reason = forms.CharField(label=_("Reason for the change"), max_length=200, required=False)

    def __init__(self, *args, member, **kwargs):
        from .services import PERSONAL_FIELDS, personal_masked

        initial = {k: v for k, v in (kwargs.pop("initial", None) or {}).items() if k not in PERSONAL_FIELDS}
        super().__init__(*args, initial=initial, **kwargs)
        self.member = member
        self.fields["group"].queryset = OrgUnit.objects.filter(tree.subtree_q(member.org), kind=OrgUnit.Kind.GROUP)
        self._masked = personal_masked(member)
        for field in PERSONAL_FIELDS:
            self.fields[field].required = False
            self.fields[field].initial = None
            self.fields[field].widget.attrs["placeholder"] = self._masked[field]
            self.fields[field].widget.attrs["autocomplete"] = "off"
            self.fields[field].help_text = _("Shown masked. Type a new value to change it; leave it empty to keep it.")

    def _kept(self, field: str) -> bool:
        raw = (self.data.get(self.add_prefix(field)) or "").strip()
        return not raw or raw == self._masked[field]

    def clean_bank_account(self):
        return "" if self._kept("bank_account") else super().clean_bank_account()

    def clean(self):
        from .services import PERSONAL_FIELDS

        cleaned = super().clean()
        for field in PERSONAL_FIELDS:
            if self._kept(field):
                cleaned.pop(field, None)  # not passed to member_update: the stored value stays
        return cleaned


class FullExportForm(PortalForm):
    submit_label = _("Export with full personal data")
    reason = forms.CharField(
        label=_("Reason for the full export"),
        max_length=200,
        help_text=_("Recorded in the audit log with the number of members exported."),
    )


class StatusForm(PortalForm):
    status = forms.ChoiceField(label=_("New status"), choices=())
    effective_on = forms.DateField(label=_("Effective on"), widget=DateInput())
    reason = forms.CharField(label=_("Reason"), max_length=200)

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = choices


class TransferForm(PortalForm):
    submit_label = _("Transfer out")
    to_code = forms.CharField(
        label=_("Code of the receiving union"), max_length=32, help_text=_("Ask the receiving union for its code.")
    )
    reason = forms.CharField(label=_("Reason"), max_length=200)


class ImportForm(PortalForm):
    submit_label = _("Upload and check")
    org = forms.ModelChoiceField(label=_("Grassroots union"), queryset=OrgUnit.objects.none())
    file = forms.FileField(
        label=_("Spreadsheet (.xlsx, .xls, .xlsb or .ods)"),
        help_text=_("Saved by Excel, WPS or LibreOffice; download the template for the columns."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.xlsm,.xls,.xlsb,.ods"}),
    )

    def __init__(self, *args, unions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = unions
        if unions.count() == 1:
            self.fields["org"].initial = unions.first()


class InviteAcceptForm(PortalForm):
    """The invitation link's page: the worker chooses a password (the link proved the mobile)."""

    submit_label = _("Open my account")
    password1 = forms.CharField(
        label=_("Password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    password2 = forms.CharField(
        label=_("Password again"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password1") and cleaned.get("password2") and cleaned["password1"] != cleaned["password2"]:
            self.add_error("password2", _("The two passwords differ."))
        return cleaned


class MobileRecoveryForm(PortalForm):
    """Lost the number of my login: who I am, and the new number."""

    submit_label = _("Send the request")
    name = forms.CharField(label=_("Full name"), max_length=50)
    id_number = forms.CharField(label=_("Resident ID number"), max_length=20)
    new_mobile = forms.CharField(
        label=_("New mobile number"), max_length=20, widget=forms.TextInput(attrs={"inputmode": "tel"})
    )


class MobileRecoveryConfirmForm(PortalForm):
    submit_label = _("Identity checked: send the link to the new number")
    id_document = forms.CharField(
        label=_("ID document checked in person"), max_length=100, help_text=_("e.g. resident ID card, passport")
    )
    confirm = forms.BooleanField(label=_("I saw the person and the document, and they match the member record"))


class MobileRecoveryFinishForm(InviteAcceptForm):
    submit_label = _("Use this number and set the password")
