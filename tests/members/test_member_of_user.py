"""members.selectors.member_of_user: the one way a login maps to its member record."""

from django.contrib.auth.models import AnonymousUser

from members.models import Member
from members.selectors import member_of_user


def test_the_login_maps_to_its_member_held_or_not(tree, worker, district_admin):
    member = Member.objects.get(user=worker)

    assert member_of_user(user=worker) == member
    assert member_of_user(user=worker, holding_only=True) == member
    assert member_of_user(user=district_admin) is None
    assert member_of_user(user=AnonymousUser()) is None


def test_holding_only_leaves_out_a_member_who_left(tree, worker):
    Member.objects.filter(user=worker).update(status=Member.Status.LEFT)

    assert member_of_user(user=worker).status == Member.Status.LEFT
    assert member_of_user(user=worker, holding_only=True) is None
