"""The WeChat subscription-message channel: the adapter (logging, and the HTTP API through a fake transport),
binding and consents over the API, notify()/deliver() and the user's choice of channels."""

import datetime as dt
import re

import pytest
from django.core.cache import cache
from django.utils.timezone import localtime

from union_portal import channels
from union_portal.models import AuditLog, Delivery, NotificationPreference, WechatBinding, WechatConsent
from union_portal.notifications import notify
from union_portal.sms import LoggingSmsBackend
from union_portal.wechat import (
    HttpWechatBackend,
    LoggingWechatBackend,
    WechatError,
    fit_field,
    message_kind,
    mini_program_page,
    template_data,
)

FIELDS = {"thing1": "title", "thing2": "body", "time3": "time"}


@pytest.fixture
def templates(settings):
    settings.WECHAT_BACKEND = "union_portal.wechat.LoggingWechatBackend"
    settings.WECHAT_TEMPLATES = {
        "claim": {"id": "TPL-CLAIM", "fields": FIELDS},
        "membership": {"id": "", "fields": FIELDS},
        "general": {"id": "TPL-GENERAL", "fields": FIELDS},
    }
    LoggingWechatBackend.outbox.clear()
    LoggingSmsBackend.outbox.clear()
    return settings.WECHAT_TEMPLATES


@pytest.fixture
def bound_worker(worker, templates):
    channels.wechat_bind(user=worker, code="worker-code")
    return worker


class FakeTransport:
    """WeChat's server as a script: answers in order, calls recorded. No network."""

    def __init__(self, *answers):
        self.answers = list(answers)
        self.calls: list[tuple[str, str, dict | None]] = []

    def __call__(self, method, url, body):
        self.calls.append((method, url, body))
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer


@pytest.fixture
def wechat_app(settings):
    settings.WECHAT_APPID = "wx-app"
    settings.WECHAT_SECRET = "s3cret"
    cache.delete("wechat:access-token:wx-app")
    return settings


# --- the adapter ----------------------------------------------------------------------------------------


def test_logging_backend_records_the_message_and_returns_an_id():
    LoggingWechatBackend.outbox.clear()
    message_id = LoggingWechatBackend().send("openid-1", "TPL", {"thing1": {"value": "x"}}, "pages/a")

    assert message_id == "log-1"
    assert LoggingWechatBackend.outbox == [
        {"touser": "openid-1", "template_id": "TPL", "data": {"thing1": {"value": "x"}}, "page": "pages/a"}
    ]


def test_template_fields_are_cut_to_wechat_limits():
    assert fit_field("thing1", "一" * 20) == "一" * 20
    assert fit_field("thing1", "一" * 21) == "一" * 19 + "…"
    assert fit_field("phrase2", "审核已通过了") == "审核已通过"
    assert fit_field("character_string4", "A" * 40) == "A" * 32
    assert fit_field("thing1", "两行\n文字") == "两行 文字"


def test_template_data_fills_each_field_from_the_notification():
    from union_portal.models import Notification

    note = Notification(
        pk=7,
        title="互助保障申请已审核通过，请等待拨付款项到账",
        body="b",
        link="/mutual-aid/claims/42/",
        created_at=dt.datetime(2026, 3, 1, 1, 30, tzinfo=dt.UTC),
    )

    data = template_data(FIELDS, note)

    assert data == {
        "thing1": {"value": "互助保障申请已审核通过，请等待拨付款项…"},
        "thing2": {"value": "b"},
        "time3": {"value": "2026-03-01 09:30"},
    }
    assert mini_program_page(note) == "pages/claims/detail?id=42"
    assert mini_program_page(Notification(pk=7, link="/awards/x/")) == "pages/notifications/detail?id=7"


def test_the_kind_of_a_message_comes_from_its_event_key():
    assert message_kind("mutual_aid.claim.4.approve.9") == "claim"
    assert message_kind("join:3:approved") == "membership"
    assert message_kind("awards.nomination.1.x") == "general"


