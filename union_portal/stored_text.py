"""Messages that are stored and shown later, in the reader's language (issue 16).

A message built with ``gettext_stored`` (imported as ``_`` where such messages are made) is the translated
text, as ``gettext`` gives it, that also remembers its msgid and, after ``%``, its parameters. ``stored()``
turns it into ``{"msgid": ..., "params": ...}`` for a JSON field; ``shown()`` gives the text of a stored
message in the active language. A stored plain string (rows written before, or a message from elsewhere)
is shown as it is."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext


class Msg(str):
    """The translated text of ``msgid`` (with ``params``), remembering both."""

    msgid: str
    params: Any

    def __new__(cls, msgid: str, params: Any = None) -> Msg:
        text = gettext(msgid)
        if params is not None:
            text = text % params
        obj = super().__new__(cls, text)
        obj.msgid = msgid
        obj.params = params
        return obj

    def __mod__(self, params: Any) -> Msg:
        return Msg(self.msgid, params)

    def __reduce__(self):
        return (Msg, (self.msgid, self.params))


def gettext_stored(msgid: str) -> str:
    """``gettext`` that remembers the msgid (typed as str: a Msg is one, and ``%`` keeps it a Msg)."""
    return Msg(msgid)


def _plain(value: Any) -> Any:
    return value if isinstance(value, int | float) and not isinstance(value, bool) else str(value)


def stored(message: str) -> str | dict:
    """What a JSON field keeps of a message: its msgid and parameters, or a plain string as it is."""
    if isinstance(message, Msg):
        params = message.params
        if isinstance(params, dict):
            params = {key: _plain(value) for key, value in params.items()}
        elif isinstance(params, tuple):
            params = [_plain(value) for value in params]
        elif params is not None:
            params = _plain(params)
        return {"msgid": message.msgid, "params": params}
    return str(message)


def shown(value: Any) -> str:
    """The text of a stored message in the active language."""
    if isinstance(value, dict) and "msgid" in value:
        params = value.get("params")
        return str(Msg(value["msgid"], tuple(params) if isinstance(params, list) else params))
    return "" if value is None else str(value)


def validation_message(exc: ValidationError) -> str:
    """The first message of a ValidationError, a Msg when it was made with gettext_stored."""
    error = exc.error_list[0]
    message = error.message
    if isinstance(message, Msg):
        return message % error.params if error.params else message
    lazy_args = getattr(message, "_args", None)
    if isinstance(message, Promise) and lazy_args:  # gettext_lazy("..."): its msgid is the proxy's argument
        msg = Msg(str(lazy_args[0]))
        return msg % error.params if error.params else msg
    return exc.messages[0]
