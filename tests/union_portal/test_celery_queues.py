"""Celery routes by queue (issue 18, past one machine): every task of the portal has a queue of its own kind,
the beat schedule's entries go to the queue of their task, and a worker started without -Q listens to all."""

from django.conf import settings

from union_portal.celery import app

EXPECTED_BEAT_QUEUES = {
    "notifications-requeue-pending": "notifications",
    "mutual-aid-requeue-stale-reviews": "reviews",
    "members-import-files-purge": "imports",
    "members-export-files-purge": "exports",
    "dashboard-refresh-figures": "figures",
    "members-escalate-unanswered-transfers": "default",
    "awards-close-due-notices": "default",
    "funds-founding-reserve-sweep": "default",
    "assistance-finish-due-notices": "default",
    "assistance-files-remind-due": "default",
    "assistance-files-sweep-roll": "default",
    "labour-escalate-overdue-cases": "default",
    "labour-ratings-nightly": "default",
    "labour-contract-reminders": "default",
}


def _portal_tasks() -> set[str]:
    """The names of the tasks defined in the portal's own */tasks.py (not Celery's built-ins)."""
    app.loader.import_default_modules()
    return {name for name in app.tasks if ".tasks." in name and not name.startswith("celery.")}


def _queue_of(task_name: str) -> str:
    return app.amqp.router.route({}, task_name)["queue"].name


def test_every_portal_task_has_an_explicit_route():
    tasks = _portal_tasks()

    assert "mutual_aid.tasks.auto_review_task" in tasks  # the discovery found the apps' tasks
    assert tasks - set(settings.CELERY_TASK_ROUTES) == set()
    assert set(settings.CELERY_TASK_ROUTES) - tasks == set()  # no route for a task that is gone


def test_tasks_go_to_the_queue_of_their_kind():
    assert _queue_of("mutual_aid.tasks.auto_review_task") == "reviews"
    assert _queue_of("mutual_aid.tasks.auto_review_batch_task") == "reviews"
    assert _queue_of("union_portal.tasks.deliver_task") == "notifications"
    assert _queue_of("members.tasks.member_import_run_task") == "imports"
    assert _queue_of("members.tasks.member_export_task") == "exports"
    assert _queue_of("dashboard.tasks.refresh_figures_task") == "figures"
    assert _queue_of("funds.tasks.founding_reserve_hand_over_task") == "default"


def test_every_beat_entry_goes_to_the_queue_of_its_kind():
    schedule = settings.CELERY_BEAT_SCHEDULE

    assert set(schedule) == set(EXPECTED_BEAT_QUEUES)  # a new entry must be given its queue here
    for entry, queue in EXPECTED_BEAT_QUEUES.items():
        assert _queue_of(schedule[entry]["task"]) == queue, entry


def test_a_worker_without_q_listens_to_every_queue():
    listened = set(app.amqp.queues.consume_from or app.amqp.queues)

    assert listened == {"default", "reviews", "notifications", "imports", "figures", "exports"}
    assert {route["queue"] for route in settings.CELERY_TASK_ROUTES.values()} <= listened
