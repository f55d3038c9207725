"""Forms of the public-notice capability, shared by every app that puts something on notice (award candidates,
harmonious-enterprise ratings): filing an objection with real name and a proven mobile phone, and answering one."""

from django import forms
from django.utils.translation import gettext_lazy as _

from union_portal.forms import PortalForm as _PortalForm
from union_portal.forms import SmsCodeFormMixin

from .models import Objection


class PortalForm(_PortalForm):
    """The pages write the <form> tag themselves (several forms post to different URLs on one page)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.form_tag = False


class ObjectionForm(SmsCodeFormMixin, PortalForm):
    submit_label = _("File objection")

    name = forms.CharField(label=_("your real name"), max_length=50)
    phone = forms.CharField(label=_("mobile phone"), max_length=20)
    code = forms.CharField(
        label=_("SMS code"),
        max_length=6,
        help_text=_("Press “Send code” to receive it on the mobile phone above."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )
    content = forms.CharField(label=_("objection"), max_length=2000, widget=forms.Textarea(attrs={"rows": 5}))

    def clean_phone(self):
        from union_portal.identity import validate_mobile

        return validate_mobile(self.cleaned_data["phone"])


class ObjectionAnswerForm(PortalForm):
    submit_label = _("Answer")

    status = forms.ChoiceField(
        label=_("finding"),
        choices=[
            (Objection.Status.UPHELD, Objection.Status.UPHELD.label),
            (Objection.Status.DISMISSED, Objection.Status.DISMISSED.label),
        ],
    )
    answer = forms.CharField(label=_("answer"), widget=forms.Textarea(attrs={"rows": 4}))
