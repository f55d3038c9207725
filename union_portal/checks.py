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