def test_http_backend_fetches_the_token_once_and_keeps_it_in_the_cache(wechat_app):
    transport = FakeTransport(
        {"access_token": "T1", "expires_in": 7200},
        {"errcode": 0, "errmsg": "ok", "msgid": 111},
        {"errcode": 0, "errmsg": "ok", "msgid": 112},
    )
    backend = HttpWechatBackend(transport=transport)

    first = backend.send("oid", "TPL", {"thing1": {"value": "a"}}, "pages/x")
    second = HttpWechatBackend(transport=transport).send("oid", "TPL", {}, "pages/x")

    assert (first, second) == ("111", "112")
    urls = [url for _m, url, _b in transport.calls]
    assert urls[0].startswith("https://api.weixin.qq.com/cgi-bin/token?grant_type=client_credential&appid=wx-app")
    assert urls[1:] == ["https://api.weixin.qq.com/cgi-bin/message/subscribe/send?access_token=T1"] * 2
    body = transport.calls[1][2]
    assert body["touser"] == "oid" and body["template_id"] == "TPL" and body["page"] == "pages/x"
    assert body["miniprogram_state"] == "formal" and body["lang"] == "zh_CN"


def test_http_backend_refreshes_an_expired_token_and_sends_once(wechat_app):
    cache.set("wechat:access-token:wx-app", "OLD", 600)
    transport = FakeTransport(
        {"errcode": 42001, "errmsg": "access_token expired"},
        {"access_token": "NEW", "expires_in": 7200},
        {"errcode": 0, "errmsg": "ok", "msgid": 5},
    )

    assert HttpWechatBackend(transport=transport).send("oid", "TPL", {}, "p") == "5"
    assert [url.rpartition("=")[2] for _m, url, _b in transport.calls if "subscribe" in url] == ["OLD", "NEW"]
    assert cache.get("wechat:access-token:wx-app") == "NEW"


def test_http_backend_gives_up_when_the_fresh_token_is_refused_too(wechat_app):
    transport = FakeTransport(
        {"access_token": "A", "expires_in": 7200},
        {"errcode": 40001, "errmsg": "invalid credential"},
        {"access_token": "B", "expires_in": 7200},
        {"errcode": 40001, "errmsg": "invalid credential"},
    )

    with pytest.raises(WechatError) as caught:
        HttpWechatBackend(transport=transport).send("oid", "TPL", {}, "p")
    assert caught.value.errcode == 40001 and not caught.value.retryable
    assert transport.answers == []


@pytest.mark.parametrize(
    ("answer", "errcode", "retryable"),
    [
        ({"errcode": 43101, "errmsg": "user refuse to accept the msg"}, 43101, False),
        ({"errcode": 47003, "errmsg": "argument invalid! data.thing1.value invalid"}, 47003, False),
        ({"errcode": -1, "errmsg": "system error"}, -1, True),
        (OSError("connection reset"), 0, True),
    ],
)
def test_http_backend_maps_errors_to_wechat_error(wechat_app, answer, errcode, retryable):
    cache.set("wechat:access-token:wx-app", "T", 600)
    if isinstance(answer, OSError):
        # the real transport turns a network failure into a retryable WechatError
        def transport(method, url, body):
            raise WechatError(f"WeChat not reachable: {answer}")
    else:
        transport = FakeTransport(answer)

    with pytest.raises(WechatError) as caught:
        HttpWechatBackend(transport=transport).send("oid", "TPL", {}, "p")
    assert (caught.value.errcode, caught.value.retryable) == (errcode, retryable)


def test_http_backend_turns_a_login_code_into_an_openid(wechat_app):
    transport = FakeTransport({"openid": "oABC", "session_key": "k"}, {"errcode": 40029, "errmsg": "invalid code"})
    backend = HttpWechatBackend(transport=transport)

    assert backend.code_to_openid("071x") == "oABC"
    assert "js_code=071x" in transport.calls[0][1] and "grant_type=authorization_code" in transport.calls[0][1]
    with pytest.raises(WechatError) as caught:
        backend.code_to_openid("used")
    assert caught.value.errcode == 40029 and not caught.value.retryable


def test_http_backend_without_appid_refuses_at_once(settings):
    settings.WECHAT_APPID = ""
    with pytest.raises(WechatError):
        HttpWechatBackend(transport=FakeTransport()).send("oid", "TPL", {}, "p")


# --- binding and consents over the API ------------------------------------------------------------------


def test_a_worker_binds_wechat_with_a_login_code_and_sees_the_openid_masked(worker, templates, login):
    client = login(worker)

    response = client.post("/api/v1/wechat/", {"code": "abc123"}, content_type="application/json")

    assert response.status_code == 201
    body = response.json()
    assert body["bound"] is True and body["openid"] == "****c123" and body["consents"] == {}
    assert body["templates"] == {"claim": "TPL-CLAIM", "general": "TPL-GENERAL"}
    assert WechatBinding.objects.get(user=worker).openid == "o-abc123"
    audit = AuditLog.objects.get(action="account.wechat_bind")
    assert "o-abc123" not in str(audit.detail) and audit.detail["openid"] == "****c123"
    assert "o-abc123" not in client.get("/api/v1/wechat/").content.decode()


