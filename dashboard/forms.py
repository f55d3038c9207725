from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from union_portal.forms import PortalForm
from union_portal.surveys.models import Survey

from .models import AssessmentItem
from .registry import metric_choices


class SchemeForm(PortalForm):
    submit_label = _("Create draft")

    title = forms.CharField(label=_("Title"), max_length=200)
    period = forms.CharField(label=_("Year"), max_length=4, initial=lambda: str(timezone.localdate().year))


class ItemForm(PortalForm):
    submit_label = _("Add item")

    title = forms.CharField(label=_("Item"), max_length=200)
    kind = forms.ChoiceField(label=_("Type"), choices=AssessmentItem.Kind.choices)
    weight = forms.DecimalField(label=_("Points"), max_digits=6, decimal_places=2, min_value=0)
    metric = forms.ChoiceField(label=_("Portal figure"), required=False)
    target = forms.DecimalField(
        label=_("Target"), required=False, max_digits=12, decimal_places=2, help_text=_("Full points at this value")
    )
    lower_is_better = forms.BooleanField(label=_("Lower is better (e.g. days to payment)"), required=False)
    survey = forms.ModelChoiceField(label=_("Survey"), queryset=Survey.objects.none(), required=False)
    guidance = forms.CharField(label=_("Guidance for the units"), max_length=300, required=False)

    def __init__(self, *args, surveys, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["metric"].choices = [("", "—"), *metric_choices()]
        self.fields["survey"].queryset = surveys


class EntryForm(PortalForm):
    submit_label = _("Submit")

    statement = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 4}))
    evidence = forms.FileField(label=_("Evidence (PDF or photo)"), required=False)


class ScoreForm(PortalForm):
    submit_label = _("Save score")

    score = forms.DecimalField(label=_("Score"), max_digits=6, decimal_places=2, min_value=0)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)
