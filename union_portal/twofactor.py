"""Two-factor authentication (TOTP with recovery codes, django-otp) for every account that holds a role or
may use the admin.

An authenticator is bound to an account only through a one-time enrolment link (``enrolment_link_send``),
sent to the person's own mobile (and e-mail, if set) when the account is created or its 2FA is reset: the
password alone never binds one (a manager, or anyone who learnt the password, cannot enrol their own phone).
The link's page sets the person's own password (managers choose none) and the authenticator (QR code, confirm
a code, receive 10 one-time recovery codes). After the password, a role holder without a confirmed
authenticator is told to use the link (and may have a new one sent to their own mobile); one with an
authenticator enters its code (or a recovery code). Until then every page except these and log-out redirects
here, and the API answers 403."""

import segno
from django import forms
from django.conf import settings
from django.contrib.auth import login as auth_login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
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

from . import onetime
from .audit import audit_record
from .forms import PortalForm, apply_validation_error
from .models import AuditLog, User
from .scoping import assignments_of
from .sms import SmsError, get_backend

ENROL_PURPOSE = "enrol"

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


def enrolment_link_send(*, user: User, by: User | None = None) -> str:
    """Issue a one-time enrolment link for ``user`` (onetime.issue_link: single use, expires after
    ONETIME_LINK_TTL, earlier links stop working) and send it to the person's own mobile by SMS, and to their
    e-mail if set. Returns the URL (for ``createsuperuser`` to print to the person at the console; never show it
    to another person). Audited as ``auth.enrol_link``."""
    url = settings.SITE_URL.rstrip("/") + reverse(
        "twofactor_enrol", args=[onetime.issue_link(purpose=ENROL_PURPOSE, user=user, by=by)]
    )
    text = _(
        "Union portal: set your password and authenticator for account %(username)s at %(url)s "
        "(valid for %(days)s days, once). If you did not expect this, ignore it."
    ) % {"username": user.username, "url": url, "days": settings.ONETIME_LINK_TTL.days}
    channels = []
    if user.mobile:
        try:
            get_backend().send(user.mobile, text)
            channels.append("sms")
        except SmsError:
            pass  # the e-mail, or a new link later ("send a new link"), still reaches the person
    if user.email:
        send_mail(_("Set up your union portal account"), text, None, [user.email], fail_silently=True)
        channels.append("email")
    audit_record(actor=by or user, action="auth.enrol_link", obj=user, detail={"channels": channels})
    return url


class EnrolForm(SetPasswordForm):
    """The enrolment link's page: the person's own password, and a code from the authenticator being bound."""

    code = forms.CharField(
        label=gettext_lazy("Six-digit code from your authenticator app"),
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


def enrol(request, token: str):
    """Open to anyone holding the link (they are not logged in yet: a new account has no password). A valid
    link shows the authenticator's QR code and asks for a new password and a code from the app; both correct,
    the link is used up, the password set, the authenticator confirmed, the mobile marked verified (the link was
    sent there) and the person logged in past the second factor."""
    try:
        user = onetime.check_link(purpose=ENROL_PURPOSE, token=token)
    except ValidationError as exc:
        return render(request, "union_portal/twofactor_enrol_invalid.html", {"message": exc.messages[0]}, status=404)
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first() or TOTPDevice.objects.create(
        user=user, name="default", confirmed=False
    )
    form = EnrolForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"].strip().replace(" ", "")):
            try:
                with transaction.atomic():
                    onetime.use_link(purpose=ENROL_PURPOSE, token=token)
                    TOTPDevice.objects.filter(user=user, confirmed=True).delete()
                    device.confirmed = True
                    device.save()
                    form.save()
                    codes = _new_recovery_codes(user)
                    onetime.mark_mobile_verified(user)
                    audit_record(actor=user, action="auth.2fa_setup", obj=user)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                auth_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                otp_login(request, device)
                return render(request, "union_portal/twofactor_codes.html", {"codes": codes, "next": reverse("home")})
        else:
            form.add_error("code", _("The code is wrong or has expired. Enter the current code from the app."))
    qr_svg = segno.make(device.config_url, error="m").svg_inline(scale=5)
    return render(
        request,
        "union_portal/twofactor_enrol.html",
        {"form": form, "qr_svg": qr_svg, "secret": _base32(device), "account": user},
    )


@login_required
def setup(request):
    """A role holder without an authenticator: the password alone binds none. They are told to open the
    enrolment link sent to their mobile, and may have a new one sent there (rate-limited)."""
    user = request.user
    if has_confirmed_device(user):
        return redirect("twofactor_verify")
    sent = False
    error = ""
    if request.method == "POST":
        if not (user.mobile or user.email):
            error = _("Your account has no mobile number or e-mail. Ask your administrator to add one.")
        else:
            try:
                enrolment_link_send(user=user)
            except ValidationError as exc:
                error = exc.messages[0]
            else:
                sent = True
    masked = f"{user.mobile[:3]}****{user.mobile[-4:]}" if user.mobile else ""
    return render(
        request,
        "union_portal/twofactor_setup.html",
        {"sent": sent, "error": error, "masked_mobile": masked, "next": _next(request)},
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