def test_a_wechat_account_bound_to_someone_else_is_refused(worker, handler, templates, login):
    channels.wechat_bind(user=handler, code="same")

    response = login(worker).post("/api/v1/wechat/", {"code": "same"}, content_type="application/json")

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert not WechatBinding.objects.filter(user=worker).exists()


def test_an_invalid_login_code_is_a_field_error(worker, templates, login):
    response = login(worker).post("/api/v1/wechat/", {"code": "bad-1"}, content_type="application/json")

    assert response.status_code == 400
    assert "code" in response.json()["errors"]


def test_binding_the_same_account_twice_keeps_one_binding(worker, templates, login):
    client = login(worker)
    client.post("/api/v1/wechat/", {"code": "c1"}, content_type="application/json")
    client.post("/api/v1/wechat/", {"code": "c1"}, content_type="application/json")

    assert WechatBinding.objects.filter(user=worker).count() == 1
    assert AuditLog.objects.filter(action="account.wechat_bind").count() == 1


def test_unbinding_removes_the_binding_and_its_consents(bound_worker, login):
    channels.wechat_consent_add(user=bound_worker, template_ids=["TPL-CLAIM"])

    response = login(bound_worker).delete("/api/v1/wechat/")

    assert response.status_code == 204
    assert not WechatBinding.objects.exists() and not WechatConsent.objects.exists()
    assert AuditLog.objects.filter(action="account.wechat_unbind", actor=bound_worker).count() == 1


def test_consents_are_counted_per_template(bound_worker, login):
    client = login(bound_worker)

    client.post("/api/v1/wechat/consents/", {"template_ids": ["TPL-CLAIM"]}, content_type="application/json")
    response = client.post(
        "/api/v1/wechat/consents/", {"template_ids": ["TPL-CLAIM", "TPL-GENERAL"]}, content_type="application/json"
    )

    assert response.status_code == 200
    assert response.json()["consents"] == {"TPL-CLAIM": 2, "TPL-GENERAL": 1}


def test_consents_for_unknown_templates_or_without_binding_are_refused(worker, templates, login):
    client = login(worker)
    assert (
        client.post("/api/v1/wechat/consents/", {"template_ids": ["TPL-CLAIM"]}, content_type="application/json")
    ).status_code == 400
    channels.wechat_bind(user=worker, code="w")
    response = client.post("/api/v1/wechat/consents/", {"template_ids": ["OTHER"]}, content_type="application/json")
    assert response.status_code == 400 and "template_ids" in response.json()["errors"]
    assert not WechatConsent.objects.exists()


def test_the_wechat_api_needs_a_login(client, db, templates):
    assert client.get("/api/v1/wechat/").status_code in (401, 403)
    assert client.post("/api/v1/wechat/", {"code": "x"}).status_code in (401, 403)
    assert not WechatBinding.objects.exists()


# --- notify and deliver ---------------------------------------------------------------------------------


def _notify(user, key="mutual_aid.claim.42.approve.1", **kwargs):
    return notify(
        user=user,
        event_key=key,
        title="申请已通过",
        body="您的互助保障申请已通过。",
        link="/mutual-aid/claims/42/",
        **kwargs,
    )


def test_notify_sends_a_wechat_message_when_bound_and_consented(bound_worker, django_capture_on_commit_callbacks):
    channels.wechat_consent_add(user=bound_worker, template_ids=["TPL-CLAIM"])

    with django_capture_on_commit_callbacks(execute=True):
        _notify(bound_worker)

    delivery = Delivery.objects.get(channel=Delivery.Channel.WECHAT)
    assert delivery.status == Delivery.Status.SENT and delivery.address == "o-worker-code"
    assert LoggingWechatBackend.outbox == [
        {
            "touser": "o-worker-code",
            "template_id": "TPL-CLAIM",
            "data": {
                "thing1": {"value": "申请已通过"},
                "thing2": {"value": "您的互助保障申请已通过。"},
                "time3": {"value": localtime(delivery.notification.created_at).strftime("%Y-%m-%d %H:%M")},
            },
            "page": "pages/claims/detail?id=42",
        }
    ]
    assert WechatConsent.objects.get(template_id="TPL-CLAIM").remaining == 0


