"""Input shape and validation only; the services decide what is allowed."""

from django import forms
from django.utils.translation import gettext_lazy as _

from union_portal import tree
from union_portal.forms import PortalForm as _PortalForm
from union_portal.models import OrgUnit
from union_portal.notices.forms import ObjectionAnswerForm, ObjectionForm  # noqa: F401  (the core's, used by the views)
from union_portal.notices.models import ReviewStep
from union_portal.widgets import DateInput

from .models import AwardType, CompositionRule, HonourLevel

# (kind, name, level): award types offered when a round is created. Names are the union's own titles.
PRESET_TYPES = [
    (AwardType.Kind.ADVANCED_COLLECTIVE, "先进集体", HonourLevel.DISTRICT),
    (AwardType.Kind.ADVANCED_INDIVIDUAL, "先进个人", HonourLevel.DISTRICT),
    (AwardType.Kind.MODEL_WORKER, "劳动模范", HonourLevel.DISTRICT),
    (AwardType.Kind.WORKER_PIONEER, "工人先锋号", HonourLevel.DISTRICT),
    (AwardType.Kind.MAY_DAY_MEDAL, "五一劳动奖章（推荐）", HonourLevel.CITY),
]


def _preset_choices() -> list[tuple[str, str]]:
    # a callable: the level is named in the language of the request, not of the process start
    return [(str(i), f"{name}（{HonourLevel(level).label}）") for i, (_k, name, level) in enumerate(PRESET_TYPES)]


