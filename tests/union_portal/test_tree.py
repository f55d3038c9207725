"""The tree walk (union_portal.tree) and role holders (union_portal.roles.role_holders): every function says
whether the node itself counts, and answers accordingly."""

import pytest
from django.contrib.auth import get_user_model

from union_portal import tree as t
from union_portal.models import OrgUnit
from union_portal.roles import Role, role_holders

# --- pure path arithmetic (no database) --------------------------------------------------------------------


def test_ancestor_paths_with_and_without_the_node_itself():
    assert t.ancestor_paths("000100020003", include_self=True) == ["0001", "00010002", "000100020003"]
    assert t.ancestor_paths("000100020003", include_self=False) == ["0001", "00010002"]


def test_a_root_has_no_ancestor_but_itself():
    assert t.ancestor_paths("0001", include_self=True) == ["0001"]
    assert t.ancestor_paths("0001", include_self=False) == []


def test_parent_path_and_ancestor_at_a_depth():
    assert t.parent_path("000100020003") == "00010002"
    assert t.parent_path("0001") == ""
    assert t.ancestor_path_at("000100020003", 1) == "0001"
    assert t.ancestor_path_at("000100020003", 3) == "000100020003"


def test_is_within_counts_the_root_itself_only_when_asked():
    assert t.is_within("00010002", "0001")
    assert t.is_within("0001", "0001")
    assert not t.is_within("0001", "0001", include_self=False)
    assert t.is_within("00010002", "0001", include_self=False)
    assert not t.is_within("0002", "0001")


# --- queries ----------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_ancestors_in_order_root_first(tree):
    union = tree["KQ-HS-001"]

    assert [u.code for u in t.ancestors(union, include_self=False)] == ["SX", "SX-KQ", "KQ-HS"]
    assert [u.code for u in t.ancestors(union, include_self=True)] == ["SX", "SX-KQ", "KQ-HS", "KQ-HS-001"]
    assert [u.code for u in t.ancestors_of_pk(union.pk, include_self=True)] == ["SX", "SX-KQ", "KQ-HS", "KQ-HS-001"]
    assert [u.code for u in t.ancestors_of_pk(union.pk, include_self=False)] == ["SX", "SX-KQ", "KQ-HS"]
    assert list(t.ancestors(tree["SX"], include_self=False)) == []


@pytest.mark.django_db
def test_parent_and_children(tree):
    assert t.parent(tree["KQ-HS-001"]) == tree["KQ-HS"]
    assert t.parent(tree["SX"]) is None
    children = list(t.children(tree["KQ-HS"]))
    assert {"KQ-HS-001", "KQ-HS-002", "KQ-HS-003"} <= {c.code for c in children}
    assert all(c.depth == tree["KQ-HS"].depth + 1 for c in children)
    assert children == sorted(children, key=lambda c: c.path)


@pytest.mark.django_db
def test_nearest_ancestor_includes_the_node_itself_only_when_asked(tree):
    townships = OrgUnit.objects.filter(kind=OrgUnit.Kind.TOWNSHIP)
    huashe = tree["KQ-HS"]

    assert t.nearest_ancestor(tree["KQ-HS-001"], townships, include_self=True) == huashe
    assert t.nearest_ancestor(huashe, townships, include_self=True) == huashe
    assert t.nearest_ancestor(huashe, townships, include_self=False) is None
    everything = OrgUnit.objects.all()
    assert t.nearest_ancestor(huashe, everything, include_self=False) == tree["SX-KQ"]


@pytest.mark.django_db
def test_nearest_ancestor_through_a_related_unit(tree):
    from union_portal.models import RoleAssignment

    staff = RoleAssignment.objects.filter(role=Role.TOWNSHIP_STAFF)
    found = t.nearest_ancestor(tree["KQ-HS-001"], staff, include_self=True, field="node")
    assert found.user == get_user_model().objects.get(username="huashe_staff")


@pytest.mark.django_db
def test_subtree_and_lineage_q(tree):
    huashe = tree["KQ-HS"]

    below = set(OrgUnit.objects.filter(t.subtree_q(huashe)).values_list("code", flat=True))
    assert "KQ-HS" in below and "KQ-HS-001" in below and "KQ-QX" not in below and "SX-KQ" not in below
    both = set(OrgUnit.objects.filter(t.subtree_q(huashe, tree["KQ-QX"])).values_list("code", flat=True))
    assert {"KQ-HS-001", "KQ-QX-001"} <= both
    assert not OrgUnit.objects.filter(t.subtree_q()).exists()
    line = set(OrgUnit.objects.filter(t.lineage_q(huashe)).values_list("code", flat=True))
    assert {"SX", "SX-KQ", "KQ-HS", "KQ-HS-001"} <= line and "KQ-QX" not in line


# --- role holders -----------------------------------------------------------------------------------------


def _names(users):
    return sorted(u.username for u in users)


@pytest.mark.django_db
def test_role_holders_at_or_above_a_node(tree, django_assert_num_queries):
    with django_assert_num_queries(1):
        reviewers = _names(role_holders(Role.REVIEWER, at_or_above=tree["KQ-HS-001"]))
    assert reviewers == ["reviewer1", "reviewer2"]
    assert _names(role_holders(Role.TOWNSHIP_STAFF, at_or_above=tree["KQ-HS-001"])) == ["huashe_staff"]
    assert _names(role_holders(Role.TOWNSHIP_STAFF, at_or_above=tree["KQ-HS"])) == ["huashe_staff"]
    assert _names(role_holders(Role.TOWNSHIP_STAFF, at_or_above=tree["KQ-HS"], include_self=False)) == []
    assert _names(role_holders(Role.DISTRICT_ADMIN, at=tree["SX-KQ"])) == ["district_admin"]
    assert _names(role_holders(Role.DISTRICT_ADMIN, at=tree["KQ-HS"])) == []
    assert _names(role_holders(Role.JUDGE)) == ["judge1", "judge2"]


@pytest.mark.django_db
def test_role_holders_leave_out_disabled_accounts_unless_asked(tree):
    get_user_model().objects.filter(username="reviewer2").update(is_active=False)

    assert _names(role_holders(Role.REVIEWER, at_or_above=tree["KQ-HS-001"])) == ["reviewer1"]
    assert _names(role_holders(Role.REVIEWER, active_only=False)) == ["reviewer1", "reviewer2"]
