"""The one scoping mechanism: staff see their subtree, workers their own records, nothing else."""

import pytest
from django.http import Http404

from members.models import Member
from union_portal.models import Notification, OrgUnit
from union_portal.scoping import get_in_scope_or_404, scope, scope_paths


def test_township_staff_see_only_their_township_subtree(tree, huashe_staff):
    visible = set(scope(OrgUnit.objects.all(), huashe_staff).values_list("code", flat=True))

    assert "KQ-HS" in visible and "KQ-HS-001" in visible and "KQ-HS-001-G01" in visible
    assert "KQ-QX" not in visible and "KQ-QX-001" not in visible
    assert "SX-KQ" not in visible  # nothing above


def test_staff_of_huashe_get_404_for_a_qixian_object(tree, huashe_staff):
    with pytest.raises(Http404):
        get_in_scope_or_404(OrgUnit.objects.all(), huashe_staff, pk=tree["KQ-QX-001"].pk)


def test_district_admin_sees_the_district_but_not_the_city(tree, district_admin):
    visible = scope(OrgUnit.objects.all(), district_admin)

    assert visible.filter(code="KQ-QX-001").exists()
    assert not visible.filter(code="SX").exists()


def test_worker_sees_only_their_own_membership(tree, worker, handler):
    other = Member.objects.get(user=worker)
    other.pk = None
    other.user = handler
    other.member_number = "KQ-OTHER"
    other.id_number_hash = "x" * 64
    other.save()

    assert list(scope(Member.objects.all(), worker).values_list("user__username", flat=True)) == ["worker"]


def test_worker_sees_only_their_own_notifications(tree, worker, handler):
    Notification.objects.create(user=worker, event_key="a", title="a", body="a")
    Notification.objects.create(user=handler, event_key="b", title="b", body="b")

    assert list(scope(Notification.objects.all(), worker).values_list("event_key", flat=True)) == ["a"]


def test_a_judge_assignment_grants_no_subtree(tree, judge1):
    assert scope_paths(judge1) == []
    assert not scope(OrgUnit.objects.all(), judge1).exists()


def test_anonymous_sees_nothing(tree):
    from django.contrib.auth.models import AnonymousUser

    assert not scope(OrgUnit.objects.all(), AnonymousUser()).exists()


def test_nested_assignments_are_reduced_to_the_widest(tree, huashe_staff):
    huashe_staff.assignments.create(role="handler", node=tree["KQ-HS-001"])

    assert scope_paths(huashe_staff) == [tree["KQ-HS"].path]


def test_scope_filters_in_one_query(tree, huashe_staff, django_assert_num_queries):
    # 1 query for the assignments (then cached on the user), 1 for the rows
    with django_assert_num_queries(2):
        list(scope(Member.objects.all(), huashe_staff))
