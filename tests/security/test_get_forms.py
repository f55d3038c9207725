"""No CSRF token in a GET form (issue 16): the token would travel in the URL (history, logs, Referer). Every
page without path arguments is rendered for each kind of account, and a GET form that carries
``csrfmiddlewaretoken`` fails the test. Nested forms are read as a browser reads them: an inner ``<form>`` tag is
ignored, so its fields (a crispy form's token inside a template's ``<form method="get">``) belong to the outer one."""

from html.parser import HTMLParser

import pytest

from tests.routes import _walk


class _GetFormTokens(HTMLParser):
    def __init__(self):
        super().__init__()
        self.method: str | None = None  # of the open form, None outside a form
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "form":
            if self.method is None:  # a browser ignores a form start tag inside a form
                self.method = (values.get("method") or "get").lower()
        elif tag == "input" and values.get("name") == "csrfmiddlewaretoken" and self.method == "get":
            self.found.append(values.get("value", "")[:8])

    def handle_endtag(self, tag):
        if tag == "form":
            self.method = None


def get_forms_with_a_token(html: str) -> int:
    parser = _GetFormTokens()
    parser.feed(html)
    return len(parser.found)


def test_the_checker_sees_a_token_in_a_get_form_also_when_forms_are_nested():
    assert get_forms_with_a_token('<form method="get"><input name="csrfmiddlewaretoken" value="x"></form>') == 1
    nested = '<form method="get"><form method="post"><input name="csrfmiddlewaretoken" value="x"></form></form>'
    assert get_forms_with_a_token(nested) == 1
    assert get_forms_with_a_token('<form method="post"><input name="csrfmiddlewaretoken"></form>') == 0
    assert get_forms_with_a_token('<form><input name="q"></form>') == 0


def _pages() -> list[str]:
    from django.urls import get_resolver, reverse

    urls = []
    for route in _walk(get_resolver()):
        if route.params or route.admin or not route.name or route.route.startswith("api/"):
            continue
        try:
            urls.append(reverse(route.name))
        except Exception:  # noqa: BLE001, S112 - a pattern reverse cannot fill (a regex) is not a page to render
            continue
    return sorted(set(urls))


# Pages a GET would change, download or leave: not rendered here.
NOT_RENDERED = ("/logout", "/accounts/logout", ".xlsx", ".pdf", ".csv", "/export")


@pytest.mark.django_db
@pytest.mark.parametrize("username", [None, "worker", "handler", "reviewer1", "finance", "district_admin"])
def test_no_get_form_of_any_page_carries_the_csrf_token(tree, client, login, username):
    # given
    from django.contrib.auth import get_user_model

    from mutual_aid import services

    services.scheme_create(by=get_user_model().objects.get(username="district_admin"), year=2026)
    if username:
        login(get_user_model().objects.get(username=username))
    # when
    offending = {}
    rendered = 0
    for url in _pages():
        if any(part in url for part in NOT_RENDERED):
            continue
        response = client.get(url)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        rendered += 1
        count = get_forms_with_a_token(response.content.decode())
        if count:
            offending[url] = count
    # then
    assert rendered > 5
    assert not offending, offending
