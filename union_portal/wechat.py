"""WeChat mini-program adapter: subscription messages (订阅消息) and the login code exchange (docs/wechat.md).

settings.WECHAT_BACKEND names the class; the default logs messages (and keeps them in memory for tests). A
backend implements ``send(openid, template_id, data, page) -> message id`` and ``code_to_openid(code) -> openid``
and raises WechatError. This module also holds the pure rules of the channel: which template a notification
uses (its kind), how its fields are cut to WeChat's limits, and which mini-program page it opens."""

from __future__ import annotations

import json
import logging
import re
import urllib.parse
import urllib.request
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.module_loading import import_string

from .crypto import mask

logger = logging.getLogger("union_portal.wechat")

API = "https://api.weixin.qq.com"

# errcodes of the WeChat API that mean "the access token is no longer valid": fetch a new one and try again.
TOKEN_ERRORS = {40001, 40014, 42001}
# errcodes worth a later retry (system busy, rate limit); any other error is final for that message.
RETRYABLE_ERRORS = {-1, 45009, 45011}
# The user has no subscription consent left for the template (WeChat's own count).
NO_CONSENT = 43101


class WechatError(Exception):
    """WeChat refused or could not be reached. ``errcode`` is WeChat's (0 for a network or format failure);
    ``retryable`` says whether the delivery task should try again later."""

    def __init__(self, message: str, *, errcode: int = 0, retryable: bool | None = None):
        super().__init__(message)
        self.errcode = errcode
        self.retryable = (errcode == 0 or errcode in RETRYABLE_ERRORS) if retryable is None else retryable


def mask_openid(openid: str) -> str:
    """An openid as people may see it: its last four characters only."""
    return mask(openid, tail=4)


# --- the logging backend ----------------------------------------------------------------------------------


class LoggingWechatBackend:
    """Development and tests: records what would be sent. A login code ``c`` becomes the openid ``o-c``."""

    outbox: list[dict[str, Any]] = []

    def send(self, openid: str, template_id: str, data: dict[str, dict[str, str]], page: str) -> str:
        LoggingWechatBackend.outbox.append({"touser": openid, "template_id": template_id, "data": data, "page": page})
        logger.info("WeChat message to %s (%s): %s", mask_openid(openid), template_id, json.dumps(data))
        return f"log-{len(LoggingWechatBackend.outbox)}"

    def code_to_openid(self, code: str) -> str:
        if not code or code.startswith("bad"):
            raise WechatError("invalid code", errcode=40029, retryable=False)
        return f"o-{code}"


# --- the WeChat API ---------------------------------------------------------------------------------------

# transport(method, url, body) -> the decoded JSON answer. Tests pass a fake one; no network in tests.
Transport = Callable[[str, str, "dict[str, Any] | None"], "dict[str, Any]"]


