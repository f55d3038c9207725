"""Issue 14 C1 (member theft across unions), M9 (membership oracle) and M15 (a member knows who looked):
the old union releases, the new one accepts; a login is linked only when it proves to be the person; the
receiving union sees nothing of the member before the move; an unanswered request goes to the township above
both; the member is told, and sees on their own page who revealed, exported or moved their data."""

import datetime as dt

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from members import services
from members.models import JoinApplication, Member, MemberTransfer
from union_portal import tree as tree_helpers
from union_portal.models import AuditLog, Delivery, Notification, User

pytestmark = pytest.mark.django_db


def _attack(login, handler_qixian, tree, victim, *, applicant=None):
    """handler_qixian's (or ``applicant``'s) join application with the victim's ID number, approved by
    handler_qixian through the pages; returns the transfer it opened."""
    client = login(applicant or handler_qixian)
    qixian = tree["KQ-QX-001"]
    client.post(
        f"/members/join/{qixian.pk}/",
        {"name": victim.name, "id_number": victim.id_number, "mobile": "13800009999", "consent": "on"},
    )
    application = JoinApplication.objects.get(id_number_hash=victim.id_number_hash)
    client = login(handler_qixian)
    client.post(f"/members/joins/{application.pk}/", {"decision": "approve"})
    return MemberTransfer.objects.get(member=victim)


def test_c1_the_receiving_union_alone_can_no_longer_take_another_unions_member(
    make_member, tree, login, handler_qixian
):
    # given a member of Huashe, and Qixian's handler opening and approving a join application with her ID number
    victim = make_member("KQ-HS-001", name="陈秀英")
    transfer = _attack(login, handler_qixian, tree, victim)
    client = login(handler_qixian)

    # when Qixian's handler accepts the resulting transfer (the old code moved her here)
    client.post(f"/members/transfers/{transfer.pk}/decide/", {"decision": "accept"})

    # then she stays in Huashe, the transfer waits for Huashe, and Qixian may not reveal anything of her
    victim.refresh_from_db()
    transfer.refresh_from_db()
    assert victim.org == tree["KQ-HS-001"] and victim.user_id is None
    assert transfer.status == MemberTransfer.Status.PENDING and transfer.awaiting == "releasing"
    assert client.post(f"/members/{victim.pk}/reveal/id_number/").status_code == 404
    assert client.get(f"/members/{victim.pk}/").status_code == 404


def test_c1_the_receiving_union_sees_nothing_of_the_member_before_the_move(make_member, tree, login, handler_qixian):
    victim = make_member("KQ-HS-001", name="陈秀英")
    transfer = _attack(login, handler_qixian, tree, victim)
    client = login(handler_qixian)

    pages = [client.get("/members/transfers/").content.decode(), client.get(f"/members/transfers/{transfer.pk}/")]
    pages[1] = pages[1].content.decode()

    for body in pages:
        assert victim.member_number not in body
        assert "浙江华舍纺织印染有限公司工会" not in body  # nor which union she is in (M9)
        assert "陈*英" not in body and victim.mobile[-4:] not in body
    assert "会员所在工会同意转出后显示" in pages[1]


def test_c1_the_releasing_union_releases_and_the_member_moves_without_the_applicants_login(
    make_member, tree, login, handler, handler_qixian
):
    # given the attack's transfer
    victim = make_member("KQ-HS-001")
    transfer = _attack(login, handler_qixian, tree, victim)

    # when Huashe's handler sees it (with the applicant to check) and releases without confirming the login
    client = login(handler)
    page = client.get(f"/members/transfers/{transfer.pk}/").content.decode()
    assert victim.member_number in page and "同意转出" in page
    client.post(f"/members/transfers/{transfer.pk}/decide/", {"decision": "release"})

    # then the membership moves, the member number stays, and no login is linked: none proved to be her
    victim.refresh_from_db()
    assert victim.org == tree["KQ-QX-001"] and victim.user_id is None
    assert MemberTransfer.objects.get(pk=transfer.pk).status == MemberTransfer.Status.ACCEPTED


def test_c1_the_releasing_union_may_refuse(make_member, tree, login, handler, handler_qixian):
    victim = make_member("KQ-HS-001")
    transfer = _attack(login, handler_qixian, tree, victim)
    login(handler).post(f"/members/transfers/{transfer.pk}/decide/", {"decision": "reject", "reason": "本人未申请"})
    transfer.refresh_from_db()
    victim.refresh_from_db()
    assert transfer.status == MemberTransfer.Status.REJECTED and victim.org == tree["KQ-HS-001"]


def test_c1_the_login_is_linked_when_the_releasing_handler_confirms_it(
    make_member, tree, login, handler, handler_qixian, django_user_model
):
    person = make_member("KQ-HS-001")
    own_login = django_user_model.objects.create_user("chen", password="x", mobile=person.mobile)
    transfer = _attack(login, handler_qixian, tree, person, applicant=own_login)

    login(handler).post(f"/members/transfers/{transfer.pk}/decide/", {"decision": "release", "confirm_login": "1"})

    person.refresh_from_db()
    assert person.org == tree["KQ-QX-001"] and person.user == own_login


