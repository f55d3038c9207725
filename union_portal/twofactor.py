"""Two-factor authentication (TOTP with recovery codes, django-otp) for every account that holds a role or
may use the admin.

After the password, a staff user without a confirmed authenticator sets one up (QR code, confirm a code,
receive 10 one-time recovery codes); one with an authenticator enters its code (or a recovery code). Until
then every page except these and log-out redirects here, and the API answers 403."""

import segno
from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .audit import audit_record
from .forms import PortalForm
from .models import AuditLog
from .scoping import assignments_of

RECOVERY_CODES = 10
EXEMPT_PREFIXES = ("/accounts/2fa/", "/accounts/logout/", "/static/", "/i18n/", "/healthz", "/api/v1/auth/token/")


def requires_two_factor(user) -> bool:
    """Every account that can reach staff pages (any role assignment) or the admin (``is_staff``,
    ``is_superuser``), when OTP_REQUIRED. Members who hold no role use a password only."""
    if not (settings.OTP_REQUIRED and getattr(user, "is_authenticated", False)):
        return False
    return bool(user.is_staff or user.is_superuser or assignments_of(user))


def has_confirmed_device(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


class RequireTwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and requires_two_factor(user)
            and not user.is_verified()
            and not request.path.startswith(EXEMPT_PREFIXES)
        ):
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {"detail": _("Two-factor authentication is required."), "code": "otp_required"}, status=403
                )
            target = "twofactor_verify" if has_confirmed_device(user) else "twofactor_setup"
            return redirect(f"{reverse(target)}?next={request.get_full_path()}")
        return self.get_response(request)


class CodeForm(PortalForm):
    submit_label = gettext_lazy("Verify")
    code = forms.CharField(
        label=gettext_lazy("Code from your authenticator app, or a recovery code"),
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )


def _next(request) -> str:
    target = request.GET.get("next") or request.POST.get("next") or reverse("home")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return reverse("home")
    return target


@login_required
def setup(request):
    """Register an authenticator: an unconfirmed TOTP device is kept until a code from it is entered."""
    user = request.user
    if has_confirmed_device(user):
        return redirect("twofactor_verify")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first() or TOTPDevice.objects.create(
        user=user, name="default", confirmed=False
    )
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"].strip()):
            with transaction.atomic():
                device.confirmed = True
                device.save()
                codes = _new_recovery_codes(user)
                audit_record(actor=user, action="auth.2fa_setup", obj=user)
            otp_login(request, device)
            return render(request, "union_portal/twofactor_codes.html", {"codes": codes, "next": _next(request)})
        form.add_error("code", _("The code is wrong or has expired. Enter the current code from the app."))
    qr_svg = segno.make(device.config_url, error="m").svg_inline(scale=5)
    return render(
        request,
        "union_portal/twofactor_setup.html",
        {"form": form, "qr_svg": qr_svg, "secret": _base32(device), "next": _next(request)},
    )


@login_required
def verify(request):
    user = request.user
    if not has_confirmed_device(user):
        return redirect("twofactor_setup")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(user, form.cleaned_data["code"].strip().replace(" ", ""))
        if device is not None:
            otp_login(request, device)
            audit_record(actor=user, action="auth.2fa", obj=user, detail={"device": device.__class__.__name__})
            return redirect(_next(request))
        audit_record(actor=user, action="auth.2fa", obj=user, result=AuditLog.Result.FAILED)
        form.add_error("code", _("The code is wrong or has expired."))
    return render(request, "union_portal/twofactor_verify.html", {"form": form, "next": _next(request)})


@login_required
def recovery_codes(request):
    """A verified user replaces their recovery codes (the old ones stop working)."""
    if request.method != "POST" or not request.user.is_verified():
        return redirect("home")
    with transaction.atomic():
        codes = _new_recovery_codes(request.user)
        audit_record(actor=request.user, action="auth.2fa_recovery_codes", obj=request.user)
    return render(request, "union_portal/twofactor_codes.html", {"codes": codes, "next": reverse("home")})


def _new_recovery_codes(user) -> list[str]:
    device, _created = StaticDevice.objects.get_or_create(user=user, name="recovery")
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def _base32(device: TOTPDevice) -> str:
    import base64

    return base64.b32encode(device.bin_key).decode().rstrip("=")


def token_otp_ok(user, code: str) -> bool:
    """For the API token endpoint: a staff user must give a valid code as ``otp``."""
    if not requires_two_factor(user):
        return True
    return bool(code) and match_token(user, code.strip().replace(" ", "")) is not None
