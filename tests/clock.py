"""The test clock. ``TEST_TODAY=YYYY-MM-DD`` runs the whole test process, and the Celery workers the tests start,
on that date (freezegun, ticking, from 10:00 Asia/Shanghai); unset, the tests run on the real date.

Run as ``python -m tests.clock <celery arguments>`` it starts a Celery worker on the same clock."""

import datetime as dt
import importlib
import os
import sys
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")
TIME_OF_DAY = dt.time(10, 0)  # the same calendar day in Shanghai and in UTC


def date_from_env() -> dt.date | None:
    """The date TEST_TODAY asks for, or None."""
    value = os.environ.get("TEST_TODAY", "").strip()
    return dt.date.fromisoformat(value) if value else None


def current_date() -> dt.date:
    """The date the tests run at: TEST_TODAY (the clock is set to it) or the real local date (Asia/Shanghai). Helpers
    and module constants use this; tests use the ``today`` fixture."""
    from django.utils import timezone

    return date_from_env() or timezone.localdate()


def last_year() -> int:
    """A year wholly in the past on any test date: the year of test data whose dates may not be in the future."""
    return current_date().year - 1


def start() -> None:
    """Move this process's clock to TEST_TODAY (once); nothing when it is unset."""
    day = date_from_env()
    if day is None or getattr(start, "_started", False):
        return
    import freezegun

    # Modules that keep the real clock or the real datetime type from the moment they are imported, which the fake
    # ones would break: DRF's throttle keeps time.time as a class attribute (a fake, plain function would be bound
    # as a method); psycopg's C extension checks the size of datetime.date; openpyxl keys its cell number formats by
    # the datetime types, while psycopg hands back real dates.
    for name in ("rest_framework.throttling", "psycopg", "openpyxl"):
        importlib.import_module(name)
    start._freezer = freezegun.freeze_time(dt.datetime.combine(day, TIME_OF_DAY, tzinfo=SHANGHAI), tick=True)
    start._freezer.start()
    start._started = True


def stop() -> None:
    """Give the process its real clock back (before the interpreter shuts down)."""
    if getattr(start, "_started", False):
        start._freezer.stop()
        start._started = False


def celery_worker_argv(*args: str) -> list[str]:
    """The command line of a Celery worker subprocess that runs on the test clock: ``celery -A union_portal <args>``.
    (Under faketime the subprocess inherits the fake clock by itself.)"""
    return [sys.executable, "-m", "tests.clock", "-A", "union_portal", *args]


if __name__ == "__main__":
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "union_portal.settings")
    django.setup()  # the modules start() imports first read the settings
    start()
    from celery.__main__ import main

    sys.argv = ["celery", *sys.argv[1:]]
    sys.exit(main())
