"""A worker's own account in the browser: register by SMS code, reset a forgotten password by SMS code, change
the mobile number. The views parse input and call ``union_portal.selfservice``; each page is one form with a
“Send code” button that posts it back (works without JavaScript)."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import onetime, selfservice
from .forms import SEND_CODE, LoginForm, PortalForm, SmsCodeFormMixin, apply_validation_error

MOBILE_WIDGET = forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"})
CODE_WIDGET = forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"})


class _PasswordsMixin:
    def clean(self):
        cleaned = super().clean()  # type: ignore[misc]
        if cleaned.get("password1") and cleaned.get("password2") and cleaned["password1"] != cleaned["password2"]:
            self.add_error("password2", _("The two passwords differ."))  # type: ignore[attr-defined]
        return cleaned


def _password_fields(first_label):
    return (
        forms.CharField(
            label=first_label, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}), strip=False
        ),
        forms.CharField(
            label=gettext_lazy("Password again"),
            widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
            strip=False,
        ),
    )


class RegisterForm(_PasswordsMixin, SmsCodeFormMixin, PortalForm):
    submit_label = gettext_lazy("Register")
    mobile = forms.CharField(label=gettext_lazy("Mobile phone"), max_length=20, widget=MOBILE_WIDGET)
    code = forms.CharField(label=gettext_lazy("SMS code"), max_length=8, required=False, widget=CODE_WIDGET)
    full_name = forms.CharField(label=gettext_lazy("Your name"), max_length=50)
    password1, password2 = _password_fields(gettext_lazy("Password"))
    next = forms.CharField(required=False, widget=forms.HiddenInput)


class PasswordResetForm(_PasswordsMixin, SmsCodeFormMixin, PortalForm):
    submit_label = gettext_lazy("Set the new password")
    mobile = forms.CharField(label=gettext_lazy("Mobile phone"), max_length=20, widget=MOBILE_WIDGET)
    code = forms.CharField(label=gettext_lazy("SMS code"), max_length=8, required=False, widget=CODE_WIDGET)
    password1, password2 = _password_fields(gettext_lazy("New password"))


class MobileChangeForm(SmsCodeFormMixin, PortalForm):
    submit_label = gettext_lazy("Change the mobile number")
    mobile = forms.CharField(label=gettext_lazy("New mobile number"), max_length=20, widget=MOBILE_WIDGET)
    code = forms.CharField(label=gettext_lazy("SMS code sent to the new number"), max_length=8, required=False)


def safe_next(request, value: str | None = None) -> str:
    """``next`` from the form or the query when it points into this site, else ""."""
    target = value if value is not None else request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


def sms_hint() -> bool:
    """In development the logging SMS backend writes codes to the server log: say so (never in production)."""
    return bool(settings.DEBUG and settings.SMS_BACKEND.endswith("LoggingSmsBackend"))


def _render(request, form, *, title: str, intro: str = "", links=(), status: int = 200):
    return render(
        request,
        "registration/selfservice_form.html",
        {"form": form, "title": title, "intro": intro, "links": links, "sms_hint": sms_hint()},
        status=status,
    )


def _sent_again(request, form_class, keep: tuple[str, ...], send) -> forms.Form:
    """The “Send code” button: call ``send`` with the typed number, show the outcome as a message, and return a
    fresh form holding what was typed in ``keep`` (never the passwords)."""
    try:
        send(request.POST.get("mobile", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("A code was sent to the mobile phone you typed. Enter it below."))
    return form_class(initial={name: request.POST.get(name, "") for name in keep})


def register(request):
    """Register with a mobile number and an SMS code; logged in at once, then sent on to ``next``."""
    if request.user.is_authenticated:
        return redirect(safe_next(request) or "home")
    next_url = safe_next(request)
    login_link = reverse("login") + (f"?{urlencode({'next': next_url})}" if next_url else "")
    links = [(login_link, _("I have an account: log in")), (reverse("password_reset_sms"), _("Forgot password"))]
    title = _("Register")
    intro = _("Register with your mobile number. We send a code by SMS to check the number is yours.")
    if request.method == "POST" and SEND_CODE in request.POST:
        form = _sent_again(
            request, RegisterForm, ("mobile", "full_name", "next"), lambda m: selfservice.register_code_send(mobile=m)
        )
        return _render(request, form, title=title, intro=intro, links=links)
    form = RegisterForm(request.POST or None, initial={"next": next_url})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = selfservice.account_register(
                mobile=data["mobile"], code=data["code"], full_name=data["full_name"], password=data["password1"]
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            auth_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Your account is ready. You log in with your mobile number."))
            return redirect(safe_next(request, data.get("next")) or "home")
    return _render(request, form, title=title, intro=intro, links=links)


def password_reset_sms(request):
    """Forgot password: a code to the account's mobile, then a new password. The page answers the same whether
    or not the number has an account."""
    title = _("Forgot password")
    intro = _("Enter the mobile number of your account. If it has an account, we send it a code by SMS.")
    links = [
        (reverse("login"), _("Back to log in")),
        (reverse("register"), _("Register")),
        ("/members/lost-mobile/", _("I lost the mobile number of my account")),
    ]
    if request.method == "POST" and SEND_CODE in request.POST:
        form = PasswordResetForm(initial={"mobile": request.POST.get("mobile", "")})
        try:
            selfservice.password_reset_code_send(mobile=request.POST.get("mobile", ""))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request, _("If this number has an account, a code was sent to it. Enter it below with a new password.")
            )
        return _render(request, form, title=title, intro=intro, links=links)
    form = PasswordResetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            selfservice.password_reset(mobile=data["mobile"], code=data["code"], password=data["password1"])
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(
                request, _("Your password was changed. Log in with your mobile number and the new password.")
            )
            return redirect("login")
    return _render(request, form, title=title, intro=intro, links=links)


@login_required
def mobile_change(request):
    """Change the account's mobile number: a code sent to the new number confirms it."""
    title = _("Change mobile number")
    intro = _("We send a code to the new number; enter it here to confirm the number is yours.")
    if request.method == "POST" and SEND_CODE in request.POST:
        form = _sent_again(
            request,
            MobileChangeForm,
            ("mobile",),
            lambda m: selfservice.mobile_change_code_send(user=request.user, mobile=m),
        )
        return _render(request, form, title=title, intro=intro)
    form = MobileChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            selfservice.mobile_change_confirm(
                user=request.user, mobile=form.cleaned_data["mobile"], code=form.cleaned_data["code"]
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Your mobile number was changed."))
            return redirect("home")
    current = request.user.mobile
    if current:
        if onetime.mobile_is_verified(request.user):
            now_line = _("Your verified number ends in %(last)s.") % {"last": current[-4:]}
        else:
            now_line = _("Your number ends in %(last)s; it is not verified yet.") % {"last": current[-4:]}
        intro = f"{now_line} {intro}"
    return _render(request, form, title=title, intro=intro)


class LoginView(auth_views.LoginView):
    """Django's login with a username or a verified mobile number (``forms.LoginForm``), and the ways in for
    someone without an account: register, forgot password, apply to join."""

    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        next_url = safe_next(self.request)
        query = f"?{urlencode({'next': next_url})}" if next_url else ""
        context.update(
            register_url=reverse("register") + query,
            join_url=reverse("members:join_start"),
            sms_hint=sms_hint(),
        )
        return context
