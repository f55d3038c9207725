"""Staff accounts and roles: managed within the manager's subtree, audited."""

import pytest
from django.contrib.auth import get_user_model

from union_portal.models import AuditLog, RoleAssignment

STRONG = "Zhigong#Huzhu2026"


def test_township_staff_create_a_handler_for_a_union_of_their_township(tree, login, huashe_staff):
    client = login(huashe_staff)
    response = client.post(
        "/staff/new/",
        {
            "username": "hs_handler2",
            "full_name": "新经办人",
            "mobile": "13900000001",
            "password": STRONG,
            "role": "handler",
            "node_code": "KQ-HS-002",
        },
    )
    assert response.status_code == 302
    user = get_user_model().objects.get(username="hs_handler2")
    assert list(user.assignments.values_list("role", "node__code")) == [("handler", "KQ-HS-002")]
    assert AuditLog.objects.filter(action="account.create", object_id=str(user.pk)).exists()


def test_township_staff_cannot_grant_roles_in_another_township_or_above_handler(tree, login, huashe_staff):
    client = login(huashe_staff)
    other = client.post(
        "/staff/new/",
        {
            "username": "x1",
            "full_name": "x",
            "mobile": "13900000002",
            "password": STRONG,
            "role": "handler",
            "node_code": "KQ-QX-001",
        },
    )
    higher = client.post(
        "/staff/new/",
        {
            "username": "x2",
            "full_name": "x",
            "mobile": "13900000003",
            "password": STRONG,
            "role": "reviewer",
            "node_code": "KQ-HS-001",
        },
    )
    assert other.status_code == 200 and higher.status_code == 200
    assert not get_user_model().objects.filter(username__in=["x1", "x2"]).exists()


def test_the_manager_chooses_no_password_the_new_account_gets_an_enrolment_link_by_sms(tree, login, district_admin):
    """M6 (replaces "a weak initial password is refused"): managers no longer choose passwords. A password
    typed into the form is ignored; the account has no usable password until the person opens the one-time
    link sent to their own mobile."""
    from union_portal.sms import LoggingSmsBackend

    sent_before = len(LoggingSmsBackend.outbox)
    response = login(district_admin).post(
        "/staff/new/",
        {
            "username": "x3",
            "full_name": "x",
            "mobile": "13900000004",
            "password": STRONG,
            "role": "handler",
            "node_code": "KQ-HS-001",
        },
    )
    assert response.status_code == 302
    user = get_user_model().objects.get(username="x3")
    assert not user.has_usable_password() and not user.check_password(STRONG)
    sms = LoggingSmsBackend.outbox[sent_before:]
    assert [phone for phone, _text in sms] == ["13900000004"] and "/accounts/2fa/enrol/" in sms[0][1]
    assert "password" not in _staff_form_fields(login, district_admin)


def _staff_form_fields(login, user) -> list[str]:
    return list(login(user).get("/staff/new/").context["form"].fields)


def test_staff_list_shows_only_accounts_in_the_subtree(tree, login, huashe_staff):
    body = login(huashe_staff).get("/staff/").content.decode()
    assert "handler" in body and "handler_qixian" not in body


def test_staff_of_another_township_get_404_for_an_account(tree, login, huashe_staff, handler_qixian):
    client = login(huashe_staff)
    assert client.get(f"/staff/{handler_qixian.pk}/").status_code == 404
    assert client.post(f"/staff/{handler_qixian.pk}/disable/").status_code == 404


def test_workers_and_handlers_cannot_manage_accounts(tree, login, handler, worker):
    assert login(handler).get("/staff/").status_code == 403
    assert login(worker).get("/staff/").status_code == 403


def test_disabling_an_account_ends_its_sessions_and_token(tree, login, client, district_admin, handler, settings):
    from union_portal.apitokens import token_authenticate, token_issue
    from union_portal.models import User

    handler_client = type(client)()
    handler_client.force_login(handler)
    token = token_issue(user=handler).access

    login(district_admin).post(f"/staff/{handler.pk}/disable/")

    assert not User.objects.get(pk=handler.pk).is_active
    assert handler_client.get("/inbox/").status_code == 302  # "/" is public since issue 16
    assert token_authenticate(token) is None
    assert not handler.api_tokens.filter(revoked_at__isnull=True).exists()
    assert AuditLog.objects.filter(action="account.disable", object_id=str(handler.pk)).exists()


