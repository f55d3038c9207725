"""Property tests over random trees: a staff member sees exactly the subtrees of their assignments."""

import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from union_portal.models import OrgUnit, RoleAssignment, User
from union_portal.roles import Role
from union_portal.scoping import get_in_scope_or_404, scope

KINDS_BY_DEPTH = ["city", "district", "township", "grassroots", "group"]
_counter = itertools.count()


def _build(shape: list[int]) -> list[OrgUnit]:
    """shape[i] = index of the parent among the nodes created before node i (node 0 is the root)."""
    run = next(_counter)
    root = OrgUnit.objects.add_root({"code": f"P{run}-0", "name": "root", "kind": "city"})
    nodes = [root]
    for i, parent_index in enumerate(shape, start=1):
        parent = nodes[parent_index % len(nodes)]
        parent.refresh_from_db()
        depth = min(parent.depth, len(KINDS_BY_DEPTH) - 1)
        nodes.append(
            OrgUnit.objects.add_child(parent, {"code": f"P{run}-{i}", "name": f"n{i}", "kind": KINDS_BY_DEPTH[depth]})
        )
    for node in nodes:
        node.refresh_from_db()
    return nodes


def _is_descendant_or_self(node: OrgUnit, ancestor: OrgUnit) -> bool:
    """Independent of paths: walk up the parents."""
    current = node
    while current is not None:
        if current.pk == ancestor.pk:
            return True
        current = OrgUnit.objects.get_parent(current)
    return False


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(
    shape=st.lists(st.integers(min_value=0, max_value=50), min_size=1, max_size=14),
    picks=st.lists(st.integers(min_value=0, max_value=50), min_size=1, max_size=3),
    role=st.sampled_from([Role.DISTRICT_ADMIN, Role.TOWNSHIP_STAFF, Role.HANDLER, Role.REVIEWER]),
)
def test_visible_nodes_are_exactly_the_assigned_subtrees(db, shape, picks, role):
    nodes = _build(shape)
    user = User.objects.create(username=f"u{next(_counter)}")
    assigned = [nodes[p % len(nodes)] for p in picks]
    for node in assigned:
        RoleAssignment.objects.get_or_create(user=user, role=role, node=node)

    visible = set(scope(OrgUnit.objects.filter(pk__in=[n.pk for n in nodes]), user).values_list("pk", flat=True))

    expected = {n.pk for n in nodes if any(_is_descendant_or_self(n, a) for a in assigned)}
    assert visible == expected
    outside = [n for n in nodes if n.pk not in expected]
    for node in outside[:3]:
        try:
            get_in_scope_or_404(OrgUnit.objects.all(), user, pk=node.pk)
        except Exception as exc:  # noqa: BLE001
            assert exc.__class__.__name__ == "Http404"
        else:
            raise AssertionError("an object outside the scope was returned")


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    shape=st.lists(st.integers(min_value=0, max_value=30), min_size=1, max_size=10),
    pick=st.integers(min_value=0, max_value=30),
)
def test_a_judge_assignment_never_grants_a_subtree(db, shape, pick):
    nodes = _build(shape)
    user = User.objects.create(username=f"j{next(_counter)}")
    RoleAssignment.objects.create(user=user, role=Role.JUDGE, node=nodes[pick % len(nodes)])

    assert not scope(OrgUnit.objects.filter(pk__in=[n.pk for n in nodes]), user).exists()
