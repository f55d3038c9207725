"""Forms of the harmonious-enterprise ratings: input shape only; the services decide what is allowed."""

from django import forms
from django.utils.translation import gettext_lazy as _

from union_portal.forms import PortalForm as _PortalForm
from union_portal.notices.forms import ObjectionAnswerForm, ObjectionForm  # noqa: F401  (the core's, used by the views)
from union_portal.notices.models import ReviewStep
from union_portal.widgets import DateInput

from .models import RatingLevel

DATE = DateInput()


class PortalForm(_PortalForm):
    """Our templates write the <form> tag themselves (several forms post to different URLs on one page)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.form_tag = False


class BatchForm(PortalForm):
    submit_label = _("Create batch")

    title = forms.CharField(label=_("title"), max_length=200, help_text=_("For example: the fifth city-level batch."))
    level = forms.ChoiceField(label=_("level"), choices=RatingLevel.choices)
    period_start = forms.DateField(label=_("assessment period from"), widget=DATE)
    period_end = forms.DateField(label=_("assessment period until"), widget=DATE)
    apply_by = forms.DateField(label=_("self-assessments due by"), widget=DATE)
    pass_score = forms.DecimalField(label=_("pass score"), min_value=0, max_value=100, initial=80, decimal_places=2)
    term_years = forms.IntegerField(label=_("term of the title (years)"), min_value=1, max_value=10, initial=3)


class IndicatorForm(PortalForm):
    submit_label = _("Save indicator")

    weight = forms.IntegerField(label=_("weight (points)"), min_value=0, max_value=100)
    threshold = forms.DecimalField(
        label=_("threshold (%)"),
        min_value=0,
        max_value=100,
        decimal_places=2,
        required=False,
        help_text=_("Rates only: the lowest percentage that meets the indicator."),
    )
    required = forms.BooleanField(label=_("must be met"), required=False)


class ApplyForm(PortalForm):
    submit_label = _("Start self-assessment")

    enterprise = forms.ModelChoiceField(label=_("enterprise"), queryset=None)

    def __init__(self, *args, enterprises, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = enterprises


class AssessmentForm(PortalForm):
    submit_label = _("Save self-assessment")

    contract_rate = forms.DecimalField(
        label=_("labour-contract signing rate (%)"), min_value=0, max_value=100, decimal_places=2
    )
    insurance_rate = forms.DecimalField(
        label=_("social insurance coverage (%)"), min_value=0, max_value=100, decimal_places=2
    )
    wages_on_time = forms.BooleanField(label=_("wages paid on time throughout the period"), required=False)
    safety_ok = forms.BooleanField(label=_("no serious safety accident in the period"), required=False)
    statement = forms.CharField(
        label=_("self-assessment"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class EvidenceForm(PortalForm):
    submit_label = _("Upload")

    description = forms.CharField(label=_("what it shows"), max_length=200)
    file = forms.FileField(label=_("file (PDF, JPEG or PNG)"))


class ReviewForm(PortalForm):
    submit_label = _("Record decision")

    decision = forms.ChoiceField(label=_("decision"), choices=ReviewStep.Decision.choices, widget=forms.RadioSelect)
    comment = forms.CharField(label=_("comments"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class NoticeForm(PortalForm):
    submit_label = _("Start public notice")

    starts_on = forms.DateField(label=_("public notice from"), widget=DATE)


class NameForm(PortalForm):
    submit_label = _("Name the enterprise")

    named_on = forms.DateField(label=_("named on"), widget=DATE)


class ReasonForm(PortalForm):
    submit_label = _("Confirm")

    reason = forms.CharField(label=_("reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