def test_withdrawing_and_assigning_roles(tree, login, district_admin, handler):
    client = login(district_admin)
    client.post(f"/staff/{handler.pk}/", {"role": "handler", "node_code": "KQ-HS-002"})
    assert handler.assignments.filter(node__code="KQ-HS-002").exists()
    assignment = handler.assignments.get(node__code="KQ-HS-001")
    client.post(f"/staff/{handler.pk}/roles/{assignment.pk}/withdraw/")
    assert not RoleAssignment.objects.filter(pk=assignment.pk).exists()


def test_resetting_two_factor_removes_the_devices(tree, login, district_admin, handler):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=handler, name="phone", confirmed=True)
    login(district_admin).post(f"/staff/{handler.pk}/reset-2fa/")
    assert not TOTPDevice.objects.filter(user=handler).exists()


def test_a_township_manager_cannot_disable_a_district_reviewer(tree, login, huashe_staff, reviewer1):
    assert login(huashe_staff).post(f"/staff/{reviewer1.pk}/disable/").status_code == 404


@pytest.mark.parametrize("extra", [0, 5])
def test_staff_list_queries_do_not_grow(tree, login, district_admin, django_assert_num_queries, extra):
    for i in range(extra):
        user = get_user_model().objects.create(username=f"extra{i}")
        RoleAssignment.objects.create(user=user, role="handler", node=tree["KQ-HS-001"])
    client = login(district_admin)
    client.get("/staff/")
    # session, user, OTP device, assignments, the page of accounts, their prefetched roles;
    # session save (savepoint, update, release)
    with django_assert_num_queries(8):
        client.get("/staff/")


def test_nobody_changes_their_own_roles(tree, login, district_admin):
    """M7: a district admin cannot grant themselves reviewer or finance (POST /staff/<own id>/)."""
    # given: the district admin on their own staff page
    client = login(district_admin)

    # when
    responses = [
        client.post(f"/staff/{district_admin.pk}/", {"role": role, "node_code": "SX-KQ"})
        for role in ("reviewer", "finance", "township_staff")
    ]

    # then: each refused with a message in words, and nothing granted
    assert [r.status_code for r in responses] == [200, 200, 200]
    assert "不能更改自己的角色" in responses[0].content.decode()
    assert list(district_admin.assignments.values_list("role", flat=True)) == ["district_admin"]
    assert not AuditLog.objects.filter(action="account.role_assign", object_id=str(district_admin.pk)).exists()


def test_the_staff_service_refuses_a_change_of_ones_own_roles(tree, district_admin):
    from django.core.exceptions import ValidationError

    from union_portal import accounts

    with pytest.raises(ValidationError):
        accounts.role_assign(by=district_admin, target=district_admin, role="finance", node=tree["SX-KQ"])


@pytest.mark.parametrize(
    ("username", "role"),
    [("reviewer1", "finance"), ("finance", "reviewer"), ("reviewer1", "district_admin"), ("finance", "district_admin")],
)
def test_reviewer_finance_and_admin_roles_are_not_combined_on_one_account(tree, login, city_admin, username, role):
    """M7: segregation of duties (SEGREGATED_ROLES): the one who decides claims does not pay them or grant roles."""
    target = get_user_model().objects.get(username=username)
    response = login(city_admin).post(f"/staff/{target.pk}/", {"role": role, "node_code": "SX-KQ"})

    assert response.status_code == 200 and "不相容职务分离" in response.content.decode()
    assert not target.assignments.filter(role=role).exists()


def test_segregation_of_duties_is_configurable(tree, login, city_admin, reviewer1, settings):
    settings.SEGREGATED_ROLES = []
    response = login(city_admin).post(f"/staff/{reviewer1.pk}/", {"role": "finance", "node_code": "SX-KQ"})
    assert response.status_code == 302 and reviewer1.assignments.filter(role="finance").exists()


def test_compatible_roles_are_still_granted(tree, login, district_admin, handler):
    response = login(district_admin).post(f"/staff/{handler.pk}/", {"role": "township_staff", "node_code": "KQ-HS"})
    assert response.status_code == 302


def test_the_admin_does_not_let_a_superuser_edit_their_own_roles(tree, rf, handler):
    from django.contrib import admin

    from union_portal.admin import RoleAssignmentInline

    root = get_user_model().objects.create_superuser("root", "root@example.cn", STRONG)
    request = rf.get("/")
    request.user = root
    inline = RoleAssignmentInline(get_user_model(), admin.site)

    assert not inline.has_add_permission(request, root) and not inline.has_delete_permission(request, root)
    assert inline.has_add_permission(request, handler)
