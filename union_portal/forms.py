from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .validators import no_formula


class LoginForm(AuthenticationForm):
    """Staff log in with their username; a worker who registered by SMS with the mobile number."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Username or mobile number")
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_username(self):
        from .selfservice import login_username

        return login_username(self.cleaned_data.get("username", ""))


class PortalPasswordChangeForm(PasswordChangeForm):
    """The current password is checked like a log-in (union_portal.auth.current_password_ok): not an oracle."""

    def __init__(self, user, *args, request, **kwargs):
        self.request = request
        super().__init__(user, *args, **kwargs)

    def clean_old_password(self):
        from .auth import current_password_ok

        old_password = self.cleaned_data["old_password"]
        if not current_password_ok(request=self.request, user=self.user, password=old_password):
            raise ValidationError(self.error_messages["password_incorrect"], code="password_incorrect")
        return old_password


class NoFormulaMixin:
    """Every text field of the form refuses text that begins with "=" (``validators.no_formula``): names
    and free text typed by people end up in Excel exports. Attached at validation time, so fields a form
    adds in its own ``__init__`` are covered too; passwords are left alone."""

    def full_clean(self):
        for field in self.fields.values():  # type: ignore[attr-defined]
            if (
                isinstance(field, forms.CharField)
                and not isinstance(field.widget, forms.PasswordInput)
                and no_formula not in field.validators
            ):
                field.validators.append(no_formula)
        super().full_clean()  # type: ignore[misc]


class PortalFormMixin(NoFormulaMixin):
    """Render with crispy-bootstrap5 (``{% crispy form %}``) and a submit button labelled ``submit_label``."""

    submit_label = _("Save")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", self.submit_label))


class PortalForm(PortalFormMixin, forms.Form):
    pass


class PortalModelForm(PortalFormMixin, forms.ModelForm):
    pass


def apply_validation_error(form: forms.Form, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form: field errors by field, the rest at the top."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


SEND_CODE = "send_code"


class SecondarySubmit(Submit):
    """A second submit button drawn as a secondary action (crispy's Submit is always btn-primary, and adding
    an outline class to it gave a light-on-blue button that could hardly be read)."""

    field_classes = "btn btn-outline-secondary"


class SmsCodeFormMixin:
    """A form whose mobile number is proven by a one-time SMS code (union_portal.onetime): a second button,
    “Send code”, posts the form back to the view, which calls ``send_sms_code``. Put it before PortalForm."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # first: the code is asked for before the form can be sent
        self.helper.inputs.insert(  # type: ignore[attr-defined]
            0, SecondarySubmit(SEND_CODE, _("Send code"), formnovalidate="formnovalidate")
        )


def send_sms_code(request, form_class, *, purpose: str, phone_field: str, **form_kwargs):
    """When the “Send code” button was pressed: send a code for ``purpose`` to the number typed in
    ``phone_field`` and return a fresh form holding what was typed (files must be chosen again); otherwise
    None. The result is a flash message without the number (no personal data in messages)."""
    from django.contrib import messages

    from . import onetime

    if request.method != "POST" or SEND_CODE not in request.POST:
        return None
    try:
        onetime.issue_code(purpose=purpose, mobile=request.POST.get(phone_field, ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("A code was sent to the mobile phone you typed. Enter it below."))
    initial = {name: request.POST.get(name, "") for name in form_class.base_fields if name != "code"}
    return form_class(initial=initial, **form_kwargs)
