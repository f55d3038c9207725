"""Health of the configured services, for /healthz and monitoring."""

from django.conf import settings
from django.db import connection


def check_database() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return {"status": "up", "vendor": connection.vendor}
    except Exception as exc:  # noqa: BLE001 - any failure means "down"
        return {"status": "down", "error": exc.__class__.__name__}


def check_redis() -> dict:
    if not settings.REDIS_URL:
        return {"status": "not_configured"}
    try:
        import redis

        client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1)
        client.ping()
        return {"status": "up"}
    except Exception as exc:  # noqa: BLE001
        return {"status": "down", "error": exc.__class__.__name__}


def check_celery() -> dict:
    from union_portal.celery import app

    if app.conf.task_always_eager:
        return {"status": "not_configured", "mode": "eager"}
    try:
        replies = app.control.inspect(timeout=1.0).ping() or {}
    except Exception as exc:  # noqa: BLE001
        return {"status": "down", "error": exc.__class__.__name__}
    if not replies:
        return {"status": "down", "workers": 0}
    return {"status": "up", "workers": len(replies)}


def health() -> tuple[bool, dict]:
    checks = {"database": check_database(), "redis": check_redis()}
    # Without a broker there is no point asking for workers.
    checks["celery"] = check_celery() if checks["redis"]["status"] != "down" else {"status": "down"}
    ok = all(c["status"] in {"up", "not_configured"} for c in checks.values())
    return ok, checks
