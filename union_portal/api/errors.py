"""API errors as JSON: {"detail": "...", "code": "...", "errors": {...}} with messages in the request language.

One shape for every error the API answers, whoever raises it: DRF views (``exception_handler``), and Django
itself before or around a view (``api_error_view``: a NUL in the query string, a body over the upload limit, a
path that matches no route under /api/). The schema documents it (``union_portal.api.schema``): the ``Error``
component, with ``code`` one of ``ERROR_CODES``, and ``ValidationError``, which adds ``errors``."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import defaults
from rest_framework import exceptions, status
from rest_framework.views import exception_handler as drf_exception_handler

# Every value of "code" an API error may carry, with what it means (the schema's ErrorCode enum). A view that
# answers a new code adds it here: the conformance tests fail on a code the schema does not list.
ERROR_CODES: dict[str, str] = {
    "invalid": "The input is not valid; `errors` says why, field by field (`non_field_errors`: the whole input).",
    "parse_error": "The body is not well-formed JSON (or form data).",
    "unsupported_media_type": "The body's Content-Type is not one this operation reads.",
    "not_acceptable": "No representation matches the Accept header.",
    "request_too_large": "The body is larger than the portal accepts (15 MB, 5 MB per file in memory).",
    "bad_request": "The request is malformed (for example a NUL character in the query string).",
    "not_authenticated": "No credentials were sent: send 'Authorization: Bearer <access token>'.",
    "authentication_failed": "The token is invalid, expired or revoked: log in again or refresh it.",
    "permission_denied": "The user may not do this (not their object, not their role, or not a member).",
    "not_found": "No such object, or not one the user may see; also a page number past the last page.",
    "method_not_allowed": "The path exists but not with this HTTP method (see the Allow header).",
    "throttled": "Too many requests: wait the seconds given in the Retry-After header.",
    "invalid_login": "Wrong username or password, or the account is locked (token request).",
    "otp_required": "A staff account needs a valid two-factor code (otp) to get a token.",
    "reused": "The refresh token was already used: every token of that sign-in has ended. Log in again.",
    "staff_password_required": "A staff account cannot log in by SMS code: use the password and two-factor code.",
    "card_invalid": "The card code is not valid, or the card no longer is (card check): nothing else is told.",
    "no_scheme": "No mutual-aid scheme offers this benefit now (estimator).",
}

_STATUS_CODES = {
    status.HTTP_400_BAD_REQUEST: "bad_request",
    status.HTTP_403_FORBIDDEN: "permission_denied",
    status.HTTP_404_NOT_FOUND: "not_found",
    status.HTTP_413_REQUEST_ENTITY_TOO_LARGE: "request_too_large",
}


class RequestTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = gettext_lazy("The request is too large.")
    default_code = "request_too_large"


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            exc = exceptions.ValidationError(exc.message_dict)
        else:
            exc = exceptions.ValidationError({"non_field_errors": exc.messages})
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, RequestDataTooBig):
        exc = RequestTooLarge()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    data = response.data
    if isinstance(exc, exceptions.ValidationError):
        response.data = {
            "detail": str(exceptions.ValidationError.default_detail),
            "code": "invalid",
            "errors": data,
        }
    elif isinstance(data, dict) and "detail" in data:
        response.data = {"detail": str(data["detail"]), "code": getattr(data["detail"], "code", "error")}
    return response


def _json_error(request, status_code: int, detail: str) -> JsonResponse:
    return JsonResponse({"detail": detail, "code": _STATUS_CODES[status_code]}, status=status_code)


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


# Django's own error views (handler400/403/404 in the root URLconf): JSON under /api/, the pages elsewhere.
def bad_request(request, exception):
    if _is_api(request):
        if isinstance(exception, RequestDataTooBig):
            return _json_error(request, 413, str(RequestTooLarge.default_detail))
        return _json_error(request, 400, _("The request is malformed."))
    return defaults.bad_request(request, exception)


def permission_denied(request, exception):
    if _is_api(request):
        return _json_error(request, 403, str(exceptions.PermissionDenied.default_detail))
    return defaults.permission_denied(request, exception)


def page_not_found(request, exception):
    if _is_api(request):
        return _json_error(request, 404, str(exceptions.NotFound.default_detail))
    return defaults.page_not_found(request, exception)
