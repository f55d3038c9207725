"""``Authorization: Bearer <token>`` for the API, with the portal's own tokens (union_portal.apitokens)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from union_portal.apitokens import token_authenticate


class PortalTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword.lower().encode():
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("Invalid token header."))
        try:
            raw = parts[1].decode()
        except UnicodeError:
            raise exceptions.AuthenticationFailed(_("Invalid token header.")) from None
        token = token_authenticate(raw)
        if token is None:
            raise exceptions.AuthenticationFailed(_("The token is invalid or has expired. Log in again."))
        return token.user, token

    def authenticate_header(self, request):
        return self.keyword


class PortalTokenScheme(OpenApiAuthenticationExtension):
    target_class = "union_portal.api.authentication.PortalTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": (
                "A token from /api/v1/auth/token/. Staff tokens end after 30 idle minutes and 12 hours; a "
                "worker's access token after an hour, renewed with the refresh token at /api/v1/auth/token/refresh/."
            ),
        }