def test_c1_the_login_is_linked_when_its_own_mobile_was_verified_and_matches_the_roll(
    make_member, tree, handler, handler_qixian, django_user_model
):
    from union_portal import onetime

    person = make_member("KQ-HS-001")
    someone = make_member("KQ-HS-001")
    unproven = make_member("KQ-HS-001")
    own = django_user_model.objects.create_user("own", password="x", mobile=person.mobile)
    stranger = django_user_model.objects.create_user("stranger", password="x", mobile="13800001111")
    typed_only = django_user_model.objects.create_user("typed", password="x", mobile=unproven.mobile)
    onetime.mark_mobile_verified(own)
    onetime.mark_mobile_verified(stranger)

    for member, applicant in ((person, own), (someone, stranger), (unproven, typed_only)):
        application = services.join_submit(
            consent=True,
            user=applicant,
            org=tree["KQ-QX-001"],
            name=member.name,
            id_number=member.id_number,
            mobile=member.mobile,
        )
        transfer = services.join_approve(by=handler_qixian, application=application)
        services.transfer_release(by=handler, transfer=transfer)

    person.refresh_from_db()
    someone.refresh_from_db()
    assert person.user == own  # verified mobile equal to the roll's
    unproven.refresh_from_db()
    assert someone.user_id is None  # verified, but not the roll's mobile: typing her ID number proves nothing
    assert unproven.user_id is None  # the roll's mobile typed into the account, never proven by a code


def test_c1_the_receiving_side_cannot_release_and_a_stranger_cannot_decide(
    make_member, tree, handler_qixian, qixian_staff
):
    victim = make_member("KQ-HS-001")
    application = services.join_submit(
        consent=True,
        user=None,
        org=tree["KQ-QX-001"],
        name=victim.name,
        id_number=victim.id_number,
        mobile="13800002222",
    )
    transfer = services.join_approve(by=handler_qixian, application=application)
    for user in (handler_qixian, qixian_staff):
        with pytest.raises(PermissionDenied):
            services.transfer_release(by=user, transfer=transfer)
        with pytest.raises(ValidationError):
            services.transfer_accept(by=user, transfer=transfer)


def test_c1_the_member_is_told_of_the_request_by_sms_and_in_the_inbox(
    make_member, tree, handler, handler_qixian, django_user_model
):
    with_login = make_member("KQ-HS-001", user=django_user_model.objects.create_user("xiu", password="x"))
    without_login = make_member("KQ-HS-001")
    assert with_login.user_id is not None and without_login.user_id is None

    for member in (with_login, without_login):
        application = services.join_submit(
            consent=True,
            user=None,
            org=tree["KQ-QX-001"],
            name=member.name,
            id_number=member.id_number,
            mobile="13800003333",
        )
        transfer = services.join_approve(by=handler_qixian, application=application)
        note = Notification.objects.get(event_key=f"transfer:{transfer.pk}:requested")
        assert note.user_id == member.user_id  # the inbox when she has a login; SMS only when she has none
        sms = Delivery.objects.get(notification=note, channel=Delivery.Channel.SMS)
        assert sms.address == member.mobile
    # Huashe's handler is asked for consent in the inbox
    assert Notification.objects.filter(user=handler, event_key__contains="release-asked").count() == 2


def test_c1_an_unanswered_request_goes_to_the_township_above_both_after_ten_working_days(
    make_member, tree, handler_qixian, handler, huashe_staff, district_admin, today
):
    assert settings.MEMBERS_TRANSFER_RELEASE_WORKDAYS == 10
    assert "members-escalate-unanswered-transfers" in settings.CELERY_BEAT_SCHEDULE
    # given one request within Huashe (HS-002 asks for HS-001's member) and one across townships
    within, across = make_member("KQ-HS-001"), make_member("KQ-HS-001")
    hs2_handler = User.objects.create_user("hs2", password="x")
    from union_portal.models import RoleAssignment

    RoleAssignment.objects.create(user=hs2_handler, role="handler", node=tree["KQ-HS-002"])
    transfers = []
    for member, org, by in ((within, "KQ-HS-002", hs2_handler), (across, "KQ-QX-001", handler_qixian)):
        application = services.join_submit(
            consent=True, user=None, org=tree[org], name=member.name, id_number=member.id_number, mobile="13800004444"
        )
        transfers.append(services.join_approve(by=by, application=application))
    asked_on = today - dt.timedelta(days=30)
    MemberTransfer.objects.filter(pk__in=[t.pk for t in transfers]).update(
        created_at=timezone.make_aware(dt.datetime.combine(asked_on, dt.time(10)))
    )
    due = services.transfer_release_due(MemberTransfer.objects.get(pk=transfers[0].pk))

    # when the periodic task runs on the last day, then the day after
    assert services.transfers_escalate_unanswered(today=due) == 0
    assert services.transfers_escalate_unanswered(today=due + dt.timedelta(days=1)) == 2
    assert services.transfers_escalate_unanswered(today=due + dt.timedelta(days=1)) == 0  # idempotent

    # then each goes to the township above both (the district when none is), whose staff are told
    first, second = (MemberTransfer.objects.get(pk=t.pk) for t in transfers)
    assert first.escalated_to == tree["KQ-HS"] and first.awaiting == "escalated"
    assert second.escalated_to == tree_helpers.nearest_common_ancestor(tree["KQ-HS-001"], tree["KQ-QX-001"])
    assert second.escalated_to.kind == "district"
    assert Notification.objects.filter(user=huashe_staff, event_key__contains="escalated").exists()
    assert Notification.objects.filter(user=district_admin, event_key__contains="escalated").exists()
    # and the township decides: Huashe's township staff release the first member
    services.transfer_release(by=huashe_staff, transfer=first)
    within.refresh_from_db()
    assert within.org == tree["KQ-HS-002"]
    assert AuditLog.objects.filter(action="member.transfer_release", detail__escalated=True).exists()