def urllib_transport(method: str, url: str, body: dict[str, Any] | None) -> dict[str, Any]:
    data = json.dumps(body, ensure_ascii=False).encode() if body is not None else None
    request = urllib.request.Request(  # noqa: S310 - always https://api.weixin.qq.com
        url, data=data, headers={"Content-Type": "application/json"}, method=method
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            answer = json.loads(response.read() or b"{}")
    except (OSError, ValueError) as exc:
        raise WechatError(f"WeChat not reachable: {exc}") from exc
    if not isinstance(answer, dict):
        raise WechatError("WeChat answered something that is not a JSON object")
    return answer


class HttpWechatBackend:
    """The WeChat server API with the mini-program's WECHAT_APPID and WECHAT_SECRET. The access token (valid
    2 hours) is kept in the cache (Redis in production, shared by every worker) until shortly before it
    expires, and fetched again when WeChat says it is invalid or expired."""

    def __init__(self, transport: Transport | None = None):
        self.transport = transport or urllib_transport

    @property
    def _token_key(self) -> str:
        return f"wechat:access-token:{settings.WECHAT_APPID}"

    def _call(self, method: str, url: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        answer = self.transport(method, url, body)
        errcode = int(answer.get("errcode") or 0)
        if errcode:
            raise WechatError(f"WeChat error {errcode}: {answer.get('errmsg', '')}", errcode=errcode)
        return answer

    def access_token(self, *, fresh: bool = False) -> str:
        if not settings.WECHAT_APPID or not settings.WECHAT_SECRET:
            raise WechatError("WECHAT_APPID and WECHAT_SECRET are not set", retryable=False)
        token = None if fresh else cache.get(self._token_key)
        if token:
            return token
        query = urllib.parse.urlencode(
            {"grant_type": "client_credential", "appid": settings.WECHAT_APPID, "secret": settings.WECHAT_SECRET}
        )
        answer = self._call("GET", f"{API}/cgi-bin/token?{query}")
        token = answer.get("access_token")
        if not token:
            raise WechatError("no access_token in WeChat's answer")
        # Five minutes' margin: a token taken from the cache must still be valid when WeChat reads it.
        cache.set(self._token_key, token, max(int(answer.get("expires_in") or 7200) - 300, 60))
        return token

    def send(self, openid: str, template_id: str, data: dict[str, dict[str, str]], page: str) -> str:
        body = {
            "touser": openid,
            "template_id": template_id,
            "page": page,
            "data": data,
            "miniprogram_state": settings.WECHAT_MINIPROGRAM_STATE,
            "lang": "zh_CN",
        }
        for fresh in (False, True):
            token = self.access_token(fresh=fresh)
            try:
                answer = self._call("POST", f"{API}/cgi-bin/message/subscribe/send?access_token={token}", body)
            except WechatError as exc:
                if exc.errcode in TOKEN_ERRORS and not fresh:
                    cache.delete(self._token_key)
                    continue
                raise
            return str(answer.get("msgid") or "")
        raise AssertionError("unreachable")  # pragma: no cover

    def code_to_openid(self, code: str) -> str:
        if not settings.WECHAT_APPID or not settings.WECHAT_SECRET:
            raise WechatError("WECHAT_APPID and WECHAT_SECRET are not set", retryable=False)
        query = urllib.parse.urlencode(
            {
                "appid": settings.WECHAT_APPID,
                "secret": settings.WECHAT_SECRET,
                "js_code": code,
                "grant_type": "authorization_code",
            }
        )
        answer = self._call("GET", f"{API}/sns/jscode2session?{query}")
        openid = answer.get("openid")
        if not openid:
            raise WechatError("no openid in WeChat's answer", retryable=False)
        return str(openid)  # the session_key is not kept: the portal does not decrypt mini-program data


def get_backend():
    return import_string(settings.WECHAT_BACKEND)()


# --- the channel's rules (pure) ---------------------------------------------------------------------------

# Which template a notification uses, by the start of its event_key; the rest use "general".
KINDS: tuple[tuple[str, str], ...] = (
    ("mutual_aid.claim.", "claim"),
    ("join:", "membership"),
    ("founding:", "membership"),
    ("transfer:", "membership"),
)


def message_kind(event_key: str) -> str:
    for prefix, kind in KINDS:
        if event_key.startswith(prefix):
            return kind
    return "general"


def template_for(event_key: str) -> dict[str, Any] | None:
    """The configured template ({"id": ..., "fields": {...}}) of the notification's kind, or None when the
    portal has no WeChat template for it (then no WeChat message is sent)."""
    template = settings.WECHAT_TEMPLATES.get(message_kind(event_key)) or {}
    return template if template.get("id") else None


# The limits of WeChat's template field types (by the key's letters: thing1 -> thing), in characters.
FIELD_LIMITS = {
    "thing": 20,
    "number": 32,
    "letter": 32,
    "symbol": 5,
    "character_string": 32,
    "phone_number": 17,
    "car_number": 8,
    "name": 10,
    "phrase": 5,
    "amount": 11,
    "time": 32,
    "date": 32,
}


def fit_field(key: str, value: str) -> str:
    """``value`` cut to the limit of the field type named by ``key``: a cut text ends in an ellipsis."""
    kind = re.sub(r"\d+$", "", key)
    limit = FIELD_LIMITS.get(kind, 20)
    value = " ".join(str(value).split())  # WeChat shows one line
    if len(value) <= limit:
        return value
    if kind in ("thing", "name"):
        return value[: limit - 1] + "…"
    return value[:limit]


def template_data(fields: dict[str, str], notification) -> dict[str, dict[str, str]]:
    """The ``data`` of a subscription message: each template field filled from the notification (``title``,
    ``body`` or ``time``) and cut to its limit."""
    created = timezone.localtime(notification.created_at or timezone.now())
    values = {
        "title": notification.title,
        "body": notification.body,
        "time": created.strftime("%Y-%m-%d %H:%M"),
    }
    return {key: {"value": fit_field(key, values.get(source, ""))} for key, source in fields.items()}


# The mini-program page of the object a notification is about, from its web link; anything else opens the
# notification itself in the mini-program's inbox.
PAGES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^/mutual-aid/claims/(\d+)/"), "pages/claims/detail?id={}"),
    (re.compile(r"^/members/joins/(\d+)/"), "pages/join/detail?id={}"),
    (re.compile(r"^/members/transfers/(\d+)/"), "pages/transfers/detail?id={}"),
)


def mini_program_page(notification) -> str:
    for pattern, page in PAGES:
        match = pattern.match(notification.link or "")
        if match:
            return page.format(match.group(1))
    return f"pages/notifications/detail?id={notification.pk}"
