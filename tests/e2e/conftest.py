"""Browser tests: Debian's Chromium driven by Playwright against the live test server.

Screenshots of every step go to test-artifacts/e2e/. Skipped when Chromium is not installed, unless
REQUIRE_SERVICES=1 (CI installs it)."""

import base64
import os
import shutil
import time
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls of the test itself are still
# synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "e2e"


@pytest.fixture(scope="session")
def browser():
    if CHROMIUM is None:
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail("Chromium is required for the browser tests (apt-get install chromium)")
        pytest.skip("Chromium not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def shot(request):
    """shot(page, "step-name"): save a full-page screenshot as a test artefact."""
    folder = ARTIFACTS / request.node.name
    folder.mkdir(parents=True, exist_ok=True)
    counter = {"n": 0}

    def _shot(page, name: str) -> Path:
        counter["n"] += 1
        path = folder / f"{counter['n']:02d}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return _shot


@pytest.fixture
def new_page(browser, live_server):
    contexts = []

    def _new_page(viewport=None):
        context = browser.new_context(
            base_url=live_server.url, locale="zh-CN", viewport=viewport or {"width": 1280, "height": 900}
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield _new_page
    for context in contexts:
        context.close()


def totp_from_secret(secret: str) -> str:
    from django_otp.oath import totp

    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    return f"{totp(key):06d}"


def log_in(page, username: str, password: str, *, two_factor_secret: dict | None = None) -> None:
    """Log in through the login page; a role holder sets up (first time) or enters the TOTP code.

    ``two_factor_secret`` is a dict kept by the test: the secret shown at set-up is stored there and used
    for later log-ins of the same user."""
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("main button[type=submit]")  # the navbar has submit buttons too (large text)
    page.wait_for_load_state()
    secrets = two_factor_secret if two_factor_secret is not None else {}
    if "/accounts/2fa/setup/" in page.url:
        # The password alone binds no authenticator: open the one-time enrolment link the person would
        # receive by SMS (live_server runs in this process), set the password (the same one) and the app.
        from urllib.parse import urlparse

        from django.contrib.auth import get_user_model

        from union_portal.twofactor import enrolment_link_send

        link = urlparse(enrolment_link_send(user=get_user_model().objects.get(username=username))).path
        page.goto(link)
        secret = page.inner_text("code.user-select-all").strip()
        secrets[username] = secret
        page.fill("input[name=new_password1]", password)
        page.fill("input[name=new_password2]", password)
        code = totp_from_secret(secret)
        secrets[f"{username}:last code"] = code
        page.fill("input[name=code]", code)
        page.click("main form button[type=submit]")
        page.wait_for_load_state()
        page.click("text=继续")
        page.wait_for_load_state()
    elif "/accounts/2fa/verify/" in page.url:
        code = totp_from_secret(secrets[username])
        if secrets.get(f"{username}:last code") == code:
            # a TOTP code is accepted once (django-otp refuses a replay): a second log-in in the same 30 s
            # waits for the next code, as a person would
            time.sleep(30 - time.time() % 30 + 0.5)
            code = totp_from_secret(secrets[username])
        secrets[f"{username}:last code"] = code
        page.fill("input[name=code]", code)
        page.click("main form button[type=submit]")
        page.wait_for_load_state()


def log_out(page) -> None:
    page.context.clear_cookies()