def test_c1_the_escalated_decision_page_asks_the_township_to_decide(
    make_member, tree, login, handler_qixian, district_admin
):
    victim = make_member("KQ-HS-001")
    application = services.join_submit(
        consent=True,
        user=None,
        org=tree["KQ-QX-001"],
        name=victim.name,
        id_number=victim.id_number,
        mobile="13800005555",
    )
    transfer = services.join_approve(by=handler_qixian, application=application)
    MemberTransfer.objects.filter(pk=transfer.pk).update(created_at=timezone.now() - dt.timedelta(days=40))
    services.transfers_escalate_unanswered()

    body = login(district_admin).get(f"/members/transfers/{transfer.pk}/").content.decode()

    assert "由您代为决定" in body and 'value="release"' in body


def test_m9_the_join_review_page_names_neither_the_union_nor_the_member_number(
    make_member, tree, login, handler_qixian
):
    existing = make_member("KQ-HS-001")
    application = services.join_submit(
        consent=True,
        user=None,
        org=tree["KQ-QX-001"],
        name=existing.name,
        id_number=existing.id_number,
        mobile="13800006666",
    )

    client = login(handler_qixian)
    body = client.get(f"/members/joins/{application.pk}/").content.decode()
    response = client.post(f"/members/joins/{application.pk}/", {"decision": "approve"}, follow=True)

    assert "请办理会员关系接转" in body
    for text in (body, response.content.decode()):
        assert existing.org.name not in text and existing.member_number not in text


def test_m15_the_members_own_page_lists_who_revealed_exported_and_moved_her_data(
    make_member, tree, login, handler, handler_qixian, worker
):
    # given the worker's membership: revealed by Huashe's handler, exported in full, then moved to Qixian
    member = Member.objects.get(user=worker)
    client = login(handler)
    client.post(f"/members/{member.pk}/reveal/id_number/")
    client.post("/members/export.xlsx?full=1", {"reason": "市总工会年度核查"})
    transfer = services.transfer_request(by=handler, member=member, to_org=tree["KQ-QX-001"], reason="调动")
    services.transfer_accept(by=handler_qixian, transfer=transfer)

    # when she opens her own page
    body = login(worker).get("/members/me/").content.decode()

    # then each is listed, staff shown as role and union, never by account name
    assert "查看了您完整的身份证号" in body
    assert "导出了含您完整个人信息的会员名册" in body
    assert "申请接转您的会员关系" in body and "接转了您的会员关系" in body
    assert "基层工会经办人" in body and "浙江华舍纺织印染有限公司工会" in body
    assert handler.username not in body and handler_qixian.username not in body


def test_m15_a_full_export_of_another_subtree_is_not_listed(make_member, tree, login, handler_qixian, worker):
    assert login(handler_qixian).post("/members/export.xlsx?full=1", {"reason": "年度核查"}).status_code == 200
    body = login(worker).get("/members/me/").content.decode()
    assert "谁查看或转移了我的信息" in body and "导出了含您完整个人信息的会员名册" not in body


def test_m15_a_change_of_payee_account_is_told_to_the_member(make_member):
    member = make_member("KQ-HS-001")
    services.member_tell_payee_change(member=member, event_key="claim:1:payee:1", new_account="6222020200112233445")
    services.member_tell_payee_change(member=member, event_key="claim:1:payee:1", new_account="6222020200112233445")

    note = Notification.objects.get(event_key="claim:1:payee:1")
    assert note.user == member.user and "3445" in note.body and "622202020011" not in note.body
    sms = Delivery.objects.filter(notification=note, channel="sms")
    assert [d.address for d in sms] == [member.mobile]  # the address is encrypted at rest: compared decrypted
