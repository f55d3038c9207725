import datetime as dt

from members.models import Member, MemberEvent
from members.selectors import member_status_on

from .conftest import YEAR


def test_status_on_a_date_follows_the_events(tree, worker):
    member = Member.objects.get(user=worker)
    MemberEvent.objects.create(
        member=member, kind="status", effective_on=dt.date(YEAR, 6, 1), from_status="active", to_status="left"
    )
    member.status = "left"
    member.save()

    assert member_status_on(member=member, on=dt.date(2019, 4, 30)) is None
    assert member_status_on(member=member, on=dt.date(YEAR, 5, 31)) == "active"
    assert member_status_on(member=member, on=dt.date(YEAR, 6, 1)) == "left"


def test_status_on_without_events_is_the_current_status_since_joining(tree, worker):
    member = Member.objects.get(user=worker)
    member.events.all().delete()

    assert member_status_on(member=member, on=dt.date(2020, 1, 1)) == "active"
