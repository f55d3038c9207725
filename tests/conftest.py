"""Shared fixtures: the test date, the demo tree and one user per role, the service markers, Celery in eager
mode."""

import io
import os

import pytest
from django.conf import settings
from django.db import connection

from tests import clock

# TEST_TODAY=YYYY-MM-DD: the whole test process (views, services, the code under test) runs on that date.
clock.start()

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"


def pytest_unconfigure(config):
    clock.stop()


def _redis_up() -> bool:
    if not settings.REDIS_URL:
        return False
    try:
        import redis

        redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1).ping()
        return True
    except Exception:  # noqa: BLE001
        return False


def pytest_collection_modifyitems(config, items):
    postgres = connection.vendor == "postgresql"
    redis_up = _redis_up()
    if REQUIRE_SERVICES and not (postgres and redis_up):
        missing = [name for name, up in (("PostgreSQL", postgres), ("Redis", redis_up)) if not up]
        pytest.exit(f"REQUIRE_SERVICES=1 but not available: {', '.join(missing)}", returncode=1)
    for item in items:
        if item.get_closest_marker("postgres") and not postgres:
            item.add_marker(pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL)"))
        if item.get_closest_marker("redis") and not redis_up:
            item.add_marker(pytest.mark.skip(reason="needs Redis (set REDIS_URL)"))


@pytest.fixture
def today():
    """The date the tests run at (TEST_TODAY, default the real date). Take test dates from it or relative to it."""
    return clock.current_date()


@pytest.fixture(autouse=True)
def _celery_eager():
    """Tasks run in-process in tests (the broker test turns this off for itself)."""
    from union_portal.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture(scope="session", autouse=True)
def _cache_of_this_worker():
    """Each xdist worker keeps its cache keys under its own prefix in the shared Redis database, so one worker
    emptying its cache never wipes the counters another worker's test is in the middle of."""
    from django.test.utils import override_settings

    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    caches = {name: {**config, "KEY_PREFIX": f"test-{worker}"} for name, config in settings.CACHES.items()}
    with override_settings(CACHES=caches):
        yield


def clear_cache() -> None:
    """Empties this worker's cache (Redis: only the keys under its prefix; FLUSHDB would hit the other worker)."""
    from django.core.cache import caches
    from django.core.cache.backends.redis import RedisCache

    cache = caches["default"]
    if not isinstance(cache, RedisCache):  # a test may set REDIS_URL over the in-memory cache
        cache.clear()
        return
    client = cache._cache.get_client(write=True)
    keys = list(client.scan_iter(match=f"{cache.key_prefix}:*", count=1000))
    if keys:
        client.delete(*keys)


@pytest.fixture(autouse=True)
def _fresh_cache(_cache_of_this_worker):
    """Each test starts with an empty cache: API throttles and the log-in IP counter live there."""
    clear_cache()
    yield
    clear_cache()


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _reference_data_as_migrated(request):
    """The rows a data migration ships (the bank file layouts of union_portal 0008) are there in every database
    test. A transactional test (live server, races) ends by emptying every table (Django's flush), and under
    xdist's scheduling a later test of the same process may come after it: then the migration's own function
    writes them again."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None:
        return
    request.getfixturevalue("transactional_db" if marker.kwargs.get("transaction") else "db")
    from union_portal.payments.models import BankLayout

    if not BankLayout.objects.exists():
        import importlib

        from django.apps import apps

        importlib.import_module("union_portal.migrations.0008_shipped_bank_layouts").ship(apps, None)


@pytest.fixture
def tree(db):
    """The Keqiao demo tree and accounts (union_portal.demo), its enterprises and the demo worker
    (members.demo). Returns OrgUnits by code."""
    from members import demo as members_demo
    from union_portal import demo
    from union_portal.models import OrgUnit

    demo.seed(stdout=io.StringIO())
    members_demo.seed_enterprises_and_worker(stdout=io.StringIO())
    return {node.code: node for node in OrgUnit.objects.all()}


@pytest.fixture
def make_member(tree):
    """make_member(org_or_code, **fields) -> Member, added through member_create (tests.factories.make_member):
    an active, frontline member of the demo tree's union ``org_or_code`` (default handler's, KQ-HS-001), with a
    fresh valid ID number and mobile; ``sex``, ``status``, ``monthly_wage``, ``is_migrant``, ``user``... as asked."""
    from tests.factories import make_member as _make_member

    def _make(org="KQ-HS-001", **fields):
        return _make_member(org, **fields)

    return _make


def _user(username):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=username)


@pytest.fixture
def city_admin(tree):
    return _user("city_admin")


@pytest.fixture
def district_admin(tree):
    return _user("district_admin")


@pytest.fixture
def reviewer1(tree):
    return _user("reviewer1")


@pytest.fixture
def reviewer2(tree):
    return _user("reviewer2")


@pytest.fixture
def finance(tree):
    return _user("finance")


@pytest.fixture
def huashe_staff(tree):
    return _user("huashe_staff")


@pytest.fixture
def qixian_staff(tree):
    return _user("qixian_staff")


@pytest.fixture
def handler(tree):
    return _user("handler")


@pytest.fixture
def handler_qixian(tree):
    return _user("handler_qixian")


@pytest.fixture
def judge1(tree):
    return _user("judge1")


@pytest.fixture
def judge2(tree):
    return _user("judge2")


@pytest.fixture
def worker(tree):
    return _user("worker")


def verify_two_factor(client, user):
    """Mark the client's session as having passed two-factor authentication with a confirmed TOTP device."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
        user=user, name="test", confirmed=True
    )
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device


@pytest.fixture
def sms_code(db):
    """sms_code(purpose, mobile) -> a valid one-time code for that number, as if read from the SMS."""
    from union_portal import onetime

    def _code(purpose: str, mobile: str) -> str:
        return onetime.code_for_seed(purpose=purpose, mobile=mobile)

    return _code


@pytest.fixture
def login(client):
    """login(user) -> the test client logged in as user, past two-factor authentication (force_login: no
    axes, no password hashing). Tests of the log-in flow itself post to /accounts/login/ instead."""

    def _login(user):
        client.force_login(user)
        verify_two_factor(client, user)
        return client

    return _login
