"""System checks of the deployment settings that Django's own --deploy checks do not know."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def trusted_proxies_check(app_configs, **kwargs):
    if settings.BEHIND_PROXY and not settings.TRUSTED_PROXIES:
        return [
            Warning(
                "BEHIND_PROXY is set but TRUSTED_PROXIES is empty: every client appears with the proxy's address, "
                "so the per-address log-in throttle and lockout count all clients together.",
                hint="Set TRUSTED_PROXIES to the address of the reverse proxy (deploy/env.example: 127.0.0.1).",
                id="union_portal.W001",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def site_url_check(app_configs, **kwargs):
    """SITE_URL goes into the membership card's QR code and the join posters: a phone must reach it."""
    from urllib.parse import urlsplit

    from django.core.checks import Error

    url = urlsplit(settings.SITE_URL or "")
    if url.scheme not in ("http", "https") or not url.hostname:
        problem = "SITE_URL is not set"
    elif url.hostname in ("localhost", "127.0.0.1", "::1", "testserver"):
        problem = f"SITE_URL points at this machine ({settings.SITE_URL})"
    else:
        return []
    return [
        Error(
            f"{problem}: the membership cards' QR codes and the join posters would lead nowhere.",
            hint="Set SITE_URL to the portal's public address, e.g. https://gh.keqiao.gov.cn (deploy/env.example).",
            id="union_portal.E001",
        )
    ]