class PortalForm(_PortalForm):
    """Our templates write the <form> tag themselves (several forms post to different URLs on one page)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.form_tag = False


DATE = DateInput()


class RoundDatesForm(PortalForm):
    nominations_open = forms.DateField(label=_("nominations open"), widget=DATE)
    nominations_close = forms.DateField(label=_("nominations close"), widget=DATE)
    township_review_by = forms.DateField(label=_("township review by"), widget=DATE)
    district_review_by = forms.DateField(label=_("district review by"), widget=DATE)
    notice_planned = forms.DateField(label=_("public notice planned from"), widget=DATE)
    notice_working_days = forms.IntegerField(label=_("public notice (working days)"), min_value=1, initial=5)
    recent_honour_years = forms.IntegerField(
        label=_("no same or higher honour in the previous (years)"), min_value=0, max_value=20, initial=5
    )


class RoundCreateForm(RoundDatesForm):
    submit_label = _("Create round")

    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("title"), max_length=200)
    issuer = forms.CharField(label=_("issued by (on certificates)"), max_length=100, required=False)
    award_types = forms.MultipleChoiceField(
        label=_("award types"),
        choices=_preset_choices,
        widget=forms.CheckboxSelectMultiple,
        initial=[str(i) for i in range(len(PRESET_TYPES))],
        required=False,
        help_text=_("More types can be added before the round opens."),
    )

    field_order = ["year", "title", "issuer", "award_types"]

    def chosen_types(self) -> list[tuple[str, str, int]]:
        return [PRESET_TYPES[int(i)] for i in self.cleaned_data["award_types"]]


class AwardTypeForm(PortalForm):
    submit_label = _("Add award type")

    kind = forms.ChoiceField(label=_("kind"), choices=AwardType.Kind.choices)
    name = forms.CharField(label=_("name"), max_length=100)
    level = forms.TypedChoiceField(label=_("honour level"), choices=HonourLevel.choices, coerce=int)


class QuotaForm(PortalForm):
    submit_label = _("Set quota")

    award_type = forms.ModelChoiceField(label=_("award type"), queryset=AwardType.objects.none())
    union = forms.ModelChoiceField(label=_("nominating union"), queryset=OrgUnit.objects.none())
    places = forms.IntegerField(label=_("places"), min_value=0, max_value=999)

    def __init__(self, *args, round_, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["award_type"].queryset = round_.award_types.all()
        self.fields["union"].queryset = OrgUnit.objects.filter(
            tree.subtree_q(round_.org),
            depth__gt=round_.org.depth,
            kind__in=[OrgUnit.Kind.TOWNSHIP, OrgUnit.Kind.INDUSTRY, OrgUnit.Kind.REGIONAL, OrgUnit.Kind.GRASSROOTS],
            status=OrgUnit.Status.ACTIVE,
        ).order_by("path")


class RuleForm(PortalForm):
    submit_label = _("Save rule")

    comparison = forms.ChoiceField(label=_("comparison"), choices=CompositionRule.Comparison.choices)
    percent = forms.DecimalField(label=_("percent"), min_value=0, max_value=100, decimal_places=2)
    blocks_notice = forms.BooleanField(label=_("must hold before public notice"), required=False)


class NoticeForm(PortalForm):
    submit_label = _("Start public notice")

    starts_on = forms.DateField(label=_("public notice from"), widget=DATE)
    working_days = forms.IntegerField(label=_("working days"), min_value=1, initial=5)


class NominationForm(PortalForm):
    submit_label = _("Save draft")

    award_type = forms.ModelChoiceField(label=_("award type"), queryset=AwardType.objects.none())
    member = forms.ModelChoiceField(
        label=_("member (individual awards)"),
        queryset=None,
        required=False,
        help_text=_("Pick the member from your roll."),
    )
    candidate_org = forms.ModelChoiceField(
        label=_("unit (collective awards)"), queryset=None, required=False, help_text=_("A union or a union group.")
    )
    deeds_summary = forms.CharField(
        label=_("summary of deeds (public)"),
        max_length=600,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Shown on the public notice: no ID numbers, phones or addresses."),
    )
    deeds_file = forms.FileField(label=_("deeds (事迹材料)"), help_text=_("PDF, JPEG or PNG"))
    congress_file = forms.FileField(
        label=_("workers' congress approval"), required=False, help_text=_("Needed before submitting.")
    )

    MEMBER_CHOICES = 200

    def __init__(self, *args, round_, members, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["award_type"].queryset = round_.award_types.all()
        # The whole roll validates the choice; the list offers the first MEMBER_CHOICES (search narrows it),
        # so a township of thousands of members does not render a select of thousands.
        self.fields["member"].queryset = members
        self.fields["member"].widget.choices = [("", "---------")] + [
            (m.pk, f"{m.name}（{m.member_number}，{m.org.name}）") for m in members[: self.MEMBER_CHOICES]
        ]
        self.fields["candidate_org"].queryset = units
        # htmx: choosing the type or the candidate refreshes the preview (quota, composition, past honours)
        from django.urls import reverse

        live = {
            "hx-get": reverse("awards:nomination_preview", args=[round_.pk]),
            "hx-trigger": "change",
            "hx-target": "#nomination-preview",
            "hx-include": "[name=award_type],[name=member],[name=candidate_org]",
        }
        for name in ("award_type", "member", "candidate_org"):
            self.fields[name].widget.attrs.update(live)


class NominationEditForm(PortalForm):
    deeds_summary = NominationForm.base_fields["deeds_summary"]
    deeds_file = forms.FileField(label=_("replace the deeds"), required=False)
    congress_file = forms.FileField(label=_("workers' congress approval"), required=False)


class ReviewForm(PortalForm):
    submit_label = _("Record decision")

    decision = forms.ChoiceField(label=_("decision"), choices=ReviewStep.Decision.choices, widget=forms.RadioSelect)
    comment = forms.CharField(label=_("comments"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class WithdrawForm(PortalForm):
    submit_label = _("Withdraw candidate")

    reason = forms.CharField(label=_("reason for withdrawal"), max_length=200)


class HolidayForm(PortalForm):
    submit_label = _("Save day")

    date = forms.DateField(label=_("date"), widget=DATE)
    is_workday = forms.BooleanField(label=_("working day (make-up working day)"), required=False)
    name = forms.CharField(label=_("name"), max_length=50, required=False)


class HolidayFillForm(PortalForm):
    submit_label = _("Fill from the State Council's holiday schedule")

    year = forms.IntegerField(label=_("year"), min_value=2004, max_value=2100)
