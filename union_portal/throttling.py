"""DRF throttles that key anonymous clients on ``client_ip_from`` (``X-Forwarded-For`` only from
``TRUSTED_PROXIES``), never on a header the client writes itself. DRF's own ``get_ident`` uses the whole
``X-Forwarded-For`` header when ``NUM_PROXIES`` is unset, so a client rotating it had a fresh bucket each time.

``throttle_view`` applies a scoped rate of ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]`` to a plain Django view
(the web estimator shares the API estimator's bucket; the public objection form has its own)."""

from collections.abc import Callable
from functools import wraps

from django.http import HttpResponse
from django.utils.translation import gettext as _
from rest_framework import throttling
from rest_framework.settings import api_settings

from union_portal.middleware import client_ip_from


class ClientIpMixin:
    def get_ident(self, request) -> str:
        return client_ip_from(request) or "unknown"


class PortalAnonRateThrottle(ClientIpMixin, throttling.AnonRateThrottle):
    pass


class PortalUserRateThrottle(ClientIpMixin, throttling.UserRateThrottle):
    pass


class PortalScopedRateThrottle(ClientIpMixin, throttling.ScopedRateThrottle):
    pass


class _ViewScopedThrottle(ClientIpMixin, throttling.SimpleRateThrottle):
    """The scoped throttle for a plain view: the scope is given, not read from a DRF view."""

    def __init__(self, scope: str):
        self.view_scope = scope
        self.scope = scope
        super().__init__()

    def get_rate(self) -> str | None:
        # Read when used, not at import: a rate changed in settings applies at once.
        rates: dict[str, str | None] = api_settings.DEFAULT_THROTTLE_RATES  # type: ignore[assignment]  # stubs: numbers
        return rates[self.view_scope]

    def get_cache_key(self, request, view) -> str:
        user = getattr(request, "user", None)
        ident = user.pk if user is not None and user.is_authenticated else self.get_ident(request)
        # The same key as PortalScopedRateThrottle's for this scope: web and API share one bucket.
        return self.cache_format % {"scope": self.scope, "ident": ident}


def throttle_view(scope: str, *, when: Callable = lambda request: True):
    """Answer 429 once the client has used the ``scope`` rate; only requests for which ``when(request)`` is true
    are counted (a blank form costs nothing)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if when(request):
                throttle = _ViewScopedThrottle(scope)
                if not throttle.allow_request(request, None):  # type: ignore[arg-type]  # a plain view, no APIView
                    wait = int(throttle.wait() or 60)
                    response = HttpResponse(
                        _("Too many requests. Try again in %(seconds)s seconds.") % {"seconds": wait},
                        status=429,
                        content_type="text/plain; charset=utf-8",
                    )
                    response["Retry-After"] = str(wait)
                    return response
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
