"""The large-text mode (适老化): the switch in the navbar, remembered on the device (a cookie) and on the account
when logged in (the saved choice wins), rendered by the server as a class on <html>."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from union_portal.display import LARGE_TEXT_COOKIE

URL = "/accounts/large-text/"


def _html_classes(response) -> str:
    match = re.search(rb"<html[^>]*>", response.content)
    assert match, "no <html> tag"
    found = re.search(rb'class="([^"]*)"', match.group(0))
    return found.group(1).decode() if found else ""


def _switch(response) -> str:
    match = re.search(r'<form action="/accounts/large-text/".*?</form>', response.content.decode(), re.S)
    assert match, "the large-text switch is missing from the page"
    return match.group(0)


def test_url_is_the_one_the_templates_post_to():
    assert reverse("large_text") == URL


@pytest.mark.django_db
def test_public_page_has_the_switch_off_by_default(client):
    # given a device that never chose
    response = client.get("/")
    # then the home page is at the normal size, with a real toggle button that is not pressed
    assert "large-text" not in _html_classes(response)
    switch = _switch(response)
    assert 'aria-pressed="false"' in switch
    assert 'name="large_text" type="hidden" value="1"' in switch
    assert "csrfmiddlewaretoken" in switch
    assert 'name="next" type="hidden" value="/"' in switch


@pytest.mark.django_db
def test_anonymous_choice_is_kept_in_a_cookie_and_rendered_on_html(client):
    # when an anonymous visitor turns large text on from the terms page
    response = client.post(URL, {"large_text": "1", "next": "/terms/"})
    # then they go back to that page, the device remembers it for a year, and pages render the class
    assert response.status_code == 302 and response["Location"] == "/terms/"
    cookie = response.cookies[LARGE_TEXT_COOKIE]
    assert cookie.value == "1" and cookie["max-age"] == 365 * 24 * 3600 and cookie["httponly"]
    page = client.get("/terms/")
    assert "large-text" in _html_classes(page).split()
    assert 'aria-pressed="true"' in _switch(page)
    assert 'name="large_text" type="hidden" value="0"' in _switch(page)
    # and turning it off again clears it
    client.post(URL, {"large_text": "0", "next": "/terms/"})
    assert "large-text" not in _html_classes(client.get("/terms/"))


@pytest.mark.django_db
def test_logged_in_choice_is_saved_and_wins_over_the_cookie(login, worker):
    client = login(worker)
    assert worker.large_text is None
    # given a device that asked for large text before logging in
    client.cookies[LARGE_TEXT_COOKIE] = "1"
    assert "large-text" in _html_classes(client.get("/inbox/")).split()
    # when the worker turns it off
    client.post(URL, {"large_text": "0", "next": "/inbox/"})
    worker.refresh_from_db()
    assert worker.large_text is False
    # then their saved choice wins, even over a device cookie that says on
    client.cookies[LARGE_TEXT_COOKIE] = "1"
    assert "large-text" not in _html_classes(client.get("/inbox/"))
    # and it follows them to another device
    other = Client()
    other.force_login(worker)
    other.post(URL, {"large_text": "1", "next": "/"})
    fresh = Client()
    fresh.force_login(worker)
    assert "large-text" in _html_classes(fresh.get("/inbox/")).split()


@pytest.mark.django_db
def test_logged_out_device_cookie_applies_when_the_user_never_chose(login, worker):
    client = login(worker)
    client.cookies[LARGE_TEXT_COOKIE] = "1"
    assert worker.large_text is None
    assert "large-text" in _html_classes(client.get("/")).split()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example/",
        "javascript:alert(1)",
        "",
        "http://testserver.evil/",
    ],
)
def test_next_must_be_on_this_site(client, target):
    response = client.post(URL, {"large_text": "1", "next": target})
    assert response.status_code == 302 and response["Location"] == "/"
    assert response.cookies[LARGE_TEXT_COOKIE].value == "1"


@pytest.mark.django_db
def test_next_keeps_the_query_string(client):
    response = client.post(URL, {"large_text": "1", "next": "/surveys/?page=2"})
    assert response["Location"] == "/surveys/?page=2"


@pytest.mark.django_db
def test_background_post_gets_no_content_but_the_cookie(client, worker):
    response = client.post(URL, {"large_text": "1", "next": "/"}, headers={"X-Requested-With": "fetch"})
    assert response.status_code == 204
    assert response.cookies[LARGE_TEXT_COOKIE].value == "1"


@pytest.mark.django_db
def test_switch_needs_the_csrf_token_and_a_post(worker):
    client = Client(enforce_csrf_checks=True)
    client.force_login(worker)
    # a cross-site form cannot change someone's saved choice
    response = client.post(URL, {"large_text": "1", "next": "/"})
    assert response.status_code == 403
    worker.refresh_from_db()
    assert worker.large_text is None
    assert LARGE_TEXT_COOKIE not in response.cookies
    # and a GET changes nothing
    assert client.get(URL).status_code == 405
