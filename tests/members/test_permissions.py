"""Who may see and keep a member's record, and manage the union tree."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from members.models import Member
from members.permissions import can_keep_roll, can_manage_org, can_reveal, get_member_for


def test_the_handler_of_the_union_keeps_its_roll(make_member, handler):
    member = make_member()
    assert can_keep_roll(handler, member.org) and can_reveal(handler, member)
    assert get_member_for(handler, member.pk, for_change=True) == member


def test_a_handler_of_another_union_gets_404(make_member, handler_qixian):
    member = make_member()
    with pytest.raises(Http404):
        get_member_for(handler_qixian, member.pk)


def test_a_reviewer_sees_the_member_but_may_not_change_the_record(make_member, reviewer1):
    member = make_member()
    assert get_member_for(reviewer1, member.pk) == member
    with pytest.raises(PermissionDenied):
        get_member_for(reviewer1, member.pk, for_change=True)


def test_a_worker_sees_their_own_record_only_and_may_not_change_it(make_member, worker):
    own = Member.objects.get(user=worker)
    assert get_member_for(worker, own.pk) == own
    with pytest.raises(PermissionDenied):
        get_member_for(worker, own.pk, for_change=True)
    with pytest.raises(Http404):
        get_member_for(worker, make_member().pk)


def test_anonymous_gets_404(make_member):
    with pytest.raises(Http404):
        get_member_for(AnonymousUser(), make_member().pk)


def test_township_staff_manage_the_tree_below_their_township_only(tree, huashe_staff, handler):
    assert can_manage_org(huashe_staff, tree["KQ-HS-001"])
    assert not can_manage_org(huashe_staff, tree["KQ-QX-001"])
    assert not can_manage_org(handler, tree["KQ-HS-001"])
