"""Request context for code that has no request: the audit log reads the client IP from here.

``client_ip_from`` is the one answer to "which address is this client?" for the audit log, the log-in
throttle, django-axes (``AXES_CLIENT_IP_CALLABLE``) and the API throttles (``union_portal.throttling``)."""

import ipaddress
from contextvars import ContextVar
from functools import lru_cache

_client_ip: ContextVar[str | None] = ContextVar("client_ip", default=None)

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(proxy, strict=False) for proxy in proxies)


def _is_trusted(address: str | None, networks: tuple[Network, ...]) -> bool:
    if not address or not networks:
        return False
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_ip_from(request) -> str | None:
    """The client's address. ``X-Forwarded-For`` is believed only when the connection comes from a proxy
    listed in ``TRUSTED_PROXIES`` (addresses or networks; none by default): its entries are read from the
    right, skipping the trusted proxies, and the first other address is the client. A header sent by anyone
    else is ignored, so a client cannot choose the address its throttles and lockouts count against."""
    from django.conf import settings

    remote = request.META.get("REMOTE_ADDR") or None
    networks = _networks(tuple(settings.TRUSTED_PROXIES))
    if not _is_trusted(remote, networks):
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    for address in reversed(forwarded):
        if _is_trusted(address, networks):
            continue
        try:
            return str(ipaddress.ip_address(address))
        except ValueError:  # not an address: our proxy did not write it, so nothing left of it can be believed
            return remote
    return forwarded[0] if forwarded else remote


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
