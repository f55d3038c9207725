"""SMS adapter. settings.SMS_BACKEND names the class; the default logs messages (and keeps them in memory for
tests). A real provider implements ``send(phone, text) -> provider message id`` and raises SmsError."""

import json
import logging
import urllib.request

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger("union_portal.sms")


class SmsError(Exception):
    """The provider refused or could not be reached; the delivery task retries."""


class LoggingSmsBackend:
    outbox: list[tuple[str, str]] = []

    def send(self, phone: str, text: str) -> str:
        LoggingSmsBackend.outbox.append((phone, text))
        logger.info("SMS to %s: %s", phone[-4:].rjust(11, "*"), text)
        return f"log-{len(LoggingSmsBackend.outbox)}"


class HttpJsonSmsBackend:
    """A generic HTTPS JSON gateway (most Chinese SMS providers offer one): POST {sign, phone, text} with the
    API key as a bearer token; the answer carries ``message_id``. Configure SMS_API_URL and SMS_API_KEY."""

    def send(self, phone: str, text: str) -> str:
        if not settings.SMS_API_URL.startswith("https://"):
            raise SmsError("SMS_API_URL must be an https:// URL")
        body = json.dumps({"sign": settings.SMS_SIGN_NAME, "phone": phone, "text": text}).encode()
        request = urllib.request.Request(  # noqa: S310 - scheme checked above
            settings.SMS_API_URL,
            data=body,
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {settings.SMS_API_KEY}"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                answer = json.loads(response.read() or b"{}")
        except (OSError, ValueError) as exc:
            raise SmsError(str(exc)) from exc
        if not answer.get("message_id"):
            raise SmsError(answer.get("error", "no message id in the answer"))
        return str(answer["message_id"])


def get_backend():
    return import_string(settings.SMS_BACKEND)()
