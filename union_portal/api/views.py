from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from union_portal.audit import audit_record
from union_portal.throttling import PortalScopedRateThrottle
from union_portal.twofactor import token_otp_ok


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(label=_("username"))
    password = serializers.CharField(label=_("password"), style={"input_type": "password"}, trim_whitespace=False)
    otp = serializers.CharField(
        label=_("two-factor code"), required=False, allow_blank=True, help_text=_("Required for staff accounts.")
    )


class TokenView(APIView):
    """Exchange a username and password for an API token. Lockout (django-axes) applies as on the login page."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [PortalScopedRateThrottle]
    throttle_scope = "token"

    @extend_schema(
        request=TokenRequestSerializer,
        responses={200: inline_serializer("TokenResponse", {"token": serializers.CharField()})},
    )
    def post(self, request):
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = authenticate(
            request._request,
            username=serializer.validated_data["username"],
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
        token, _created = Token.objects.get_or_create(user=user)
        audit_record(actor=user, action="auth.token", obj=user)
        return Response({"token": token.key})
