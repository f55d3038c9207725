from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from union_portal import apitokens, selfservice
from union_portal.audit import audit_record
from union_portal.throttling import PortalScopedRateThrottle
from union_portal.twofactor import token_otp_ok


class TokenSerializer(serializers.Serializer):
    username = serializers.CharField(
        label=_("username"), help_text=_("The username, or the account's verified mobile number.")
    )
    password = serializers.CharField(label=_("password"), style={"input_type": "password"}, trim_whitespace=False)
    otp = serializers.CharField(
        label=_("two-factor code"), required=False, allow_blank=True, help_text=_("Required for staff accounts.")
    )


class TokenResponseSerializer(serializers.Serializer):
    token_type = serializers.SerializerMethodField()
    access = serializers.CharField(help_text=_("Send as 'Authorization: Bearer <access>'."))
    access_expires_at = serializers.DateTimeField(
        help_text=_("When the access token ends; a staff token's end moves on with use (30 idle minutes).")
    )
    refresh = serializers.CharField(allow_null=True, help_text=_("Single-use refresh token (workers' apps only)."))
    refresh_expires_at = serializers.DateTimeField(allow_null=True)

    def get_token_type(self, obj) -> str:
        return "Bearer"


class RefreshSerializer(serializers.Serializer):
    refresh = serializers.CharField(label=_("refresh token"))


class TokenView(APIView):
    """Exchange a username and password (and, for staff, a second-factor code) for API tokens. Lockout
    (django-axes) applies as on the login page. Staff get one token that ends after 30 idle minutes and 12 hours
    in any case (``refresh`` is null); a worker's app gets an access token (about an hour) and a refresh token
    (about 30 days, single use: see ``/api/v1/auth/token/refresh/``)."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [PortalScopedRateThrottle]
    throttle_scope = "token"

    @extend_schema(
        request=TokenSerializer,
        responses={200: TokenResponseSerializer},
        auth=[],  # no "security" on the operation: generated clients log in without a token (not [{}])
    )
    def post(self, request):
        serializer = TokenSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = authenticate(
            request._request,
            username=selfservice.login_username(serializer.validated_data["username"]),
            password=serializer.validated_data["password"],
        )
        if user is None or not user.is_active:
            return Response(
                {"detail": str(_("Wrong username or password, or the account is locked.")), "code": "invalid_login"},
                status=status.HTTP_400_BAD_REQUEST,
            )
        if not token_otp_ok(user, serializer.validated_data.get("otp", "")):
            audit_record(actor=user, action="auth.token", obj=user, result="denied", detail={"reason": "otp"})
            return Response(
                {
                    "detail": str(_("A valid two-factor code (otp) is required for staff accounts.")),
                    "code": "otp_required",
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
        issued = apitokens.token_issue(user=user, label=_device_label(request))
        return Response(TokenResponseSerializer(issued).data)


def _device_label(request) -> str:
    return request.META.get("HTTP_USER_AGENT", "")[:200]


class TokenRefreshView(APIView):
    """Exchange a refresh token for a new access token and a new refresh token; the old refresh token is used
    up. Presenting a used refresh token again ends every token of that sign-in (it was copied)."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [PortalScopedRateThrottle]
    throttle_scope = "token"

    @extend_schema(request=RefreshSerializer, responses={200: TokenResponseSerializer, 401: None}, auth=[])
    def post(self, request):
        serializer = RefreshSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            issued = apitokens.token_refresh(raw=serializer.validated_data["refresh"], label=_device_label(request))
        except apitokens.TokenError as error:
            return Response(
                {"detail": str(_("The refresh token is invalid or has expired. Log in again.")), "code": error.code},
                status=status.HTTP_401_UNAUTHORIZED,
            )
        return Response(TokenResponseSerializer(issued).data)


class TokenRevokeView(APIView):
    """Log the app out: the token that makes this request and every token of its sign-in end."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={204: None})
    def post(self, request):
        token = request.auth
        if isinstance(token, apitokens.ApiToken):
            apitokens.token_revoke_family(user=request.user, token_id=token.pk, reason="logout")
        return Response(status=status.HTTP_204_NO_CONTENT)
