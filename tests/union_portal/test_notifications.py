from union_portal.models import Delivery, Notification
from union_portal.notifications import notify
from union_portal.sms import LoggingSmsBackend


def test_a_notification_reaches_inbox_sms_and_email_once(tree, worker, django_capture_on_commit_callbacks, mailoutbox):
    LoggingSmsBackend.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            user=worker,
            event_key="claim:1:received",
            title="申请已受理",
            body="您的申请已受理。",
            phone="13957500001",
            email="worker@example.cn",
        )
    with django_capture_on_commit_callbacks(execute=True):
        again = notify(
            user=worker,
            event_key="claim:1:received",
            title="申请已受理",
            body="您的申请已受理。",
            phone="13957500001",
            email="worker@example.cn",
        )

    assert again is None
    assert Notification.objects.filter(user=worker).count() == 1
    assert [d.status for d in Delivery.objects.all()] == ["sent", "sent"]
    assert len(LoggingSmsBackend.outbox) == 1 and len(mailoutbox) == 1


def test_a_delivery_is_not_sent_twice_when_its_task_runs_again(tree, worker, django_capture_on_commit_callbacks):
    from union_portal.tasks import deliver_task

    LoggingSmsBackend.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        notify(user=worker, event_key="e2", title="t", body="b", phone="13957500001")
    delivery = Delivery.objects.get()
    deliver_task.delay(delivery.pk)  # redelivered task

    assert len(LoggingSmsBackend.outbox) == 1
    delivery.refresh_from_db()
    assert delivery.attempts == 1


def test_deliveries_left_pending_by_a_broker_outage_are_sent_by_the_sweep(tree, worker, monkeypatch):
    import datetime as dt

    from django.utils import timezone

    from union_portal.notifications import requeue_pending_deliveries

    # given a delivery whose enqueue never happened (the broker was down), and a fresh one
    LoggingSmsBackend.outbox.clear()
    notify(user=worker, event_key="lost", title="t", body="b", phone="13957500001")
    notify(user=worker, event_key="fresh", title="t", body="b", phone="13957500002")
    Delivery.objects.filter(notification__event_key="lost").update(created_at=timezone.now() - dt.timedelta(minutes=30))

    # when the sweep runs (twice: it is idempotent)
    assert requeue_pending_deliveries() == 1
    assert requeue_pending_deliveries() == 0

    # then the old one is sent once, the fresh one is left to its own task
    assert [d.status for d in Delivery.objects.order_by("id")] == ["sent", "pending"]
    assert len(LoggingSmsBackend.outbox) == 1
