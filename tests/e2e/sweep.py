"""What the browser sweeps share (the phone sweep, tests/e2e/test_phone_sweep.py, and the accessibility sweep,
tests/e2e/test_accessibility.py): the pages a role gets, found with Django's test client, and the session cookie
that logs a browser context in as that role."""

from __future__ import annotations

import logging
from typing import NamedTuple

from tests.routes import sample_urls


class PageToOpen(NamedTuple):
    name: str  # the URL pattern's name, e.g. "members:member_detail"
    url: str
    template: str | None  # the page's own template (response.templates[0]); None for a redirect


def session_cookie(user, live_server_url: str) -> dict:
    from django.conf import settings
    from django.test import Client

    from tests.conftest import verify_two_factor

    client = Client()
    client.force_login(user)
    verify_two_factor(client, user)
    return {
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": live_server_url,
    }


def pages_to_open(user) -> list[PageToOpen]:
    """The HTML pages the role gets, and one of each kind of refusal."""
    from django.db import transaction
    from django.test import Client

    from tests.conftest import verify_two_factor

    routes = sample_urls(user)  # outside the rollback: it issues the spent links the browser opens too
    out: list[PageToOpen] = []
    refusals: set[str] = set()
    # GET only, and rolled back: no commit per request (sessions, views recorded), and the refusals' log lines
    # (a traceback each) are not written
    request_log = logging.getLogger("django.request")
    level = request_log.level
    request_log.setLevel(logging.ERROR)
    try:
        with transaction.atomic():
            client = Client()
            if user is not None:
                client.force_login(user)
                verify_two_factor(client, user)
            for route, url in routes:
                if route.route.startswith("api/"):
                    continue
                response = client.get(url)
                if response.streaming or not response.get("Content-Type", "").startswith("text/html"):
                    continue
                templates = getattr(response, "templates", None) or []
                template = templates[0].name if templates else None
                if response.status_code == 200:
                    # an htmx partial (a fragment without <html>, e.g. awards:nomination_preview) is no page
                    # a phone opens: it is swept inside the page that loads it. Opened alone, Chromium asks for
                    # /favicon.ico and logs that 404 on the next page.
                    if b"<html" not in response.content[:1000]:
                        continue
                    out.append(PageToOpen(route.name, url, template))
                elif response.status_code in (302, 403, 404):  # a 405 (GET of a POST-only URL) has no page
                    kind = (
                        str(response.status_code) if response.status_code != 302 else response["Location"].split("?")[0]
                    )
                    if kind not in refusals:
                        refusals.add(kind)
                        out.append(PageToOpen(route.name, url, template))
            transaction.set_rollback(True)
    finally:
        request_log.setLevel(level)
    return out