def test_notify_adds_no_wechat_delivery_without_binding_consent_template_or_choice(worker, templates):
    _notify(worker, key="k1")  # not bound
    channels.wechat_bind(user=worker, code="w")
    _notify(worker, key="mutual_aid.claim.1.x.1")  # bound, no consent
    channels.wechat_consent_add(user=worker, template_ids=["TPL-GENERAL"])
    _notify(worker, key="join:1:approved")  # consent for another template; membership has no template
    _notify(worker, key="mutual_aid.claim.1.x.2")  # claim template: still no consent for it
    channels.notification_channels_set(user=worker, sms=True, wechat=False)
    _notify(worker, key="general-1")  # consented, but WeChat turned off

    assert not Delivery.objects.filter(channel=Delivery.Channel.WECHAT).exists()
    channels.notification_channels_set(user=worker, sms=True, wechat=True)
    _notify(worker, key="general-2")
    assert Delivery.objects.filter(channel=Delivery.Channel.WECHAT).count() == 1


def test_a_consent_is_used_once_however_often_the_delivery_task_runs(bound_worker, django_capture_on_commit_callbacks):
    from union_portal.tasks import deliver_task

    channels.wechat_consent_add(user=bound_worker, template_ids=["TPL-CLAIM"])
    channels.wechat_consent_add(user=bound_worker, template_ids=["TPL-CLAIM"])
    with django_capture_on_commit_callbacks(execute=True):
        _notify(bound_worker)
    delivery = Delivery.objects.get(channel=Delivery.Channel.WECHAT)

    deliver_task.delay(delivery.pk)  # redelivered task
    deliver_task.delay(delivery.pk)

    delivery.refresh_from_db()
    assert delivery.attempts == 1 and len(LoggingWechatBackend.outbox) == 1
    assert WechatConsent.objects.get(template_id="TPL-CLAIM").remaining == 1


def test_a_second_message_on_one_consent_fails_without_asking_wechat(bound_worker, django_capture_on_commit_callbacks):
    channels.wechat_consent_add(user=bound_worker, template_ids=["TPL-CLAIM"])
    # both notifications see the one consent when they are raised; only the first may use it
    _notify(bound_worker, key="mutual_aid.claim.42.a.1")
    _notify(bound_worker, key="mutual_aid.claim.42.b.2")
    from union_portal.tasks import deliver_task

    for delivery in Delivery.objects.filter(channel=Delivery.Channel.WECHAT).order_by("id"):
        deliver_task.delay(delivery.pk)

    statuses = list(
        Delivery.objects.filter(channel=Delivery.Channel.WECHAT).order_by("id").values_list("status", "attempts")
    )
    assert statuses == [("sent", 1), ("failed", 0)]
    assert len(LoggingWechatBackend.outbox) == 1


