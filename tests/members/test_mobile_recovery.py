"""A lost mobile number (issue 16 [Front door]): the worker asks, a roll keeper of the member's union checks
the ID document in person and confirms, a one-time link to the new number finishes the change."""

import re

import pytest
from django.core.exceptions import PermissionDenied

from members import services
from members.models import Member, MobileRecoveryRequest
from union_portal import onetime
from union_portal.models import AuditLog
from union_portal.sms import LoggingSmsBackend

NEW = "13766665555"
PASSWORD = "Neues-Passwort-1"


def _link_sent_to(mobile: str) -> str:
    phone, text = LoggingSmsBackend.outbox[-1]
    assert phone == mobile
    return re.search(r"/members/lost-mobile/finish/([^/\s]+)/", text).group(1)


def test_a_lost_number_is_replaced_after_the_handlers_identity_check(tree, handler, worker):
    # given
    member = Member.objects.get(user=worker)
    request = services.mobile_recovery_request(name=member.name, id_number=member.id_number, new_mobile=NEW)
    # when
    services.mobile_recovery_confirm(by=handler, request=request, id_document="居民身份证")
    user = services.mobile_recovery_finish(token=_link_sent_to(NEW), password=PASSWORD)
    # then
    user.refresh_from_db()
    assert user == worker and user.mobile == NEW and onetime.mobile_is_verified(user) and user.check_password(PASSWORD)
    request.refresh_from_db()
    assert request.status == MobileRecoveryRequest.Status.DONE and request.id_document == "居民身份证"
    actions = set(AuditLog.objects.values_list("action", flat=True))
    assert {"member.mobile_recovery_request", "member.mobile_recovery_confirm", "account.mobile_replace"} <= actions


def test_a_lost_number_request_tells_nothing_about_people_without_a_login(tree, make_member):
    # given: a member without a login
    member = make_member("KQ-HS-001")
    # when / then: nothing is stored, and the caller answers the same
    assert services.mobile_recovery_request(name=member.name, id_number=member.id_number, new_mobile=NEW) is None
    assert not MobileRecoveryRequest.objects.exists()


def test_a_handler_of_another_union_neither_sees_nor_confirms_the_request(tree, worker, handler_qixian, login):
    # given
    member = Member.objects.get(user=worker)
    request = services.mobile_recovery_request(name=member.name, id_number=member.id_number, new_mobile=NEW)
    # when / then
    with pytest.raises(PermissionDenied):
        services.mobile_recovery_confirm(by=handler_qixian, request=request, id_document="居民身份证")
    c = login(handler_qixian)
    assert c.get(f"/members/lost-mobile/requests/{request.pk}/").status_code == 404
    assert member.name not in c.get("/members/lost-mobile/requests/").content.decode()


def test_the_pages_of_a_lost_number(tree, worker, handler, login, client):
    # given: the worker's request through the public page
    member = Member.objects.get(user=worker)
    response = client.post(
        "/members/lost-mobile/", {"name": member.name, "id_number": member.id_number, "new_mobile": NEW}
    )
    assert response.status_code == 302
    request = MobileRecoveryRequest.objects.get(member=member)
    # when: the handler confirms after the check
    staff = login(handler)
    assert member.name in staff.get("/members/lost-mobile/requests/").content.decode()
    staff.post(f"/members/lost-mobile/requests/{request.pk}/", {"id_document": "居民身份证", "confirm": "on"})
    staff.logout()
    token = _link_sent_to(NEW)
    response = client.post(f"/members/lost-mobile/finish/{token}/", {"password1": PASSWORD, "password2": PASSWORD})
    # then
    assert response.status_code == 302
    worker.refresh_from_db()
    assert worker.mobile == NEW
    assert client.get(f"/members/lost-mobile/finish/{token}/").status_code == 404


def test_the_lost_number_list_keeps_its_queries_constant(make_member, login, handler, django_assert_num_queries):
    """The roll keeper's list of lost-number requests: one query for the page, whatever the number of rows."""
    from tests.factories import UserFactory, new_mobile

    def ask(n):
        for _ in range(n):
            member = make_member(user=UserFactory())
            services.mobile_recovery_request(name=member.name, id_number=member.id_number, new_mobile=new_mobile())

    client = login(handler)
    client.get("/members/lost-mobile/requests/")
    # given 2 requests, then 2 + 5
    ask(2)
    # the same count for both: the 7 every page makes (tests/members/test_views.py BASE) + the page with members
    # and unions in one query
    with django_assert_num_queries(7):
        response = client.get("/members/lost-mobile/requests/")
    assert len(response.context["page"]) == 2
    ask(5)
    with django_assert_num_queries(7):
        response = client.get("/members/lost-mobile/requests/")
    assert len(response.context["page"]) == 7
