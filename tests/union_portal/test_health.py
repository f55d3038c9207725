import pytest


def test_healthz_reports_the_database_and_is_200_when_configured_services_are_up(db, client, settings):
    from union_portal import health

    response = client.get("/healthz")
    data = response.json()
    assert data["checks"]["database"]["status"] == "up"
    ok, _checks = health.health()
    assert response.status_code == (200 if ok else 503)


def test_healthz_is_503_when_redis_is_configured_but_down(db, client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    from union_portal.celery import app

    app.conf.task_always_eager = False  # restored by the autouse fixture
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["redis"]["status"] == "down"


def test_healthz_is_503_when_the_database_is_down(db, client, monkeypatch):
    from union_portal import health

    monkeypatch.setattr(health, "check_database", lambda: {"status": "down"})
    assert client.get("/healthz").status_code == 503


@pytest.mark.redis
def test_healthz_sees_redis_up(db, client, settings):
    from union_portal.health import check_redis

    assert check_redis()["status"] == "up"
