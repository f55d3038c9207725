"""Input shapes of the competition pages. Rules live in services; these only parse."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from members.models import Enterprise
from union_portal.forms import NoFormulaMixin, PortalForm
from union_portal.models import OrgUnit
from union_portal.money import MONEY
from union_portal.roles import Role, role_holders

from .models import Campaign, Group, Honour, SafetyReport, Team


class CampaignForm(PortalForm):
    submit_label = _("Create")

    kind = forms.ChoiceField(label=_("Type"), choices=Campaign.Kind.choices)
    name = forms.CharField(label=_("Name"), max_length=100)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    period_kind = forms.ChoiceField(
        label=_("Scoring periods"),
        choices=[("", _("Default (quarterly for a merit competition, one round otherwise)"))]
        + list(Campaign.PeriodKind.choices),
        required=False,
    )
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class CriterionForm(NoFormulaMixin, forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=32)
    name = forms.CharField(label=_("Name"), max_length=100)
    weight = forms.DecimalField(label=_("Weight"), max_digits=5, decimal_places=2, min_value=0)
    max_score = forms.DecimalField(label=_("Maximum score"), max_digits=6, decimal_places=2, min_value=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-control form-control-sm")
            # drawn in a table row under the column's heading: the control still needs its own name
            field.widget.attrs.setdefault("aria-label", field.label)


CriterionFormSet = forms.formset_factory(CriterionForm, extra=1, can_delete=True, max_num=20)


class BandsForm(PortalForm):
    """One "last rank" field per honour of the campaign's kind."""

    def __init__(self, *args, campaign: Campaign, **kwargs):
        super().__init__(*args, **kwargs)
        from .services import DEFAULT_BANDS

        current = dict(campaign.honour_bands)
        for kind, _default in DEFAULT_BANDS[campaign.kind]:
            self.fields[kind] = forms.IntegerField(
                label=_("%(honour)s: up to rank") % {"honour": Honour.Kind(kind).label},
                min_value=0,
                max_value=1000,
                initial=current.get(kind, 0),
            )

    def bands(self) -> list[tuple[str, int]]:
        return [(kind, self.cleaned_data[kind]) for kind in self.fields]


class GroupForm(PortalForm):
    """A group's name; for a skills-contest trade also its own weights (default: the campaign's)."""

    submit_label = _("Add")
    name = forms.CharField(label=_("Name"), max_length=100)

    def __init__(self, *args, campaign: Campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.weight_codes = []
        if campaign.kind == Campaign.Kind.SKILLS:
            for criterion in campaign.criteria.all():
                key = f"w_{criterion.code}"
                self.fields[key] = forms.DecimalField(
                    label=_("Weight of %(name)s") % {"name": criterion.name},
                    max_digits=5,
                    decimal_places=2,
                    min_value=0,
                    initial=criterion.weight,
                )
                self.weight_codes.append(criterion.code)

    def weights(self) -> dict:
        return {code: self.cleaned_data[f"w_{code}"] for code in self.weight_codes}


class TeamForm(PortalForm):
    submit_label = _("Register")

    group = forms.ModelChoiceField(label=_("Group"), queryset=Group.objects.none())
    name = forms.CharField(label=_("Name"), max_length=100)
    kind = forms.ChoiceField(
        label=_("Type"),
        choices=[(k, v) for k, v in Team.Kind.choices if k != Team.Kind.CONTESTANT],
    )
    org_code = forms.CharField(label=_("Union code"), max_length=32, required=False)
    enterprise = forms.ModelChoiceField(label=_("Enterprise"), queryset=Enterprise.objects.none(), required=False)

    def __init__(self, *args, campaign: Campaign, enterprises, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = campaign.groups.all()
        self.fields["group"].label = campaign.group_label
        self.fields["enterprise"].queryset = enterprises


class ContestantForm(PortalForm):
    submit_label = _("Enter")

    trade = forms.ModelChoiceField(label=_("Trade"), queryset=Group.objects.none())
    member_number = forms.CharField(label=_("Member number"), max_length=20)

    def __init__(self, *args, campaign: Campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["trade"].queryset = campaign.groups.all()


class AccidentForm(PortalForm):
    submit_label = _("Record the accident")
    note = forms.CharField(label=_("What happened"), max_length=200)


class AssignForm(PortalForm):
    submit_label = _("Assign")

    teams = forms.ModelMultipleChoiceField(label=_("Teams"), queryset=Team.objects.none())
    judge = forms.ModelChoiceField(label=_("Judge"), queryset=get_user_model().objects.none())

    def __init__(self, *args, campaign: Campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["teams"].queryset = campaign.teams.order_by("name")
        self.fields["teams"].widget.attrs["size"] = 6
        self.fields["judge"].queryset = role_holders(Role.JUDGE, active_only=False).order_by("username")
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select"
        self.fields["judge"].label_from_instance = lambda u: u.display_name


class ReopenForm(PortalForm):
    submit_label = _("Reopen the period")
    reason = forms.CharField(label=_("Reason"), max_length=200)


class JudgeProfileForm(PortalForm):
    org_code = forms.CharField(label=_("Works at union (code)"), max_length=32, required=False)
    enterprise = forms.ModelChoiceField(
        label=_("Works at enterprise"), queryset=Enterprise.objects.all(), required=False
    )
    title = forms.CharField(label=_("Title"), max_length=100, required=False)

    def clean_org_code(self):
        code = self.cleaned_data["org_code"].strip()
        if not code:
            return None
        org = OrgUnit.objects.filter(code=code).first()
        if org is None:
            raise forms.ValidationError(_("No unit with this code."))
        return org


class ReportForm(PortalForm):
    submit_label = _("Submit")

    team = forms.ModelChoiceField(label=_("Unit"), queryset=Team.objects.none())
    kind = forms.ChoiceField(label=_("Type"), choices=SafetyReport.Kind.choices, widget=forms.RadioSelect)
    title = forms.CharField(label=_("Title"), max_length=100)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}))
    photo = forms.FileField(
        label=_("Photo"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png", "capture": "environment"}),
    )

    def __init__(self, *args, campaign: Campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = campaign.teams.order_by("name")


class AssessForm(PortalForm):
    submit_label = _("Save the assessment")

    adopt = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("1", _("Adopt")), ("0", _("Do not adopt"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    points = forms.DecimalField(label=_("Points credited to the unit"), max_digits=5, decimal_places=2, required=False)
    estimated_benefit = forms.DecimalField(label=_("Estimated benefit (yuan)"), **MONEY, required=False)
    assessment = forms.CharField(label=_("Assessment"), max_length=200, required=False)
