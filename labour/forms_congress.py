"""Forms of workers' congress sessions and open factory affairs. The rules (quorum, votes, dates) are the
service's; the forms only parse."""

from django import forms
from django.utils.translation import gettext_lazy as _

from union_portal.forms import PortalForm
from union_portal.widgets import DateInput

from .models import OpenAffairsItem


class InnerForm(PortalForm):
    """Rendered inside a <form> the template writes (several parts, one submit button)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.form_tag = False
        self.helper.inputs = []
        self.helper.disable_csrf = True


class SessionForm(InnerForm):
    enterprise = forms.ModelChoiceField(label=_("Enterprise"), queryset=None)
    held_on = forms.DateField(label=_("Held on"), widget=DateInput())
    delegates = forms.IntegerField(label=_("Delegates elected"), min_value=1, max_value=100000)
    present = forms.IntegerField(label=_("Delegates present"), min_value=0, max_value=100000)
    agenda = forms.CharField(label=_("Agenda"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, enterprises, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = enterprises


class ResolutionForm(InnerForm):
    title = forms.CharField(label=_("Resolution"), max_length=200, required=False)
    votes_for = forms.IntegerField(label=_("For"), min_value=0, required=False)
    votes_against = forms.IntegerField(label=_("Against"), min_value=0, required=False)
    abstentions = forms.IntegerField(label=_("Abstentions"), min_value=0, required=False)

    def clean(self):
        data = super().clean()
        if data.get("title") and data.get("votes_for") is None:
            self.add_error("votes_for", _("Give the votes for."))
        if not data.get("title") and any(data.get(k) for k in ("votes_for", "votes_against", "abstentions")):
            self.add_error("title", _("Give the resolution's title."))
        return data


ResolutionFormSet = forms.formset_factory(ResolutionForm, extra=3, max_num=20, absolute_max=20)


class OpenAffairsForm(InnerForm):
    enterprise = forms.ModelChoiceField(label=_("Enterprise"), queryset=None)
    subject = forms.CharField(label=_("What was published"), max_length=200)
    published_on = forms.DateField(label=_("Published on"), widget=DateInput())
    channel = forms.ChoiceField(label=_("How"), choices=OpenAffairsItem.Channel.choices)
    note = forms.CharField(label=_("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, enterprises, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = enterprises


class RuleForm(InnerForm):
    quorum_numerator = forms.IntegerField(label=_("Quorum: numerator"), min_value=1, max_value=99)
    quorum_denominator = forms.IntegerField(label=_("Quorum: denominator"), min_value=1, max_value=99)
    majority_numerator = forms.IntegerField(label=_("Majority: numerator"), min_value=1, max_value=99)
    majority_denominator = forms.IntegerField(label=_("Majority: denominator"), min_value=1, max_value=99)