def test_wechat_refusing_for_lack_of_consent_fails_the_delivery_and_zeroes_the_count(
    bound_worker, monkeypatch, django_capture_on_commit_callbacks
):
    channels.wechat_consent_add(user=bound_worker, template_ids=["TPL-CLAIM"])

    def refuse(self, *args):
        raise WechatError("WeChat error 43101: user refuse to accept the msg", errcode=43101)

    monkeypatch.setattr(LoggingWechatBackend, "send", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        _notify(bound_worker)

    delivery = Delivery.objects.get(channel=Delivery.Channel.WECHAT)
    assert delivery.status == Delivery.Status.FAILED and "43101" in delivery.last_error
    assert WechatConsent.objects.get(template_id="TPL-CLAIM").remaining == 0


def test_a_message_to_an_account_unbound_since_is_not_sent(bound_worker, django_capture_on_commit_callbacks):
    channels.wechat_consent_add(user=bound_worker, template_ids=["TPL-CLAIM"])
    _notify(bound_worker)  # queued, not yet sent
    channels.wechat_unbind(user=bound_worker)
    from union_portal.tasks import deliver_task

    deliver_task.delay(Delivery.objects.get(channel=Delivery.Channel.WECHAT).pk)

    assert Delivery.objects.get(channel=Delivery.Channel.WECHAT).status == Delivery.Status.FAILED
    assert LoggingWechatBackend.outbox == []


def test_a_worker_who_turned_sms_off_gets_no_sms(worker, templates, django_capture_on_commit_callbacks):
    channels.notification_channels_set(user=worker, sms=False, wechat=True)

    with django_capture_on_commit_callbacks(execute=True):
        _notify(worker, phone="13957500001")

    assert not Delivery.objects.filter(channel=Delivery.Channel.SMS).exists()
    assert LoggingSmsBackend.outbox == []


def test_without_a_choice_sms_is_sent_as_before(worker, templates, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _notify(worker, phone="13957500001")

    assert Delivery.objects.get(channel=Delivery.Channel.SMS).status == Delivery.Status.SENT
    assert not NotificationPreference.objects.exists()


# --- the choice of channels: page and API ---------------------------------------------------------------


def test_the_account_page_saves_the_choice_of_channels(worker, templates, login):
    client = login(worker)

    page = client.get("/accounts/notifications/")
    assert page.status_code == 200
    assert re.search(r'<input[^>]*name="sms"[^>]*checked', page.content.decode())

    assert client.post("/accounts/notifications/").status_code == 200  # an empty POST changes nothing
    assert not NotificationPreference.objects.exists()
    response = client.post("/accounts/notifications/", {"wechat": "on", "action": "save"})

    assert response.status_code == 302
    assert channels.notification_channels(user=worker) == {"sms": False, "wechat": True}
    assert AuditLog.objects.filter(action="account.notification_channels", actor=worker).count() == 1


def test_the_account_page_shows_the_binding_masked_and_unbinds(bound_worker, login):
    client = login(bound_worker)

    body = client.get("/accounts/notifications/").content.decode()
    assert "o-worker-code" not in body and "标识末位 code" in body

    client.post("/accounts/notifications/", {"action": "unbind"})
    assert not WechatBinding.objects.exists()


def test_the_account_page_needs_a_login(client, db):
    response = client.get("/accounts/notifications/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_channels_api_reads_and_changes_the_choice(worker, templates, login):
    client = login(worker)

    assert client.get("/api/v1/notifications/channels/").json() == {"sms": True, "wechat": True}
    response = client.put(
        "/api/v1/notifications/channels/", {"sms": True, "wechat": False}, content_type="application/json"
    )

    assert response.status_code == 200 and response.json() == {"sms": True, "wechat": False}
    assert channels.notification_channels(user=worker) == {"sms": True, "wechat": False}


def test_the_openid_is_ciphertext_in_the_database(bound_worker):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT openid FROM union_portal_wechatbinding")
        (stored,) = cursor.fetchone()

    assert "o-worker-code" not in stored
    assert WechatBinding.objects.get().openid == "o-worker-code"


def test_a_wechat_delivery_names_its_openid_masked():
    delivery = Delivery(channel=Delivery.Channel.WECHAT, address="oABCDEFGH1234", status="sent")

    assert str(delivery) == "wechat → *********1234: sent"


def test_sending_locks_the_consent_row(bound_worker):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from union_portal.notifications import deliver

    channels.wechat_consent_add(user=bound_worker, template_ids=["TPL-CLAIM"])
    _notify(bound_worker)
    delivery = Delivery.objects.get(channel=Delivery.Channel.WECHAT)

    with CaptureQueriesContext(connection) as captured:
        deliver(delivery.pk)

    sql = [q["sql"] for q in captured.captured_queries if 'FROM "union_portal_wechatconsent"' in q["sql"]]
    if connection.vendor == "postgresql":
        assert any("FOR UPDATE" in s for s in sql)
    else:  # SQLite ignores FOR UPDATE (it locks the whole database on write)
        assert sql


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_messages_sent_at_once_on_the_last_consent_exactly_one_goes_out(tree, worker, templates, monkeypatch):
    from tests.races import run_together
    from union_portal import notifications
    from union_portal.notifications import deliver

    # given a bound worker with one consent and two messages of that template queued (not yet sent)
    monkeypatch.setattr(notifications, "_send", lambda delivery_id: None)
    channels.wechat_bind(user=worker, code="race")
    channels.wechat_consent_add(user=worker, template_ids=["TPL-CLAIM"])
    _notify(worker, key="mutual_aid.claim.1.a.1")
    _notify(worker, key="mutual_aid.claim.1.b.2")
    first, second = Delivery.objects.filter(channel=Delivery.Channel.WECHAT).order_by("id")

    # when two workers send them at the same moment
    results = run_together(lambda: deliver(first.pk), lambda: deliver(second.pk))

    # then one is sent and the other refused for lack of consent; the count is 0, never below
    refused = [r for r in results if isinstance(r, WechatError)]
    assert len(refused) == 1 and refused[0].errcode == 43101
    assert len(LoggingWechatBackend.outbox) == 1
    assert WechatConsent.objects.get().remaining == 0
