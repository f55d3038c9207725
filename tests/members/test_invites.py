"""A handler invites a worker of the roll to open a login (issue 16 [Front door]); the invitation is the
proof of the person [Trust] C1 requires before a login is linked to a member record."""

import datetime as dt
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from members import services
from members.models import JoinApplication, Member
from tests.factories import new_id_number
from union_portal import onetime
from union_portal.models import AuditLog
from union_portal.sms import LoggingSmsBackend

PASSWORD = "Gongren-2026!"


def _token_sent_to(mobile: str) -> str:
    phone, text = LoggingSmsBackend.outbox[-1]
    assert phone == mobile
    return re.search(r"/members/invite/([^/\s]+)/", text).group(1)


def test_an_invitation_opens_a_verified_login_linked_to_that_member(make_member, handler):
    # given
    member = make_member("KQ-HS-001")
    # when
    services.member_invite_send(by=handler, member=member)
    user = services.member_invite_accept(token=_token_sent_to(member.mobile), password=PASSWORD)
    # then
    member.refresh_from_db()
    assert member.user == user and user.mobile == member.mobile and onetime.mobile_is_verified(user)
    assert user.check_password(PASSWORD) and not user.assignments.exists()
    assert AuditLog.objects.filter(action="member.invite", object_id=str(member.pk)).exists()
    assert AuditLog.objects.filter(action="member.invite_accept", object_id=str(member.pk)).exists()


def test_an_invitation_works_once(make_member, handler):
    # given
    member = make_member("KQ-HS-001")
    services.member_invite_send(by=handler, member=member)
    token = _token_sent_to(member.mobile)
    services.member_invite_accept(token=token, password=PASSWORD)
    # when / then
    with pytest.raises(ValidationError):
        services.member_invite_accept(token=token, password=PASSWORD)


def test_an_invitation_expires_after_seven_days(make_member, handler):
    # given
    member = make_member("KQ-HS-001")
    services.member_invite_send(by=handler, member=member, now=timezone.now() - dt.timedelta(days=8))
    # when / then
    with pytest.raises(ValidationError):
        services.member_invite_accept(token=_token_sent_to(member.mobile), password=PASSWORD)
    member.refresh_from_db()
    assert member.user_id is None


def test_c1_an_invitation_for_member_a_cannot_link_a_login_to_member_b(make_member, handler):
    # given: invitations for A and B; A's token tampered to name B is refused by its signature
    a = make_member("KQ-HS-001")
    b = make_member("KQ-HS-001")
    services.member_invite_send(by=handler, member=a)
    token_a = _token_sent_to(a.mobile)
    # when: A's link is used
    user = services.member_invite_accept(token=token_a, password=PASSWORD)
    # then: only A is linked, B is untouched
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.user == user and b.user_id is None
    with pytest.raises(ValidationError):
        services.member_invite_accept(token=token_a.replace(token_a[:4], "AAAA"), password=PASSWORD)


def test_c1_an_invitation_stops_working_when_the_rolls_number_changes(make_member, handler):
    # given: an invitation sent to the roll's number, then the number on the roll is corrected
    member = make_member("KQ-HS-001")
    services.member_invite_send(by=handler, member=member)
    token = _token_sent_to(member.mobile)
    Member.objects.filter(pk=member.pk).update(mobile="13611119999")
    # when / then: the link went to another number than the roll's: it proves nothing
    with pytest.raises(ValidationError):
        services.member_invite_accept(token=token, password=PASSWORD)


def test_a_member_with_a_login_gets_no_invitation(make_member, handler, worker):
    # given
    member = Member.objects.get(user=worker)
    # when / then
    with pytest.raises(ValidationError, match="already has a login|已有登录账号"):
        services.member_invite_send(by=handler, member=member)


def test_a_handler_of_another_union_cannot_invite(make_member, handler_qixian):
    member = make_member("KQ-HS-001")
    with pytest.raises(PermissionDenied):
        services.member_invite_send(by=handler_qixian, member=member)


def test_the_invite_button_sends_and_the_link_page_opens_the_account(make_member, handler, login, client):
    # given
    member = make_member("KQ-HS-001")
    staff = login(handler)
    assert "invite-button" in staff.get(f"/members/{member.pk}/").content.decode()
    # when
    response = staff.post(f"/members/{member.pk}/invite/")
    assert response.status_code == 302
    client.logout()
    token = _token_sent_to(member.mobile)
    assert client.get(f"/members/invite/{token}/").status_code == 200
    response = client.post(f"/members/invite/{token}/", {"password1": PASSWORD, "password2": PASSWORD})
    # then
    assert response.status_code == 302 and response["Location"] == "/members/me/"
    member.refresh_from_db()
    assert member.user_id is not None


def test_a_stranger_handler_gets_404_on_the_invite_button(make_member, handler_qixian, login):
    member = make_member("KQ-HS-001")
    assert login(handler_qixian).post(f"/members/{member.pk}/invite/").status_code == 404


# --- the join form's consent --------------------------------------------------------------------------------


def test_the_join_application_stores_the_consent_and_is_refused_without_it(tree, worker):
    # when / then
    with pytest.raises(ValidationError) as exc:
        services.join_submit(
            user=worker,
            org=tree["KQ-QX-001"],
            name="陈",
            id_number=new_id_number(),
            mobile="13957500001",
            consent=False,
        )
    assert "consent" in exc.value.message_dict
    application = services.join_submit(
        user=worker,
        org=tree["KQ-QX-001"],
        name="陈",
        id_number=new_id_number(),
        mobile="13957500001",
        consent=True,
    )
    assert application.consent_version == services.JOIN_CONSENT_VERSION and application.consent_at


def test_the_join_form_shows_the_notice_and_refuses_without_consent(tree, login, django_user_model):
    # given
    applicant = django_user_model.objects.create_user("newbie", password="x")
    c = login(applicant)
    url = f"/members/join/{tree['KQ-HS-001'].pk}/"
    assert "join-consent-notice" in c.get(url).content.decode()
    # when
    response = c.post(url, {"name": "新人", "id_number": new_id_number(), "mobile": "13957500002"})
    # then
    assert response.status_code == 200 and not JoinApplication.objects.filter(user=applicant).exists()
