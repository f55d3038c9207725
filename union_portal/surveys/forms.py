from django import forms
from django.utils.translation import gettext_lazy as _

from union_portal.forms import NoFormulaMixin, PortalForm
from union_portal.widgets import DateInput

from .models import SurveyQuestion


class SurveyForm(PortalForm):
    submit_label = _("Create draft")

    title = forms.CharField(label=_("Title"), max_length=200)
    service = forms.CharField(label=_("Service assessed"), max_length=100, help_text=_("e.g. claims handling"))
    intro = forms.CharField(label=_("Introduction"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    questions = forms.CharField(
        label=_("Rating questions"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One question per line; members rate each from 1 (very dissatisfied) to 5 (very satisfied)."),
    )
    with_comment = forms.BooleanField(label=_("Add a comment box at the end"), required=False, initial=True)
    closes_on = forms.DateField(label=_("Closes on"), required=False, widget=DateInput())


class SurveyAnswerForm(NoFormulaMixin, forms.Form):
    """One radio group (1–5) per rating question, a text box per comment question; big touch targets."""

    def __init__(self, *args, questions: list[SurveyQuestion], **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        choices = [(i, str(i)) for i in range(1, 6)]
        for q in questions:
            if q.kind == SurveyQuestion.Kind.RATING:
                self.fields[f"q{q.pk}"] = forms.TypedChoiceField(
                    label=q.text,
                    choices=choices,
                    coerce=int,
                    widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
                )
            else:
                self.fields[f"q{q.pk}"] = forms.CharField(
                    label=q.text, required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
                )

    def ratings(self) -> dict[int, int]:
        return {q.pk: self.cleaned_data[f"q{q.pk}"] for q in self.questions if q.kind == SurveyQuestion.Kind.RATING}

    def comments(self) -> dict[int, str]:
        return {q.pk: self.cleaned_data[f"q{q.pk}"] for q in self.questions if q.kind == SurveyQuestion.Kind.TEXT}
