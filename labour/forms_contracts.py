"""Input shape of the contract pages; the services decide what is allowed."""

from django import forms
from django.utils.translation import gettext_lazy as _

from union_portal.forms import PortalForm as _PortalForm
from union_portal.models import OrgUnit
from union_portal.scoping import scope_paths
from union_portal.tree import subtree_q
from union_portal.widgets import DateInput

from .models import BargainingOfficer, BargainingRound, CollectiveContract, DeadlineKey, DeadlineRule
from .permissions.contracts import STAFF_ROLES
from .selectors.contracts import enterprise_choices

DATE = DateInput()


class PortalForm(_PortalForm):
    """Our templates write the <form> tag themselves (several forms post to different URLs on one page)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.form_tag = False


def _union_choices(user):
    """Townships, industry and regional unions (and the district) in the user's staff area."""
    return OrgUnit.objects.filter(
        subtree_q(*scope_paths(user, STAFF_ROLES)),
        kind__in=[OrgUnit.Kind.DISTRICT, OrgUnit.Kind.TOWNSHIP, OrgUnit.Kind.INDUSTRY, OrgUnit.Kind.REGIONAL],
    ).order_by("path")


class TermsMixin(forms.Form):
    starts_on = forms.DateField(label=_("in force from"), widget=DATE, required=False)
    ends_on = forms.DateField(label=_("in force until"), widget=DATE, required=False)
    wage_growth_pct = forms.DecimalField(label=_("wage growth (%)"), max_digits=5, decimal_places=2, required=False)
    minimum_wage = forms.DecimalField(
        label=_("minimum wage in the firm (yuan a month)"), max_digits=12, decimal_places=2, required=False
    )
    weekly_hours = forms.DecimalField(label=_("weekly working hours"), max_digits=4, decimal_places=1, required=False)
    other_terms = forms.CharField(label=_("other key terms"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] <= data["starts_on"]:
            self.add_error("ends_on", _("The contract must end after it starts."))
        return data


class ContractCreateForm(TermsMixin, PortalForm):
    submit_label = _("Create draft")

    title = forms.CharField(label=_("title"), max_length=200)
    kind = forms.ChoiceField(label=_("kind"), choices=CollectiveContract.Kind.choices)
    level = forms.ChoiceField(label=_("level"), choices=CollectiveContract.Level.choices)
    enterprise = forms.ModelChoiceField(
        label=_("enterprise"),
        queryset=OrgUnit.objects.none(),
        required=False,
        help_text=_("For an enterprise contract."),
    )
    org = forms.ModelChoiceField(
        label=_("union"),
        queryset=OrgUnit.objects.none(),
        required=False,
        help_text=_("For a regional or industry contract: the township, regional or industry union."),
    )
    covered = forms.ModelMultipleChoiceField(
        label=_("enterprises covered"),
        queryset=OrgUnit.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("For a regional or industry contract."),
    )
    workers_covered = forms.IntegerField(
        label=_("workers covered"), min_value=0, required=False, help_text=_("Empty: the firms' staff.")
    )
    union_party = forms.CharField(label=_("union side"), max_length=200, required=False)
    employer_party = forms.CharField(label=_("employer side"), max_length=200, required=False)

    field_order = ["title", "kind", "level", "enterprise", "org", "covered", "workers_covered", "union_party"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        firms = enterprise_choices(user=user)
        self.fields["enterprise"].queryset = firms
        self.fields["covered"].queryset = firms
        self.fields["org"].queryset = _union_choices(user)


class VoteForm(PortalForm):
    submit_label = _("Record the vote")

    delegates = forms.IntegerField(label=_("delegates of the workers' congress"), min_value=1)
    present = forms.IntegerField(label=_("delegates present"), min_value=0)
    in_favour = forms.IntegerField(label=_("delegates in favour"), min_value=0)
    voted_on = forms.DateField(label=_("voted on"), widget=DATE)


class SignForm(PortalForm):
    submit_label = _("Record the signing")

    signed_on = forms.DateField(label=_("signed on"), widget=DATE)
    starts_on = forms.DateField(label=_("in force from"), widget=DATE, required=False)
    ends_on = forms.DateField(label=_("in force until"), widget=DATE, required=False)


class FileForm(PortalForm):
    submit_label = _("Record the filing")

    filed_on = forms.DateField(label=_("filed with the labour authority on"), widget=DATE)


class AnswerForm(PortalForm):
    submit_label = _("Record the answer")

    objection = forms.TypedChoiceField(
        label=_("the authority's answer"),
        choices=[("0", _("No objection: in force")), ("1", _("Objection"))],
        coerce=lambda v: v == "1",
    )
    answered_on = forms.DateField(label=_("answered on"), widget=DATE)
    note = forms.CharField(label=_("reasons"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class PublishForm(PortalForm):
    submit_label = _("Record the publication")

    published_on = forms.DateField(label=_("published to staff on"), widget=DATE)


class RoundRequestForm(PortalForm):
    submit_label = _("Record the request")

    enterprise = forms.ModelChoiceField(label=_("enterprise"), queryset=OrgUnit.objects.none())
    requested_by = forms.ChoiceField(label=_("requested by"), choices=BargainingRound.Side.choices)
    received_on = forms.DateField(label=_("request received on"), widget=DATE)
    subject = forms.CharField(label=_("subject"), max_length=200, required=False)
    note = forms.CharField(label=_("note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = enterprise_choices(user=user)


class ReplyForm(PortalForm):
    submit_label = _("Record the reply")

    replied_on = forms.DateField(label=_("replied on"), widget=DATE)


class SessionForm(PortalForm):
    submit_label = _("Add session")

    held_on = forms.DateField(label=_("held on"), widget=DATE)
    minutes = forms.CharField(label=_("minutes"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    file = forms.FileField(label=_("minutes (scan)"), required=False, help_text=_("PDF, JPEG or PNG."))


class DraftForm(TermsMixin, PortalForm):
    submit_label = _("Record the draft")

    title = forms.CharField(label=_("title"), max_length=200)
    field_order = ["title"]


class FailForm(PortalForm):
    submit_label = _("End without a contract")

    reason = forms.CharField(label=_("reason"), max_length=200)


class OfficerForm(PortalForm):
    submit_label = _("Add to the register")

    name = forms.CharField(label=_("name"), max_length=50)
    kind = forms.ChoiceField(label=_("kind"), choices=BargainingOfficer.Kind.choices)
    org = forms.ModelChoiceField(label=_("union"), queryset=OrgUnit.objects.none())
    training_hours = forms.DecimalField(label=_("training hours"), min_value=0, max_digits=6, decimal_places=1)
    enterprises = forms.ModelMultipleChoiceField(
        label=_("firms served"), queryset=OrgUnit.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = OrgUnit.objects.filter(subtree_q(*scope_paths(user, STAFF_ROLES))).order_by(
            "path"
        )
        self.fields["enterprises"].queryset = enterprise_choices(user=user)


class OfficerEditForm(PortalForm):
    submit_label = _("Save")

    training_hours = forms.DecimalField(label=_("training hours"), min_value=0, max_digits=6, decimal_places=1)
    enterprises = forms.ModelMultipleChoiceField(
        label=_("firms served"), queryset=OrgUnit.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    active = forms.BooleanField(label=_("active"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprises"].queryset = enterprise_choices(user=user)


class DeadlineRuleForm(PortalForm):
    submit_label = _("Save rule")

    key = forms.ChoiceField(label=_("deadline"), choices=DeadlineKey.choices)
    length = forms.IntegerField(label=_("length"), min_value=1, max_value=366)
    unit = forms.ChoiceField(label=_("counted in"), choices=DeadlineRule.Unit.choices)
    first_day_counts = forms.BooleanField(
        label=_("the first day counts"),
        required=False,
        help_text=_("On for a notice period; off for a legal deadline, which starts on the day after the event."),
    )
