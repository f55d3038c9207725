"""The day a releasing union must answer a transfer by is derived from the request day and the working-day
calendar; a change of the holiday table moves it, and the releasing union's handlers are told once."""

import pytest

from members import services
from members.models import MemberTransfer
from union_portal.models import HolidayDay, Notification

pytestmark = pytest.mark.django_db


def test_a_new_holiday_on_the_due_day_moves_it_and_tells_the_releasing_union_once(
    make_member, tree, handler_qixian, handler, django_capture_on_commit_callbacks
):
    # given Qixian asks to receive a Huashe member (the transfer waits for Huashe's answer)
    member = make_member("KQ-HS-001")
    application = services.join_submit(
        consent=True,
        user=None,
        org=tree["KQ-QX-001"],
        name=member.name,
        id_number=member.id_number,
        mobile="13800004444",
    )
    transfer = services.join_approve(by=handler_qixian, application=application)
    assert isinstance(transfer, MemberTransfer)
    due = transfer.release_due_on
    assert due == services.transfer_release_due(transfer)

    def told():
        return Notification.objects.filter(user=handler, event_key__startswith=f"transfer:{transfer.pk}:due:")

    # when the district declares the due day a holiday
    with django_capture_on_commit_callbacks(execute=True):
        day = HolidayDay.objects.create(date=due, is_workday=False, name="临时放假")

    # then the answer is due on the next working day, and Huashe's handler is told
    transfer.refresh_from_db()
    assert transfer.release_due_on > due
    assert transfer.release_due_on == services.transfer_release_due(transfer)
    assert told().count() == 1 and "放假安排调整" in told().get().body

    # when the same row is saved again, nobody is told anything
    with django_capture_on_commit_callbacks(execute=True):
        day.save()
    assert told().count() == 1

    # when the row is deleted, the old day comes back, and the handler is told of that move
    with django_capture_on_commit_callbacks(execute=True):
        day.delete()
    transfer.refresh_from_db()
    assert transfer.release_due_on == due and told().count() == 2
