"""A real Celery worker against Redis delivers a notification and the effect is seen in PostgreSQL."""

import os
import subprocess
import time

import pytest
from django.conf import settings
from django.db import connection

from tests import clock
from union_portal.models import Delivery
from union_portal.notifications import notify


@pytest.mark.serial
@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_runs_a_task_and_writes_to_postgresql(tree, worker):
    from union_portal.celery import app

    db = connection.settings_dict
    env = dict(os.environ)
    env.update(
        DATABASE_URL=f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        REDIS_URL=settings.REDIS_URL,
        CELERY_TASK_ALWAYS_EAGER="0",
        TESTING="1",
    )
    queue = f"test-{os.getpid()}"
    proc = subprocess.Popen(
        clock.celery_worker_argv(
            "worker",
            "-P",
            "solo",
            "-Q",
            queue,
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-l",
            "warning",
        ),
        env=env,
        cwd=settings.BASE_DIR,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    app.conf.task_always_eager = False
    try:
        notification = notify(user=worker, event_key="worker-test", title="t", body="b", phone="13957500001")
        delivery = notification.deliveries.get()
        from union_portal.tasks import deliver_task

        deliver_task.apply_async(args=[delivery.pk], queue=queue)
        deadline = time.monotonic() + 180  # a cold worker start on a loaded 2-core machine is slow
        while time.monotonic() < deadline:
            delivery.refresh_from_db()
            if delivery.status == Delivery.Status.SENT:
                break
            time.sleep(0.5)
        assert delivery.status == Delivery.Status.SENT, proc.stdout.read1().decode() if proc.poll() else ""
        assert delivery.provider_id.startswith("log-")
    finally:
        proc.terminate()
        proc.wait(timeout=20)
