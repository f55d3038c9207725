"""The framework's floor (issue 18): a bare logged-in page makes at most 2 queries with sessions in the cache
(the user, the OTP device), the per-user cache of role assignments and membership is invalidated by every
change that feeds it, and the session rules hold with sessions in the cache."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from union_portal import usercache
from union_portal.membership import holds_membership
from union_portal.models import OrgUnit, RoleAssignment, User
from union_portal.scoping import assignments_of, roles_of

BARE = "/__bench__/bare/"


@pytest.fixture
def bare_page(settings):
    """The benchmark's bare view (base.html for a logged-in user) in the urlconf."""
    settings.ROOT_URLCONF = "bench.urls"
    return BARE


@pytest.fixture
def cache_sessions(settings):
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cache"


def _fresh(user) -> User:
    """The user as the next request loads it (nothing kept on the object)."""
    return User.objects.get(pk=user.pk)


# --- the bare page's queries ------------------------------------------------------------------------------


def test_bare_page_for_staff_with_otp_makes_two_queries_with_cache_sessions(
    tree, cache_sessions, bare_page, login, huashe_staff, django_assert_num_queries
):
    # given a township staff member past 2FA, whose first page filled the per-user cache
    client = login(huashe_staff)
    assert client.get(bare_page).status_code == 200
    # then: the user and the OTP device; session, roles, menu and unread count come from the cache
    with django_assert_num_queries(2):
        assert client.get(bare_page).status_code == 200


def test_bare_page_for_a_worker_makes_one_query_with_cache_sessions(
    tree, cache_sessions, bare_page, client, worker, django_assert_num_queries
):
    # given the demo worker (a membership, no role, no second factor) after a first page
    client.force_login(worker)
    assert client.get(bare_page).status_code == 200
    # then: the user only (no OTP device in a worker's session; roles and membership from the cache)
    with django_assert_num_queries(1):
        response = client.get(bare_page)
    assert response.status_code == 200


def test_bare_page_with_database_sessions_adds_only_the_session_row(
    tree, settings, bare_page, login, huashe_staff, django_assert_num_queries
):
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"
    client = login(huashe_staff)
    client.get(bare_page)
    # the session read, the user, the OTP device, and the session's save on every request (the idle timeout):
    # an UPDATE in its own atomic block (a savepoint and its release inside the test's transaction)
    with django_assert_num_queries(6):
        assert client.get(bare_page).status_code == 200


def test_the_menu_of_a_cached_page_still_shows_the_roles_entries(
    tree, cache_sessions, bare_page, login, district_admin
):
    client = login(district_admin)
    client.get(bare_page)
    body = client.get(bare_page).content.decode()
    assert "/staff/" in body and "/audit/" in body


# --- invalidation: role assignments -------------------------------------------------------------------------


def test_a_revoked_role_stops_working_on_the_very_next_request(tree, cache_sessions, login, district_admin):
    # given an admin whose roles are cached by a first page
    client = login(district_admin)
    assert client.get("/audit/").status_code == 200
    # when the role goes (not through role_withdraw, which also ends the sessions: the cache alone must do it)
    RoleAssignment.objects.filter(user=district_admin).delete()
    # then the next request no longer has it
    assert client.get("/audit/").status_code in (302, 403, 404)
    assert roles_of(_fresh(district_admin)) == set()


def test_a_granted_role_works_on_the_next_request(tree, cache_sessions, login, handler):
    client = login(handler)
    assert client.get("/audit/").status_code == 403
    RoleAssignment.objects.create(user=handler, role="district_admin", node=OrgUnit.objects.get(code="SX-KQ"))
    assert client.get("/audit/").status_code == 200


def test_a_value_cached_from_old_rows_before_commit_is_not_read_after_it(
    tree, handler, django_capture_on_commit_callbacks
):
    # given the handler's assignments cached
    assert roles_of(_fresh(handler)) == {"handler"}
    with django_capture_on_commit_callbacks(execute=True):
        RoleAssignment.objects.filter(user=handler).delete()
        # when another process, still seeing the old rows, caches them under the version replaced at once
        usercache.cached_for_user(_fresh(handler), "assignments", lambda: [("handler", 1, "0001")])
        assert roles_of(_fresh(handler)) == {"handler"}  # (what that stale entry would answer)
    # then the version replaced after commit hides it
    assert roles_of(_fresh(handler)) == set()


