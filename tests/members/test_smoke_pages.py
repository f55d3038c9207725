"""Every members page renders for the accounts that use it (demo data loaded)."""

import io

import pytest

from members import demo


@pytest.fixture
def demo_data(tree):
    demo.seed(stdout=io.StringIO())


@pytest.mark.parametrize(
    "username,url",
    [
        ("handler", "/members/"),
        ("handler", "/members/?q=王&sort=name&frontline=1"),
        ("huashe_staff", "/members/?unit=KQ-HS-001&status=active"),
        ("district_admin", "/members/transfers/"),
        ("handler_qixian", "/members/transfers/"),
        ("handler", "/members/joins/"),
        ("huashe_staff", "/members/enterprises/?unorganised=1"),
        ("huashe_staff", "/members/founding/"),
        ("huashe_staff", "/members/enterprises/new/"),
        ("handler", "/members/new/"),
        ("handler", "/members/imports/"),
        ("worker", "/members/me/"),
        ("worker", "/members/join/?q=华舍"),
        ("worker", "/members/founding/new/"),
        ("handler", "/"),
        ("worker", "/"),
    ],
)
def test_page_renders(demo_data, client, django_user_model, username, url):
    client.force_login(django_user_model.objects.get(username=username))
    response = client.get(url)
    assert response.status_code == 200, response.content[:500]
