"""Member.org_path (the union's tree path on the member row, kept by database triggers) stays right whatever
changes a member's union or moves a unit in the tree; scoping and the member list read subtrees through it."""

from django.db.models import Q

from members import selectors, services
from members.models import Member
from union_portal import tree as tree_mod
from union_portal.models import OrgUnit


def _paths_in_db(*members: Member) -> list[str]:
    return [Member.objects.values_list("org_path", flat=True).get(pk=m.pk) for m in members]


def test_a_new_member_carries_the_path_of_their_union(make_member, tree):
    member = make_member("KQ-HS-001")

    assert _paths_in_db(member) == [tree["KQ-HS-001"].path]


def test_a_transferred_member_carries_the_path_of_the_receiving_union(make_member, handler, handler_qixian, tree):
    member = make_member("KQ-HS-001")
    transfer = services.transfer_request(by=handler, member=member, to_org=tree["KQ-QX-001"], reason="调动")

    services.transfer_accept(by=handler_qixian, transfer=transfer)

    assert _paths_in_db(member) == [tree["KQ-QX-001"].path]


def test_moving_a_union_in_the_tree_moves_its_members_paths(make_member, tree, district_admin):
    moved, stays = make_member("KQ-HS-003"), make_member("KQ-HS-001")

    services.org_unit_move(by=district_admin, node=tree["KQ-HS-003"], new_parent=tree["KQ-QX"], reason="区划调整")

    new_path = OrgUnit.objects.get(code="KQ-HS-003").path
    assert new_path.startswith(tree["KQ-QX"].path)
    assert _paths_in_db(moved, stays) == [new_path, tree["KQ-HS-001"].path]
    # the receiving township's list holds the member, read through the path alone
    assert moved in selectors.member_list(user=district_admin, filters=selectors.MemberFilters(org=tree["KQ-QX"]))
    assert moved not in selectors.member_list(user=district_admin, filters=selectors.MemberFilters(org=tree["KQ-HS"]))


def test_a_stale_path_saved_again_or_a_bulk_update_cannot_leave_a_wrong_path(make_member, tree):
    member = make_member("KQ-HS-001")

    member.org_path = "0000"  # a stale copy in Python, saved whole
    member.save()
    Member.objects.filter(pk=member.pk).update(org=tree["KQ-QX-001"])  # set-based, no service

    assert _paths_in_db(member) == [tree["KQ-QX-001"].path]


def test_subtree_path_range_matches_exactly_the_subtree_of_every_unit(tree):
    for node in OrgUnit.objects.all():
        by_range = set(OrgUnit.objects.filter(tree_mod.subtree_path_q(node, field="path")).values_list("pk", flat=True))
        by_prefix = set(OrgUnit.objects.filter(tree_mod.subtree_q(node)).values_list("pk", flat=True))
        assert by_range == by_prefix, node.code


def test_the_member_list_reads_union_by_union_then_by_member_number(make_member, district_admin, tree):
    # given members of two unions added alternately (member numbers interleave across the unions)
    added = [make_member(code) for code in ("KQ-HS-002", "KQ-HS-001", "KQ-HS-002", "KQ-HS-001")]

    # when
    township = selectors.MemberFilters(org=tree["KQ-HS"])
    listed = [m for m in selectors.member_list(user=district_admin, filters=township) if m in added]

    # then
    expected = sorted(added, key=lambda m: (m.org.path, m.member_number))
    assert listed == expected and listed != added


def test_a_name_search_reads_names_from_the_surname_in_name_order(make_member, district_admin, tree):
    # given
    for name in ("欧阳明远", "李欧阳明", "欧阳明"):
        make_member("KQ-HS-001", name=name)

    # when
    found = selectors.member_list(user=district_admin, filters=selectors.MemberFilters(q="欧阳明"))

    # then: the prefix matches, shortest name first; a name that only contains the text is not a match
    assert [m.name for m in found] == ["欧阳明", "欧阳明远"]


def test_member_numbers_of_two_or_three_letters_are_searched_as_numbers():
    assert selectors.member_search_q("kqs00062519") == Q(member_number="KQS00062519")
    assert selectors.member_search_q("KQ2026000001") == Q(member_number="KQ2026000001")
    assert selectors.member_search_q("张三") is None
