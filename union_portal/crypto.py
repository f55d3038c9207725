"""Personal data at rest: Fernet encryption for the value, an HMAC of the normalised value for exact search
and uniqueness, and masking for display. A database dump holds ciphertext and HMACs only."""

import base64
import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models


def _derive(label: str) -> bytes:
    return hashlib.sha256(f"{label}:{settings.SECRET_KEY}".encode()).digest()


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...], secret: str) -> MultiFernet:
    if keys:
        return MultiFernet([Fernet(k.encode()) for k in keys])
    return MultiFernet([Fernet(base64.urlsafe_b64encode(_derive("field-encryption")))])


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS), settings.SECRET_KEY)


def encrypt(value: str) -> str:
    return fernet().encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:  # a wrong key must fail loudly, never show ciphertext as data
        raise ValueError("Encrypted field could not be decrypted with the configured keys.") from exc


def blind_index(value: str) -> str:
    """HMAC-SHA256 of an already normalised value, hex. Used for exact search and unique constraints."""
    key = settings.FIELD_HMAC_KEY.encode() if settings.FIELD_HMAC_KEY else _derive("field-hmac")
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


class EncryptedTextField(models.TextField):
    """A text value stored encrypted. Not searchable: pair it with a blind-index field."""

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(value)


def mask(value: str | None, *, head: int = 0, tail: int = 4) -> str:
    """Keep ``head`` leading and ``tail`` trailing characters: 330***********1234."""
    if not value:
        return ""
    if len(value) <= head + tail:
        return "*" * len(value)
    return value[:head] + "*" * (len(value) - head - tail) + value[len(value) - tail :]


def mask_id_number(value: str | None) -> str:
    return mask(value, head=3, tail=4)


def mask_phone(value: str | None) -> str:
    return mask(value, head=0, tail=4)


def mask_account(value: str | None) -> str:
    return mask(value, head=0, tail=4)


def mask_name(value: str | None) -> str:
    """张三丰 -> 张*丰, 张三 -> 张*: for public pages (membership card verification)."""
    if not value:
        return ""
    if len(value) == 1:
        return value
    if len(value) == 2:
        return value[0] + "*"
    return value[0] + "*" * (len(value) - 2) + value[-1]
