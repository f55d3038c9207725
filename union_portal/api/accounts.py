"""A worker's account over the API (issue 17): SMS codes, registering, logging in by SMS code, a forgotten
password, a new mobile number. A thin layer over ``union_portal.selfservice`` (the rules of the web pages) and
``union_portal.apitokens`` (token lifetimes and revocation). No answer tells whether a number has an account:
codes for a number without one are counted but not sent, and "this number has an account" is said only to
whoever typed the right code."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotAuthenticated
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from union_portal import apitokens, selfservice
from union_portal.crypto import mask_phone
from union_portal.onetime import mobile_is_verified
from union_portal.throttling import PortalScopedRateThrottle

from .serializers import NoFormulaSerializerMixin
from .views import TokenResponseSerializer, _device_label

PURPOSES = [
    (selfservice.REGISTER, gettext_lazy("registering")),
    (selfservice.LOGIN, gettext_lazy("logging in")),
    (selfservice.PASSWORD_RESET, gettext_lazy("a forgotten password")),
    (selfservice.MOBILE_CHANGE, gettext_lazy("a new mobile number (logged in)")),
]

INVALID = OpenApiResponse(description="Invalid input: see errors (code: invalid).")
THROTTLED = OpenApiResponse(description="Too many requests (code: throttled).")
UNAUTHENTICATED = OpenApiResponse(description="Not logged in (code: not_authenticated).")


def _field_errors(exc: ValidationError) -> serializers.ValidationError:
    """The services' ValidationError as the API's: the web forms' ``password1`` is the API's ``password``."""
    if not hasattr(exc, "error_dict"):
        return serializers.ValidationError({"non_field_errors": exc.messages})
    renamed = {"password" if key == "password1" else key: value for key, value in exc.message_dict.items()}
    return serializers.ValidationError(renamed)


class CodeRequestSerializer(serializers.Serializer):
    purpose = serializers.ChoiceField(choices=PURPOSES, label=gettext_lazy("purpose"))
    mobile = serializers.CharField(max_length=20, label=gettext_lazy("mobile phone"))


class DetailSerializer(serializers.Serializer):
    detail = serializers.CharField()


class MobileSerializer(serializers.Serializer):
    mobile_masked = serializers.CharField()
    mobile_verified = serializers.BooleanField()


class RegisterSerializer(NoFormulaSerializerMixin, serializers.Serializer):
    mobile = serializers.CharField(max_length=20, label=gettext_lazy("mobile phone"))
    code = serializers.CharField(max_length=8, label=gettext_lazy("SMS code"))
    full_name = serializers.CharField(max_length=50, label=gettext_lazy("your name"))
    password = serializers.CharField(
        label=gettext_lazy("password"), style={"input_type": "password"}, trim_whitespace=False
    )


class SmsLoginSerializer(serializers.Serializer):
    mobile = serializers.CharField(max_length=20, label=gettext_lazy("mobile phone"))
    code = serializers.CharField(max_length=8, label=gettext_lazy("SMS code"))


class PasswordResetSerializer(serializers.Serializer):
    mobile = serializers.CharField(max_length=20, label=gettext_lazy("mobile phone"))
    code = serializers.CharField(max_length=8, label=gettext_lazy("SMS code"))
    password = serializers.CharField(
        label=gettext_lazy("new password"), style={"input_type": "password"}, trim_whitespace=False
    )


class MobileChangeSerializer(serializers.Serializer):
    mobile = serializers.CharField(max_length=20, label=gettext_lazy("new mobile number"))
    code = serializers.CharField(max_length=8, label=gettext_lazy("SMS code sent to the new number"))


class _Public(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [PortalScopedRateThrottle]
    throttle_scope = "token"


class SmsCodeView(APIView):
    """Send a 6-digit code by SMS for ``purpose``. The same rate limits as the web pages (one a minute and
    five an hour per number, twenty an hour per network, and the ``sms_code`` throttle). For ``register``,
    ``login`` and ``password_reset`` the answer is the same whether or not the number has an account (a number
    with an account asking to register is sent a message saying so, without a code; a number without one asking
    to log in or reset is sent nothing). ``mobile_change`` needs a logged-in user and sends the code to the new
    number."""

    permission_classes = [AllowAny]
    throttle_classes = [PortalScopedRateThrottle]
    throttle_scope = "sms_code"

    @extend_schema(
        request=CodeRequestSerializer,
        responses={202: DetailSerializer, 400: INVALID, 401: UNAUTHENTICATED, 429: THROTTLED},
    )
    def post(self, request):
        serializer = CodeRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        purpose, mobile = serializer.validated_data["purpose"], serializer.validated_data["mobile"]
        try:
            if purpose == selfservice.REGISTER:
                selfservice.register_code_send(mobile=mobile, quiet=True)
            elif purpose == selfservice.LOGIN:
                selfservice.login_code_send(mobile=mobile)
            elif purpose == selfservice.PASSWORD_RESET:
                selfservice.password_reset_code_send(mobile=mobile)
            else:
                if not request.user.is_authenticated:
                    raise NotAuthenticated
                selfservice.mobile_change_code_send(user=request.user, mobile=mobile, quiet=True)
        except ValidationError as exc:
            raise _field_errors(exc) from None
        if purpose in (selfservice.LOGIN, selfservice.PASSWORD_RESET):
            detail = _("If this number has an account, a code was sent to it.")
        else:
            detail = _("A code was sent to the mobile phone you typed.")
        return Response({"detail": detail}, status=status.HTTP_202_ACCEPTED)


class SmsRegisterView(_Public):
    """Register a worker's account with the code sent for ``register``; answers the app's tokens at once (as
    ``/api/v1/auth/token/`` does). The account holds no role; it becomes a member through a join application.
    A number that already has an account is told so only with the right code (code: invalid, errors.mobile)."""

    @extend_schema(
        request=RegisterSerializer,
        responses={201: TokenResponseSerializer, 400: INVALID, 429: THROTTLED},
    )
    def post(self, request):
        serializer = RegisterSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            user = selfservice.account_register(
                mobile=data["mobile"],
                code=data["code"],
                full_name=data["full_name"],
                password=data["password"],
                quiet=True,
            )
        except ValidationError as exc:
            raise _field_errors(exc) from None
        issued = apitokens.token_issue(user=user, label=_device_label(request))
        return Response(TokenResponseSerializer(issued).data, status=status.HTTP_201_CREATED)


class SmsLoginView(_Public):
    """Log a worker in with the mobile number and the code sent for ``login``: the app's access and refresh
    tokens. An account with a staff role must log in at ``/api/v1/auth/token/`` with its password and
    two-factor code: 403 with code ``staff_password_required`` (said only after a right code)."""

    @extend_schema(
        request=SmsLoginSerializer,
        responses={
            200: TokenResponseSerializer,
            400: INVALID,
            403: OpenApiResponse(description="A staff account: log in with password and two-factor code."),
            429: THROTTLED,
        },
    )
    def post(self, request):
        serializer = SmsLoginSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            user = selfservice.login_by_code(
                mobile=serializer.validated_data["mobile"], code=serializer.validated_data["code"]
            )
        except ValidationError as exc:
            raise _field_errors(exc) from None
        except selfservice.StaffNeedsPassword:
            return Response(
                {
                    "detail": _("Staff accounts log in with their password and two-factor code, not with an SMS code."),
                    "code": "staff_password_required",
                },
                status=status.HTTP_403_FORBIDDEN,
            )
        issued = apitokens.token_issue(user=user, label=_device_label(request))
        return Response(TokenResponseSerializer(issued).data)


class PasswordResetView(_Public):
    """Set a new password with the code sent for ``password_reset``. Every token and web session of the
    account ends (the app logs in again); the log-in lockout is lifted; a staff account keeps its second
    factor. A wrong code and a number without an account get the same answer."""

    @extend_schema(
        request=PasswordResetSerializer,
        responses={200: DetailSerializer, 400: INVALID, 429: THROTTLED},
    )
    def post(self, request):
        serializer = PasswordResetSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            selfservice.password_reset(mobile=data["mobile"], code=data["code"], password=data["password"])
        except ValidationError as exc:
            raise _field_errors(exc) from None
        return Response(
            {"detail": _("Your password was changed. Log in with your mobile number and the new password.")}
        )


class MobileChangeView(APIView):
    """Give the logged-in account the new number that received the ``mobile_change`` code; it is verified at
    once and is the number to log in with."""

    permission_classes = [IsAuthenticated]
    throttle_classes = [PortalScopedRateThrottle]
    throttle_scope = "token"

    @extend_schema(
        request=MobileChangeSerializer,
        responses={200: MobileSerializer, 400: INVALID, 401: UNAUTHENTICATED, 429: THROTTLED},
    )
    def post(self, request):
        serializer = MobileChangeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            user = selfservice.mobile_change_confirm(
                user=request.user, mobile=serializer.validated_data["mobile"], code=serializer.validated_data["code"]
            )
        except ValidationError as exc:
            raise _field_errors(exc) from None
        return Response({"mobile_masked": mask_phone(user.mobile), "mobile_verified": mobile_is_verified(user)})
