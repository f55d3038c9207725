"""Request context for code that has no request: the audit log reads the client IP from here."""

from contextvars import ContextVar

_client_ip: ContextVar[str | None] = ContextVar("client_ip", default=None)


def client_ip_from(request) -> str | None:
    # Behind the nginx of deploy/, REMOTE_ADDR is the proxy; it sets X-Real-IP to the client.
    from django.conf import settings

    if settings.SECURE_PROXY_SSL_HEADER and request.META.get("HTTP_X_REAL_IP"):
        return request.META["HTTP_X_REAL_IP"]
    return request.META.get("REMOTE_ADDR") or None


def current_client_ip() -> str | None:
    return _client_ip.get()


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _client_ip.set(client_ip_from(request))
        try:
            return self.get_response(request)
        finally:
            _client_ip.reset(token)


class RejectNulMiddleware:
    """Answer 400 to any request whose query string or form fields carry a NUL character. No text people
    type holds one, PostgreSQL refuses it in every string (a search for "a\\x00" was a 500), and a forged
    NUL is the commonest way to probe filters. One check here instead of one per search box."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.core.exceptions import BadRequest
        from django.utils.translation import gettext as _

        params = [request.GET]
        if request.method == "POST" and request.content_type in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ):
            params.append(request.POST)
        for query in params:
            for key, values in query.lists():
                if "\x00" in key or any("\x00" in value for value in values):
                    raise BadRequest(_("The request contains a NUL character."))
        return self.get_response(request)