def test_a_moved_unit_gives_its_staff_their_new_path(tree, handler, district_admin):
    from members.services.org_units import org_unit_move

    node = OrgUnit.objects.get(code="KQ-HS-001")
    before = assignments_of(_fresh(handler))
    org_unit_move(by=district_admin, node=node, new_parent=OrgUnit.objects.get(code="KQ-QX"), reason="test")
    after = assignments_of(_fresh(handler))
    node.refresh_from_db()
    assert before != after and after == [("handler", node.pk, node.path)]


@pytest.mark.parametrize("change", ["rename", "delete"])
def test_a_removed_unit_replaces_every_users_entries_a_renamed_one_does_not(tree, handler, change):
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    assert usercache.cached_for_user(handler, "probe", compute) == 1
    assert usercache.cached_for_user(handler, "probe", compute) == 1  # cached
    group = OrgUnit.objects.get(code="KQ-HS-003")
    if change == "rename":
        group.name = "改名"
        group.save()
    else:
        group.delete()
    # the entries hold no names: a rename keeps them; a removal (or a move) changes paths
    assert usercache.cached_for_user(handler, "probe", compute) == (1 if change == "rename" else 2)


# --- invalidation: membership (the workers' menu and tiles) ------------------------------------------------


def test_a_members_status_change_updates_the_workers_menu(tree, cache_sessions, bare_page, client, worker):
    from members.models import Member
    from members.services.roll import member_change_status

    client.force_login(worker)
    assert holds_membership(_fresh(worker))
    first = client.get(bare_page).content.decode()
    member = Member.objects.get(user=worker)
    member_change_status(
        by=User.objects.get(username="handler"),
        member=member,
        status=Member.Status.LEFT,
        effective_on=timezone.localdate(),
        reason="test",
    )
    assert not holds_membership(_fresh(worker))
    card = reverse("members:my_card")
    assert card in first and card not in client.get(bare_page).content.decode()


def test_an_unread_count_follows_notifications(
    tree, cache_sessions, login, handler, django_capture_on_commit_callbacks
):
    from union_portal.notifications import mark_read, notify, unread_count

    login(handler).get("/")
    assert unread_count(_fresh(handler)) == 0
    with django_capture_on_commit_callbacks(execute=True):
        notify(user=handler, event_key="test:floor", title="t", body="b")
    assert unread_count(_fresh(handler)) == 1
    with django_capture_on_commit_callbacks(execute=True):
        mark_read(user=handler)
    assert unread_count(_fresh(handler)) == 0


# --- the session rules with sessions in the cache ----------------------------------------------------------


def test_cache_sessions_end_twelve_hours_after_login(tree, cache_sessions, login, handler):
    import time

    from union_portal.security import SESSION_LOGIN_AT

    client = login(handler)
    assert client.get("/inbox/").status_code == 200
    session = client.session
    session[SESSION_LOGIN_AT] = int(time.time()) - 12 * 3600 - 1
    session.save()
    assert client.get("/inbox/").status_code == 302


def test_a_password_change_ends_the_other_cache_sessions(tree, cache_sessions, login, client, handler, settings):
    from tests.conftest import verify_two_factor

    other = type(client)()
    other.force_login(handler)
    verify_two_factor(other, handler)
    assert other.get("/inbox/").status_code == 200
    this = login(handler)
    new = "Zhigong#Huzhu2026"
    response = this.post(
        "/accounts/password/", {"old_password": settings.DEMO_PASSWORD, "new_password1": new, "new_password2": new}
    )
    assert response.status_code == 302
    assert this.get("/inbox/").status_code == 200
    assert other.get("/inbox/").status_code == 302


def test_ending_an_accounts_sessions_ends_its_cache_sessions(tree, cache_sessions, login, handler):
    from union_portal.apitokens import user_end_sessions

    client = login(handler)
    assert client.get("/inbox/").status_code == 200
    user_end_sessions(user=handler, reason="disabled")
    assert client.get("/inbox/").status_code == 302


def test_cache_sessions_leave_no_session_rows(tree, cache_sessions, login, handler):
    from django.contrib.sessions.models import Session

    login(handler).get("/inbox/")
    assert not Session.objects.exists()


def test_the_per_user_cache_reads_two_cache_keys_and_no_query_when_warm(tree, handler):
    assignments = assignments_of(_fresh(handler))
    other_request = _fresh(handler)
    with CaptureQueriesContext(connection) as captured:
        assert assignments_of(other_request) == assignments
    assert captured.captured_queries == []
