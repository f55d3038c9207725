"""Every members page renders for the accounts that use it (demo data loaded)."""

import io

import pytest

from members import demo
from tests.conftest import verify_two_factor


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
    user = django_user_model.objects.get(username=username)
    client.force_login(user)
    verify_two_factor(client, user)
    response = client.get(url)
    assert response.status_code == 200, response.content[:500]


def test_demo_has_pending_founding_join_and_transfer_visible_to_the_right_people(demo_data, client, django_user_model):
    from members.models import FoundingApplication, JoinApplication, Member, MemberTransfer

    founding = FoundingApplication.objects.get(status="pending")
    join = JoinApplication.objects.get(status="pending")
    transfer = MemberTransfer.objects.get(status="pending")
    assert transfer.to_org.code == "KQ-QX-001"
    member = Member.objects.get(user__username="worker")

    def as_user(username):
        user = django_user_model.objects.get(username=username)
        client.force_login(user)
        verify_two_factor(client, user)
        return client

    assert as_user("huashe_staff").get(f"/members/founding/{founding.pk}/").status_code == 200
    assert as_user("handler").get(f"/members/joins/{join.pk}/").status_code == 200
    assert "调入" in as_user("handler_qixian").get("/members/transfers/").content.decode()
    body = as_user("handler").get(f"/members/{member.pk}/").content.decode()
    assert "显示完整信息" in body
    body = as_user("handler").post(f"/members/{member.pk}/reveal/mobile/").content.decode()
    assert member.mobile in body
    assert Member.objects.filter(org__code="KQ-HS-001").count() >= 15
    assert Member.objects.filter(org__code="KQ-QX-001").count() >= 10
