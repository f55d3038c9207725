"""The large-text mode (适老化) on a 360 px phone: the switch sits in the navbar without opening the menu, raises
the base size to 20 px at once, and the choice survives a reload (the device's cookie; a logged-in worker's
account); without JavaScript the switch still works (a POST and a redirect back)."""

import pytest

from tests.e2e.conftest import log_in

PHONE = {"width": 360, "height": 740}
SWITCH = "form.large-text-switch button"
ROOT_SIZE = "() => getComputedStyle(document.documentElement).fontSize"
NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= document.documentElement.clientWidth"


def _open(new_page):
    page = new_page(viewport=PHONE)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(f"{page.url}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(f"{page.url}: {exc}"))
    return page, errors


@pytest.mark.django_db(transaction=True)
def test_visitor_turns_large_text_on_and_a_reload_keeps_it(tree, new_page, shot):
    # given a visitor on the public home page of a phone
    page, errors = _open(new_page)
    page.goto("/")
    switch = page.locator(SWITCH)
    # the switch is visible without opening the menu, a real toggle button, and a 44 px target
    assert switch.is_visible() and not page.locator("#mainnav").is_visible()
    assert switch.get_attribute("aria-pressed") == "false"
    assert switch.inner_text().strip() == "大字模式"
    box = switch.bounding_box()
    assert box and box["width"] >= 44 and box["height"] >= 44
    assert page.evaluate(ROOT_SIZE) == "16px"
    # when they press it
    switch.click()
    # then the page grows at once, without leaving it
    page.wait_for_function("() => document.documentElement.classList.contains('large-text')")
    assert page.evaluate(ROOT_SIZE) == "20px"
    assert switch.get_attribute("aria-pressed") == "true"
    shot(page, "home-large-text")
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    # and a reload keeps it (the server renders the class from the device's cookie, after the saved answer)
    page.wait_for_load_state("networkidle")  # the background POST has been answered
    page.reload()
    assert page.evaluate("document.documentElement.classList.contains('large-text')")
    assert page.locator(SWITCH).get_attribute("aria-pressed") == "true"
    # and pressing it again turns it off, also after a reload
    page.locator(SWITCH).click()
    page.wait_for_function("() => !document.documentElement.classList.contains('large-text')")
    page.wait_for_load_state("networkidle")
    page.reload()
    assert page.evaluate(ROOT_SIZE) == "16px"
    assert errors == []


@pytest.mark.django_db(transaction=True)
def test_worker_choice_follows_them_to_another_phone(tree, new_page, settings):
    from django.contrib.auth import get_user_model

    # given the worker logged in on one phone, who turns large text on
    page, errors = _open(new_page)
    log_in(page, "worker", settings.DEMO_PASSWORD)
    page.goto("/inbox/")
    page.locator(SWITCH).click()
    page.wait_for_function("() => document.documentElement.classList.contains('large-text')")
    page.wait_for_load_state("networkidle")
    assert get_user_model().objects.get(username="worker").large_text is True
    # when they log in on another phone that never chose
    other, _ = _open(new_page)
    log_in(other, "worker", settings.DEMO_PASSWORD)
    other.goto("/inbox/")
    # then the page is large there too, and fits the screen
    assert other.evaluate(ROOT_SIZE) == "20px"
    assert other.evaluate(NO_SIDEWAYS_SCROLL)
    assert errors == []


@pytest.mark.django_db(transaction=True)
def test_switch_works_without_javascript(tree, browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport=PHONE, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto("/terms/")
        page.locator(SWITCH).click()
        page.wait_for_load_state()
        # the form posts, the server sets the cookie and sends the visitor back to the same page, now large
        assert page.url.endswith("/terms/")
        assert 'class="large-text"' in page.content()
        assert page.locator(SWITCH).get_attribute("aria-pressed") == "true"
    finally:
        context.close()
