"""Workers' congress sessions and open factory affairs: the service checks the quorum and majority from the rule
kept as data, refuses bad input whole, and only the enterprise's handler records."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from labour import rules_congress
from labour.models import CongressResolution, CongressSession, OpenAffairsItem
from labour.services.congress import (
    ResolutionInput,
    congress_rule_set,
    congress_session_record,
    open_affairs_record,
)
from members.models import Enterprise
from union_portal.models import AuditLog

pytestmark = pytest.mark.django_db


@pytest.fixture
def firm(tree):
    return Enterprise.objects.get(union=tree["KQ-HS-001"])


def _record(handler, firm, today, **overrides):
    fields = {
        "by": handler,
        "enterprise": firm,
        "held_on": today - dt.timedelta(days=3),
        "delegates": 30,
        "present": 24,
        "agenda": "审议工资集体协议草案",
        "resolutions": [],
        "today": today,
    }
    fields.update(overrides)
    return congress_session_record(**fields)


def test_quorum_is_two_thirds_of_delegates_present_by_default():
    # given / when / then: 20 of 30 is exactly 2/3 (enough), 19 is not
    assert rules_congress.quorum_met(delegates=30, present=20)
    assert not rules_congress.quorum_met(delegates=30, present=19)
    assert rules_congress.quorum_needed(delegates=31) == 21


def test_a_resolution_needs_more_than_half_of_all_delegates_not_of_those_present():
    # given 30 delegates: 15 in favour is half, not more than half
    assert not rules_congress.resolution_passes(delegates=30, votes_for=15)
    assert rules_congress.resolution_passes(delegates=30, votes_for=16)
    assert rules_congress.votes_needed(delegates=30) == 16 and rules_congress.votes_needed(delegates=31) == 16


def test_handler_records_a_session_and_the_service_decides_which_resolutions_passed(handler, firm, today):
    # given 30 delegates, 22 present
    resolutions = [
        ResolutionInput(title="工资集体协议草案", votes_for=16, votes_against=4, abstentions=2),
        ResolutionInput(title="调整夜班津贴", votes_for=15, votes_against=7),
    ]
    # when the handler records the session
    session = _record(handler, firm, today, present=22, resolutions=resolutions)
    # then it is the firm's union's, each resolution is judged against ALL 30 delegates, and it is audited
    assert session.org == firm.union and (session.quorum_numerator, session.quorum_denominator) == (2, 3)
    passed = dict(session.resolutions.values_list("title", "passed"))
    assert passed == {"工资集体协议草案": True, "调整夜班津贴": False}
    assert AuditLog.objects.filter(action="labour.congress.record", object_id=str(session.pk), actor=handler).exists()


def test_more_delegates_present_than_elected_is_refused_and_nothing_saved(handler, firm, today):
    # when
    with pytest.raises(ValidationError) as caught:
        _record(handler, firm, today, delegates=30, present=31)
    # then
    assert "present" in caught.value.message_dict
    assert not CongressSession.objects.exists()


def test_a_session_without_quorum_is_refused(handler, firm, today):
    with pytest.raises(ValidationError) as caught:
        _record(handler, firm, today, delegates=30, present=19)
    assert "20" in caught.value.message_dict["present"][0]
    assert not CongressSession.objects.exists()


def test_votes_adding_to_more_than_those_present_refuse_the_whole_session(handler, firm, today):
    # given a valid session but one resolution with 25 votes cast for 24 present
    resolutions = [
        ResolutionInput(title="工资集体协议草案", votes_for=20),
        ResolutionInput(title="福利方案", votes_for=20, votes_against=3, abstentions=2),
    ]
    # when
    with pytest.raises(ValidationError) as caught:
        _record(handler, firm, today, present=24, resolutions=resolutions)
    # then nothing of it is saved, neither the session nor the valid resolution
    assert "resolutions" in caught.value.message_dict
    assert not CongressSession.objects.exists() and not CongressResolution.objects.exists()


def test_a_session_dated_in_the_future_is_refused(handler, firm, today):
    with pytest.raises(ValidationError) as caught:
        _record(handler, firm, today, held_on=today + dt.timedelta(days=1))
    assert "held_on" in caught.value.message_dict


def test_the_same_day_twice_is_refused(handler, firm, today):
    _record(handler, firm, today)
    with pytest.raises(ValidationError):
        _record(handler, firm, today)
    assert CongressSession.objects.count() == 1


def test_the_rule_is_data_a_stricter_quorum_and_majority_apply_to_new_sessions(district_admin, handler, firm, today):
    # given the district sets a 3/4 quorum and a 2/3 majority
    congress_rule_set(
        by=district_admin, quorum_numerator=3, quorum_denominator=4, majority_numerator=2, majority_denominator=3
    )
    # when 22 of 30 attend (below 3/4) the session is refused
    with pytest.raises(ValidationError):
        _record(handler, firm, today, present=22)
    # and with 23 present, 20 votes of 30 is not more than 2/3 while 21 is
    session = _record(
        handler,
        firm,
        today,
        present=23,
        resolutions=[ResolutionInput(title="甲", votes_for=20), ResolutionInput(title="乙", votes_for=21)],
    )
    # then
    assert dict(session.resolutions.values_list("title", "passed")) == {"甲": False, "乙": True}
    assert (session.quorum_numerator, session.quorum_denominator) == (3, 4)


def test_only_the_district_admin_changes_the_rule_and_nonsense_is_refused(district_admin, huashe_staff):
    with pytest.raises(PermissionDenied):
        congress_rule_set(
            by=huashe_staff, quorum_numerator=1, quorum_denominator=2, majority_numerator=1, majority_denominator=2
        )
    with pytest.raises(ValidationError):
        congress_rule_set(
            by=district_admin, quorum_numerator=2, quorum_denominator=3, majority_numerator=2, majority_denominator=2
        )


def test_only_the_firms_own_handler_records_its_sessions(handler_qixian, huashe_staff, firm, today):
    # given the handler of another firm's union and the firm's township staff
    for stranger in (handler_qixian, huashe_staff):
        # when / then
        with pytest.raises(PermissionDenied):
            _record(stranger, firm, today)
    assert not CongressSession.objects.exists()


def test_open_affairs_item_is_recorded_and_a_future_date_refused(handler, firm, today):
    # when
    item = open_affairs_record(
        by=handler, enterprise=firm, subject="年度工资调整方案", published_on=today, channel="notice_board", today=today
    )
    # then
    assert item.org == firm.union and item.get_channel_display()
    with pytest.raises(ValidationError) as caught:
        open_affairs_record(
            by=handler,
            enterprise=firm,
            subject="下月排班",
            published_on=today + dt.timedelta(days=2),
            channel="meeting",
            today=today,
        )
    assert "published_on" in caught.value.message_dict
    assert OpenAffairsItem.objects.count() == 1
