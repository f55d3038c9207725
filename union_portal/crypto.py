"""Personal data at rest: Fernet encryption for the value, an HMAC of the normalised value for exact search
and uniqueness, and masking for display. A database dump holds ciphertext and HMACs only."""

import base64
import hashlib
import hmac
import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django import forms
from django.conf import settings
from django.db import models
from stdnum.cn import ric, uscc


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


def encrypt_many(values: Sequence[str]) -> list[str]:
    """``[encrypt(v) for v in values]`` for a batch (an import encrypts 150,000 values): the keys are looked up
    once. Fernet itself makes every token: the cipher is the library's, never assembled here."""
    encrypt_bytes = fernet().encrypt
    return [encrypt_bytes(value.encode()).decode() for value in values]


def decrypt(token: str) -> str:
    try:
        return fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:  # a wrong key must fail loudly, never show ciphertext as data
        raise ValueError("Encrypted field could not be decrypted with the configured keys.") from exc


def blind_index(value: str) -> str:
    """HMAC-SHA256 of an already normalised value, hex. Used for exact search and unique constraints."""
    mac = _keyed_hmac(settings.FIELD_HMAC_KEY, settings.SECRET_KEY).copy()
    mac.update(value.encode())
    return mac.hexdigest()


@lru_cache(maxsize=4)
def _keyed_hmac(key: str, secret: str) -> "hmac.HMAC":
    # The keyed state, copied for each value: an import hashes 100,000 values.
    return hmac.new(key.encode() if key else _derive("field-hmac"), digestmod=hashlib.sha256)


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

    def formfield(self, **kwargs):
        # A short identifier (phone, ID or account number), typed on one line: not TextField's textarea.
        return super().formfield(**{"widget": forms.TextInput, **kwargs})


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


# A digit as it may appear in a log line or a stored query string: ASCII, full-width (NFKC folds it into the
# same number the search finds), or a full-width digit percent-encoded in a URL (%EF%BC%91 is "１").
_DIGIT = r"(?:[0-9\uff10-\uff19]|%EF%BC%9[0-9])"
# A separator people type inside a number ("138 0000 1111", "6222-0201-..."): the search drops them too.
_SEP = r"(?:[ \-+]|%20|%2D)"
# Eleven or more digits (a mobile has 11, an ID number 18, a bank account 12 to 30), with single separators
# between groups and an optional final X (ID numbers), not inside a longer run of letters or digits (a
# percent-encoded character before it, as in "%3D13800001111" from an encoded next= URL, is a boundary).
_PERSONAL_NUMBER_RE = re.compile(
    rf"(?:(?<![0-9A-Za-z\uff10-\uff19])|(?<=%[0-9A-Fa-f]{{2}})){_DIGIT}(?:{_SEP}?{_DIGIT}){{10,}}(?:[Xx\uff38\uff58])?(?![0-9A-Za-z\uff10-\uff19])",
    re.IGNORECASE,
)
_DIGIT_TOKEN_RE = re.compile(_DIGIT, re.IGNORECASE)


def _ascii_digit(token: str) -> str:
    if token.startswith("%"):
        return token[-1]
    return unicodedata.normalize("NFKC", token)


def _mask_match(match: re.Match) -> str:
    # Keep the last four characters only, as mask_phone and mask_account do: enough to tell two apart.
    text = match.group(0)
    chars = [_ascii_digit(t) for t in _DIGIT_TOKEN_RE.findall(text)]
    if text[-1].isalpha():
        chars.append("X")
    number = "".join(chars)
    if _is_enterprise_code(number):
        return text
    return "*" * (len(chars) - 4) + "".join(chars[-4:])


def _is_enterprise_code(number: str) -> bool:
    """An enterprise's unified social credit code (91330603...) is public, not personal: left as it is,
    unless it could as well be a resident ID number."""
    if len(number) != 18 or ric.calc_check_digit(number[:17]) == number[17]:
        return False  # the check digit of an ID number: mask it (stdnum's region table lacks new districts)
    return uscc.is_valid(number)


def mask_personal_numbers(text: str) -> str:
    """Mask every mobile, ID number or bank account in free text (a query string, a log line, a search
    term in an audit row): each run of 11 or more digits keeps its last four characters. Shorter numbers
    (amounts, dates, member numbers such as KQ2024000123, ids) are left alone."""
    if not text or not isinstance(text, str):
        return text
    return _PERSONAL_NUMBER_RE.sub(_mask_match, text)


# Keys whose values are the union tree's materialised paths (digit runs that are not personal data).
TREE_PATH_KEYS = frozenset({"path", "paths"})


def mask_personal_data(value):
    """``mask_personal_numbers`` applied to every string in a JSON-like value (dicts, lists, strings); the values
    under ``TREE_PATH_KEYS`` are tree paths and are kept as they are."""
    if isinstance(value, str):
        return mask_personal_numbers(value)
    if isinstance(value, dict):
        return {k: v if k in TREE_PATH_KEYS else mask_personal_data(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [mask_personal_data(v) for v in value]
    return value


def _encrypt_if_plain(value: str) -> str:
    try:
        decrypt(value)
    except ValueError:
        return encrypt(value)
    return value  # already encrypted: a re-run after an interrupted migration changes nothing


def _decrypt_if_encrypted(value: str) -> str:
    try:
        return decrypt(value)
    except ValueError:
        return value


def encrypt_column(model, field: str, *, reverse: bool = False, batch: int = 1000) -> int:
    """For data migrations: encrypt (``reverse``: decrypt) every non-empty value of ``field`` of a historical
    ``model`` whose field is, at that step, a plain TextField. Returns the number of rows rewritten."""
    change = _decrypt_if_encrypted if reverse else _encrypt_if_plain
    pending, count = [], 0
    for row in model._default_manager.exclude(**{field: ""}).only("pk", field).iterator(chunk_size=batch):
        value = getattr(row, field)
        if value is None:
            continue
        new = change(value)
        if new != value:
            setattr(row, field, new)
            pending.append(row)
        if len(pending) >= batch:
            count += model._default_manager.bulk_update(pending, [field]) or 0
            pending = []
    if pending:
        count += model._default_manager.bulk_update(pending, [field]) or 0
    return count
